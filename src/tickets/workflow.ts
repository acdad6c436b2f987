// Carries out lifecycle decisions: checks visibility, asks lifecycle.decide, stores
// the change (TicketService.update appends the event), then runs the effects.
import type { Services } from '../services.js';
import type { Actor } from '../shared/actor.js';
import { badRequest, conflict, forbidden, notFound } from '../shared/errors.js';
import { openSupervision } from './escalation.js';
import { alertDraftReview } from '../alerts/raise.js';
import { decide, FINISHED, type ActionInput, type DecideContext, type Kind } from './lifecycle.js';
import type { NewTicket, Ticket } from './services.js';
import { canSee, seesCallerInClear } from './views.js';
import { ROLE_LABEL, statusLabel } from './words.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'bus' | 'now' | 'calls' | 'registry' | 'taxonomy' | 'alerts' | 'mailOut' | 'config'>;

/** Does `action` to ticket `id` as `actor`: 404 unseen, 403 wrong role, 409 wrong state; nothing changes on refusal. */
export function actOnTicket(s: Deps, id: number, action: string, actor: Actor, input: ActionInput): Ticket {
  const t = s.tickets.get(id);
  // a ticket outside your scope does not exist for you
  if (!t || !canSee(actor, t)) throw notFound('工单');
  checkTargets(s, action, input);
  // categories come from the taxonomy (第十三条): free text would split the statistics
  if (action === 'classify') s.taxonomy.check(input.category, input.subcategory, t.category);
  const ctx: DecideContext = {
    bureauOfficeId: action === 'request_coordination' || action === 'dispatch' ? (s.registry.bureauOffice()?.id ?? null) : null,
    reworkDays: s.config.reworkDays,
    bureauOfficeMinutes: s.config.bureauOfficeEmergencyMinutes,
  };
  const d = decide(t, action, actor, input, s.now(), ctx);
  if (!d.ok) throw d.status === 403 ? forbidden(d.reason) : d.status === 400 ? badRequest(d.reason) : conflict(d.reason);

  const row = s.db.transaction(() => {
    const row = s.tickets.update(id, d.changes, { actor, action, reason: d.reason, data: Object.keys(input).length ? input : null }, t.status);
    for (const e of d.effects) {
      if (e.type === 'open_supervision') openSupervision(s, row, e.reason, actor, d.reason, e.instructedBy);
      if (e.type === 'report_to_parent') reportToParent(s, row, e.result, actor);
      if (e.type === 'alert_draft_review') alertDraftReview(s.alerts, row, actor.name);
      if (e.type === 'review_done') s.alerts.settle(row.id, 'draft_review', actor.name);
      // queued with the answer: the answer is never recorded without its mail
      if (e.type === 'reply_by_mail') s.mailOut.queueReply(row, e.reply);
    }
    return row;
  });
  if (d.effects.some((e) => e.type === 'reply_by_mail')) s.mailOut.kick();
  if (d.effects.some((e) => e.type === 'alert_emergency')) alertEmergency(s, row);
  return s.tickets.get(id) ?? row;
}

/**
 * A route names exactly one registered, active unit: a department (the lead, optionally with
 * co-handlers) or a street; a 400 naming the field otherwise, before anything changes.
 */
function checkTargets(s: Deps, action: string, i: ActionInput): void {
  if (action === 'route' || action === 'reroute') {
    if (i.departmentId && i.street) throw badRequest('departmentId / street: 只能派往一个部门或一个街镇，不能同时填写');
    if (!i.departmentId && !i.street) throw badRequest('departmentId / street: 请指定承办部门（departmentId）或街镇（street）');
    if (i.coHandlers && !i.departmentId) throw badRequest('coHandlers: 协办部门只用于派往牵头部门（departmentId）的工单');
    if (i.limit && i.promisedDays !== undefined) throw badRequest('limit / promisedDays: 只能填写其中一个时限');
  }
  if (i.departmentId) s.registry.activeDepartment(i.departmentId, 'departmentId');
  if (i.street) s.registry.activeStreet(i.street, 'street');
  for (const [n, co] of (i.coHandlers ?? []).entries()) {
    if (co === i.departmentId) throw badRequest(`coHandlers/${n}: 牵头部门 ${co} 不能同时是协办部门`);
    s.registry.activeDepartment(co, `coHandlers/${n}`);
  }
}

/** 第十六条: a supervision's outcome is written on the supervised ticket, so it reaches 12345 too. */
function reportToParent(s: Deps, supervision: Ticket, result: string, actor: Actor): void {
  const parent = supervision.parentTicketId != null ? s.tickets.get(supervision.parentTicketId) : undefined;
  if (!parent) return;
  s.tickets.update(parent.id, {}, { actor, action: 'supervision_result', reason: result, data: { supervisionTicketId: supervision.id, supervisionNumber: supervision.number, result } });
}

/** 第十七条: the supervisor is alerted at once; the supervisor websocket and alerts subscribe. */
export function alertEmergency(s: Deps, t: Ticket): void {
  s.bus.emit('emergency', {
    code: 'emergency_ticket',
    ticketId: t.id,
    callId: s.calls.byTicket(t.id)?.id ?? null,
    callerNumber: t.callerNumber,
    at: s.now(),
    summary: t.title ?? t.content?.slice(0, 80) ?? `emergency ticket ${t.number}`,
  });
}

export interface ManualTicket extends Omit<NewTicket, 'source' | 'kind' | 'assignedUserId' | 'departmentId' | 'assignedStreet' | 'dueAt' | 'status'> {
  kind?: Kind;
}

/**
 * A ticket an operator opens by hand (source manual); they work it. Its kind and
 * category go through `classify`, so deadlines and the emergency alert are the same
 * as for any other ticket. A supervision names the ticket it supervises.
 */
export function createManualTicket(s: Deps, actor: Actor, input: ManualTicket): Ticket {
  const { kind, category, subcategory, parentTicketId, ...fields } = input;
  let parent: Ticket | undefined;
  if (parentTicketId != null) {
    if (kind !== 'supervised') throw badRequest('parentTicketId（被督办工单）只用于督办件（kind: supervised）');
    parent = s.tickets.get(parentTicketId);
    if (!parent || !canSee(actor, parent)) throw badRequest(`parentTicketId：没有可督办的工单 ${parentTicketId}`);
  }
  s.taxonomy.check(category, subcategory);
  return s.db.transaction(() => {
    const t = s.tickets.create(
      {
        ...fields,
        source: 'manual',
        parentTicketId: parent?.id ?? null,
        assignedUserId: actor.userId ?? null,
        departmentId: parent?.departmentId ?? null,
        assignedStreet: parent?.assignedStreet ?? null,
      },
      actor,
    );
    if (!kind && !category && !subcategory) return t;
    return actOnTicket(s, t.id, 'classify', actor, { kind, category: category ?? undefined, subcategory: subcategory ?? undefined });
  });
}

export const EDITABLE = ['title', 'callerName', 'address', 'content'] as const;
export type TicketText = Partial<Record<(typeof EDITABLE)[number], string>>;
/** who writes a ticket's text: the desk, and street seats on the tickets routed to them */
const EDITORS = ['operator', 'supervisor', 'street_seat'];

/**
 * Corrects a ticket's title, caller name, address or content. Not a lifecycle step:
 * the status stays, but the change is an event (`edit`) with the old and new text,
 * so the history shows who changed what. A finished ticket is reopened first.
 */
export function editTicket(s: Deps, id: number, actor: Actor, input: TicketText): Ticket {
  const t = s.tickets.get(id);
  if (!t || !canSee(actor, t)) throw notFound('工单');
  if (!EDITORS.includes(actor.role)) throw forbidden(`${ROLE_LABEL[actor.role]}不能修改工单内容`);
  if ((FINISHED as readonly string[]).includes(t.status)) throw conflict(`工单${statusLabel(t.status)}（${t.status}），请先「重新打开」（reopen）再修改`);
  // a name you only see masked is not yours to overwrite
  if (input.callerName !== undefined && !seesCallerInClear(actor, t, s.calls.byTicket(t.id))) throw forbidden('来电人姓名对您是遮蔽的，不能修改');
  const before: TicketText = {};
  const after: TicketText = {};
  for (const field of EDITABLE) {
    const value = input[field]?.trim();
    if (value === undefined || value === (t[field] ?? '')) continue;
    before[field] = t[field] ?? undefined;
    after[field] = value;
  }
  if (!Object.keys(after).length) return t;
  return s.tickets.update(id, after, { actor, action: 'edit', data: { before, after } }, t.status);
}
