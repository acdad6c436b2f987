// The life of a ticket per kind (regulation 第十四–十九条, DESIGN §1/§4), as data,
// and one pure function that says what an action does to a ticket or why it may not.
import type { Actor } from '../shared/actor.js';
import { deadlineAfter, workingDeadline, type Deadline } from '../calendar/working-days.js';
import type { Ticket, TicketChanges } from './services.js';
import { limitDeadline, type LimitUnit } from './limits.js';
import { actionLabel, kindLabel, rolesText, statusLabel } from './words.js';

/** 流转件, or 未定性的工单 before classify */
const kindName = (kind: string | null) => (kind ? kindLabel(kind) : '未定性的工单');

export const KINDS = ['immediate', 'routed', 'supervised', 'emergency', 'collaborative'] as const;
export type Kind = (typeof KINDS)[number];
export type Role = Actor['role'];
export const SATISFACTION = ['satisfied', 'fair', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** Statuses a ticket never leaves except by `reopen` (returned ones go back to 12345 for good). */
export const FINISHED = ['closed', 'returned'] as const;
/** every status but the finished ones */
const UNFINISHED = ['open', 'sent_back', 'in_review', 'approved', 'routed', 'accepted', 'bounced', 'in_progress', 'resolved', 'called_back', 'supervising', 'responded', 'dispatched', 'coordinated'];

/** Statutory limits in working days (第十五、十六条); a shorter promised limit wins. */
export const LIMITS = { route: 2, contact: 3, resolve: 10, inspect: 3, supervisedAnswer: 10, coordinate: 3 } as const;

/** Kinds only a supervisor may change a ticket away from, and only with a reason (第十六、十七条). */
export const PROTECTED_KINDS: readonly string[] = ['supervised', 'emergency'];

interface Step {
  from: readonly string[];
  /** the status after; omitted: unchanged */
  to?: string;
  /** other statuses the step's own rule may lead to instead of `to` (e.g. back to rework) */
  orTo?: readonly string[];
  roles: readonly Role[];
}

const DESK: readonly Role[] = ['operator', 'supervisor'];
/** whoever the ticket is routed to; that it is *theirs* is checked by visibility (views.canSee) */
const HANDLER: readonly Role[] = ['department', 'street_seat'];
/** a routed ticket at a handler, not yet resolved */
const AT_HANDLER = ['routed', 'accepted', 'in_progress'];
/** a step that must be done by the lead (牵头) department, not a co-handler or the bureau office */
const LEAD_ONLY = new Set(['accept', 'bounce', 'contact', 'resolve', 'request_extension', 'respond']);

/** Actions every kind has. */
const COMMON = {
  classify: { from: UNFINISHED, roles: DESK },
  take: { from: UNFINISHED, roles: ['operator'] },
  supervise: { from: [...UNFINISHED, 'closed'], roles: DESK },
  reopen: { from: ['closed'], to: 'open', roles: DESK },
  // 抽查回访 (第二十一条): an operator takes a drawn ticket's callback, sees the number, records the result
  take_spot_check: { from: ['closed'], roles: ['operator'] },
  spot_check: { from: ['closed'], roles: ['operator'] },
} satisfies Record<string, Step>;

export const LIFECYCLE = {
  /** kind not yet set: classify it, or send a 12345 order straight back */
  unclassified: {
    classify: COMMON.classify,
    take: COMMON.take,
    return_to_12345: { from: ['open'], to: 'returned', roles: DESK },
  },
  immediate: {
    ...COMMON,
    // once a draft was sent back, the reply goes through a new draft and its approval (第十四条)
    answer: { from: ['open'], to: 'closed', roles: DESK },
    draft_reply: { from: ['open', 'sent_back'], to: 'in_review', roles: ['operator'] },
    approve: { from: ['in_review'], to: 'approved', roles: ['supervisor'] },
    send_back: { from: ['in_review'], to: 'sent_back', roles: ['supervisor'] },
    /** the drafter (whoIs) or a supervisor gives the approved reply */
    give_reply: { from: ['approved'], to: 'closed', roles: DESK },
  },
  routed: {
    ...COMMON,
    route: { from: ['open', 'bounced'], to: 'routed', roles: DESK },
    /** the routing operator or a supervisor takes it back before the handler accepts it */
    recall: { from: ['routed'], to: 'open', roles: DESK },
    /** a supervisor sends it to another unit until it is resolved; the limits count from the new receipt */
    reroute: { from: AT_HANDLER, to: 'routed', roles: ['supervisor'] },
    accept: { from: ['routed'], to: 'accepted', roles: HANDLER },
    bounce: { from: ['routed', 'accepted'], to: 'bounced', roles: HANDLER },
    contact: { from: ['accepted'], to: 'in_progress', roles: HANDLER },
    resolve: { from: ['in_progress'], to: 'resolved', roles: HANDLER },
    /** an unsatisfied citizen sends it back to the department to rework first (第十六条: 督办 when still unsatisfied) */
    callback: { from: ['resolved'], to: 'called_back', orTo: ['in_progress'], roles: DESK },
    close: { from: ['called_back'], to: 'closed', roles: DESK },
    /** a co-handling department records its part; the lead answers the citizen */
    record_part: { from: AT_HANDLER, roles: ['department'] },
    /** 提请市局办公室协调, and the bureau office's answer */
    request_coordination: { from: ['open', 'bounced', ...AT_HANDLER], roles: [...DESK, 'department'] },
    answer_coordination: { from: ['open', 'bounced', ...AT_HANDLER], roles: ['department', 'supervisor'] },
    /** more time: the handler asks, a supervisor grants (a new due date) or refuses */
    request_extension: { from: ['accepted', 'in_progress'], roles: HANDLER },
    grant_extension: { from: AT_HANDLER, roles: ['supervisor'] },
    refuse_extension: { from: AT_HANDLER, roles: ['supervisor'] },
    /** a 12345 order that is not civil affairs (bounced as such, or seen so at the desk) goes back (第十八条) */
    return_to_12345: { from: ['open', 'bounced'], to: 'returned', roles: DESK },
  },
  supervised: {
    ...COMMON,
    take: { from: UNFINISHED, roles: ['operator', 'inspector'] },
    supervise: { from: [], roles: [] }, // no supervision of a supervision
    start_supervision: { from: ['open'], to: 'supervising', roles: ['inspector'] },
    respond: { from: ['supervising'], to: 'responded', roles: HANDLER },
    close: { from: ['responded'], to: 'closed', roles: ['inspector'] },
  },
  emergency: {
    ...COMMON,
    /** 提请市局办公室紧急处理: a step to the registered bureau office, with its own deadline */
    dispatch: { from: ['open'], to: 'dispatched', roles: ['supervisor'] },
    answer_coordination: { from: ['dispatched'], roles: ['department', 'supervisor'] },
    resolve: { from: ['dispatched'], to: 'resolved', roles: DESK },
    close: { from: ['resolved'], to: 'closed', roles: DESK },
  },
  collaborative: {
    ...COMMON,
    coordinate: { from: ['open'], to: 'coordinated', roles: ['operator'] },
    // "try to coordinate; if that fails, return it" (第十八条)
    return_to_12345: { from: ['open', 'coordinated'], to: 'returned', roles: DESK },
    close: { from: ['coordinated'], to: 'closed', roles: DESK },
  },
} satisfies Record<Kind | 'unclassified', Record<string, Step>>;

export type Action = { [K in keyof typeof LIFECYCLE]: keyof (typeof LIFECYCLE)[K] & string }[keyof typeof LIFECYCLE];
export const ACTIONS = [...new Set(Object.values(LIFECYCLE).flatMap((steps) => Object.keys(steps)))] as Action[];

/** What an action's body may carry (lifecycle-routes.ts validates the shape per action). */
export interface ActionInput {
  kind?: Kind;
  category?: string;
  subcategory?: string;
  reply?: string;
  draft?: string;
  reason?: string;
  note?: string;
  result?: string;
  departmentId?: string;
  street?: string;
  /** a promised or statutory limit shorter than the regulation's, in working days */
  promisedDays?: number;
  /** a statutory or promised limit replacing the 10 working days, longer or shorter */
  limit?: { days: number; unit: LimitUnit; basis: string };
  /** co-handling departments of a route (the lead is departmentId) */
  coHandlers?: string[];
  /** an extension asked for or granted */
  days?: number;
  unit?: LimitUnit;
  answer?: string;
  part?: string;
  satisfaction?: Satisfaction;
  organisation?: string;
  /** callback: a supervisor opens the 督办 at once instead of a rework */
  superviseNow?: boolean;
  /** supervise: a 督办 for a leader's instruction (领导批示) */
  leaderInstruction?: { by: string };
}

/** What decide needs from outside the ticket (looked up by workflow.ts). */
export interface DecideContext {
  /** the registered bureau office (市局办公室), for request_coordination and dispatch */
  bureauOfficeId?: string | null;
  /** working days to rework after an unsatisfied callback (config REWORK_DAYS, default 5) */
  reworkDays?: number;
  /** minutes the bureau office has to answer an emergency */
  bureauOfficeMinutes?: number;
}

/** Side effects the caller carries out after the change is stored. */
export type Effect =
  | { type: 'alert_emergency' }
  | { type: 'open_supervision'; reason: 'manual' | 'bounced' | 'unsatisfied' | 'leader_instruction'; instructedBy?: string }
  /** a draft waits for a supervisor's review: an alert until it is reviewed */
  | { type: 'alert_draft_review' }
  /** the draft was reviewed: its alert is done */
  | { type: 'review_done' }
  /** the reply goes back on the ticket's own channel: e-mail (src/mailout) */
  | { type: 'reply_by_mail'; reply: string }
  /** a supervision's outcome is recorded on the ticket it supervises (and so reaches 12345) */
  | { type: 'report_to_parent'; result: string };

export type { TicketChanges };
export type Decision =
  | { ok: true; changes: TicketChanges; effects: Effect[]; reason: string | null }
  | { ok: false; status: 400 | 403 | 409; reason: string };

const SPOT_CHECK_ACTIONS: readonly string[] = ['take_spot_check', 'spot_check'];
/** a reply to an e-mail ticket goes back by e-mail */
const byMail = (t: Ticket, reply: string | null | undefined): Effect[] => (t.source === 'email' && t.callerEmail && reply ? [{ type: 'reply_by_mail', reply }] : []);
const refuse = (status: 400 | 403 | 409, reason: string): Decision => ({ ok: false, status, reason });

export function stepsFor(kind: string | null): Record<string, Step> {
  return (LIFECYCLE as Record<string, Record<string, Step>>)[kind ?? 'unclassified'] ?? {};
}

/**
 * What `action` by `actor` does to ticket `t` at `now`: the field changes (status
 * included) and effects, or a refusal — 403 for a role that may never do it,
 * 409 for a ticket that isn't in a state to allow it. Visibility (404) is checked before.
 */
export function decide(t: Ticket, action: string, actor: Actor, input: ActionInput, now: number, ctx: DecideContext = {}): Decision {
  const step = stepsFor(t.kind)[action];
  if (!step || step.roles.length === 0) return refuse(409, `${kindName(t.kind)}没有${actionLabel(action)}这一步`);
  if (!step.roles.includes(actor.role)) return refuse(403, `${actionLabel(action)}只能由${rolesText(step.roles)}执行`);
  if (!step.from.includes(t.status)) return refuse(409, `${kindName(t.kind)}处于「${statusLabel(t.status)}」（${t.status}），不能${actionLabel(action)}；可执行于：${step.from.map(statusLabel).join('、')}`);
  const who = whoIs(actor, action, t);
  if (who) return refuse(403, who);

  const made = STEP_CHANGES[action as Action]?.(t, input, now, actor, ctx) ?? {};
  if ('refusal' in made) return refuse(made.status ?? 409, made.refusal);
  const changes: TicketChanges = { ...made.changes };
  // a step's rule may lead to one of its other listed statuses (callback → rework)
  if (step.to && !(changes.status !== undefined && step.orTo?.includes(changes.status))) changes.status = step.to;
  // whoever at the desk or in the inspection office acts on a ticket works it from then on
  // (a spot-check callback is not working the ticket: it was closed by someone else)
  if ((actor.role === 'operator' || actor.role === 'inspector') && t.assignedUserId == null && actor.userId !== undefined && !SPOT_CHECK_ACTIONS.includes(action)) {
    changes.assignedUserId ??= actor.userId;
  }
  return { ok: true, changes, effects: made.effects ?? [], reason: input.reason ?? input.note ?? input.answer ?? input.part ?? null };
}

type Made = { changes?: TicketChanges; effects?: Effect[] } | { refusal: string; status?: 400 | 403 | 409 };
type StepChange = (t: Ticket, input: ActionInput, now: number, actor: Actor, ctx: DecideContext) => Made;

const within = (now: number, limit: number, promised?: number) => workingDeadline(now, Math.min(limit, promised ?? limit));
/** the one of two deadlines that comes first (a short statutory limit caps the contact limit too) */
const earlier = (a: Deadline, b: Deadline) => (b.at < a.at ? b : a);

/**
 * Beyond the role: which department a department user must be for this step. A co-handler
 * (协办) records its part only; the bureau office answers coordination only; the lead does the rest.
 */
function whoIs(actor: Actor, action: string, t: Ticket): string | null {
  if (actor.role === 'operator' && action === 'recall' && t.routedByUserId != null && t.routedByUserId !== actor.userId) return '只有派转该工单的话务员或主管可以撤回';
  if (actor.role === 'operator' && action === 'give_reply' && t.draftedByUserId !== actor.userId) return '只有起草该答复的话务员或主管可以发出审核通过的答复';
  if (actor.role !== 'department') return null;
  const mine = actor.departmentId ?? null;
  if (action === 'record_part') return t.coHandlers.some((c) => c.departmentId === mine) ? null : '只有协办部门可以记录协办情况';
  if (action === 'answer_coordination') return mine && t.coordinationDepartmentId === mine ? null : '只有市局办公室可以答复协调';
  if ((LEAD_ONLY.has(action) || action === 'request_coordination') && t.departmentId !== mine) return '该步骤由牵头部门办理';
  return null;
}

/** A handler's receipt of a route: the 3 and 10 working days (or the route's own limit) count from now. */
function receipt(t: Ticket, i: ActionInput, now: number, actor: Actor): TicketChanges {
  const resolveDueAt = i.limit ? limitDeadline(now, i.limit.days, i.limit.unit) : within(now, LIMITS.resolve, i.promisedDays);
  const contactDueAt = earlier(within(now, LIMITS.contact, i.promisedDays), resolveDueAt);
  return {
    departmentId: i.departmentId ?? null,
    assignedStreet: i.street ?? null,
    coHandlers: (i.coHandlers ?? []).map((departmentId) => ({ departmentId, part: null, partAt: null })),
    routedAt: now,
    routedByUserId: actor.userId ?? null,
    contactedAt: null,
    contactDueAt,
    resolveDueAt,
    dueAt: contactDueAt,
    overdue: false,
    limitDays: i.limit?.days ?? i.promisedDays ?? null,
    limitUnit: i.limit?.unit ?? (i.promisedDays !== undefined ? 'working' : null),
    limitBasis: i.limit?.basis ?? null,
    extensionRequest: null,
  };
}

/** Everything a route put on a ticket, taken off again (recall, bounce). */
const UNROUTED: TicketChanges = {
  departmentId: null,
  assignedStreet: null,
  coHandlers: [],
  routedAt: null,
  routedByUserId: null,
  contactDueAt: null,
  resolveDueAt: null,
  limitDays: null,
  limitUnit: null,
  limitBasis: null,
  extensionRequest: null,
};

/** The field changes of each action beyond its status. */
const STEP_CHANGES: Partial<Record<Action, StepChange>> = {
  classify: (t, i, now, actor) => {
    // a bounced ticket is back at the desk: it may turn out to be another kind (第十八条)
    if (i.kind && i.kind !== t.kind && t.status !== 'open' && t.status !== 'bounced') return { refusal: `工单类型只能在「待处理」或「被退回」时更改（现为「${statusLabel(t.status)}」）` };
    // a 督办 or an emergency is not the desk's to turn into something it can close itself
    if (i.kind && t.kind && i.kind !== t.kind && PROTECTED_KINDS.includes(t.kind)) {
      if (actor.role !== 'supervisor') return { status: 403, refusal: `${kindLabel(t.kind)}的类型只能由主管更改` };
      if (!i.reason?.trim()) return { status: 400, refusal: `reason: 更改${kindLabel(t.kind)}的类型须说明理由` };
    }
    const changes: TicketChanges = {};
    if (i.category !== undefined) changes.category = i.category;
    if (i.subcategory !== undefined) changes.subcategory = i.subcategory;
    if (!i.kind || i.kind === t.kind) return { changes };
    if (t.status === 'bounced') Object.assign(changes, UNROUTED, { status: 'open' });
    changes.kind = i.kind;
    changes.routeDueAt = null;
    changes.dueAt = null;
    if (i.kind === 'routed') changes.routeDueAt = changes.dueAt = workingDeadline(t.createdAt, LIMITS.route);
    if (i.kind === 'supervised') changes.dueAt = workingDeadline(now, LIMITS.inspect);
    if (i.kind === 'emergency') {
      changes.flaggedForSupervisor = true;
      return { changes, effects: [{ type: 'alert_emergency' }] };
    }
    return { changes };
  },
  take: () => ({}),
  answer: (t, i, now) => ({ changes: { reply: i.reply, draftReply: null, closedAt: now }, effects: byMail(t, i.reply) }),
  draft_reply: (_t, i, _now, actor) => ({ changes: { draftReply: i.draft, draftedByUserId: actor.userId ?? null }, effects: [{ type: 'alert_draft_review' }] }),
  approve: () => ({ effects: [{ type: 'review_done' }] }),
  send_back: () => ({ effects: [{ type: 'review_done' }] }),
  give_reply: (t, _i, now) => ({ changes: { reply: t.draftReply, closedAt: now }, effects: byMail(t, t.draftReply) }),
  route: (t, i, now, actor) => ({ changes: receipt(t, i, now, actor) }),
  recall: (t) => ({ changes: { ...UNROUTED, dueAt: t.routeDueAt, overdue: false } }),
  reroute: (t, i, now, actor) => {
    if ((i.departmentId ?? null) === t.departmentId && (i.street ?? null) === t.assignedStreet) return { refusal: '改派的单位与当前承办单位相同' };
    return { changes: receipt(t, i, now, actor) };
  },
  accept: () => ({}),
  bounce: (t) => {
    const bounceCount = t.bounceCount + 1;
    return {
      changes: { ...UNROUTED, bounceCount, dueAt: t.routeDueAt },
      effects: bounceCount >= 2 ? [{ type: 'open_supervision', reason: 'bounced' }] : [],
    };
  },
  contact: (t, _i, now) => ({ changes: { contactedAt: now, dueAt: t.resolveDueAt } }),
  resolve: (_t, i, now) => ({ changes: { result: i.result, resolvedAt: now, dueAt: null } }),
  callback: (t, i, now, actor, ctx) => {
    if (i.superviseNow && actor.role !== 'supervisor') return { status: 403, refusal: '只有主管可以决定立即督办' };
    if (i.superviseNow && i.satisfaction !== 'unsatisfied') return { status: 400, refusal: 'superviseNow: 只有回访不满意时才可立即督办' };
    const changes: TicketChanges = { satisfaction: i.satisfaction, needsCallback: false };
    if (i.satisfaction !== 'unsatisfied') return { changes };
    // 第十六条: 督办 when the citizen is *still* unsatisfied after the department's rework
    if (t.reworkCount >= 1 || i.superviseNow) return { changes, effects: [{ type: 'open_supervision', reason: 'unsatisfied' }] };
    const resolveDueAt = workingDeadline(now, ctx.reworkDays ?? 5);
    return { changes: { ...changes, status: 'in_progress', reworkCount: t.reworkCount + 1, resolvedAt: null, resolveDueAt, dueAt: resolveDueAt, overdue: false } };
  },
  close: (_t, _i, now) => ({ changes: { closedAt: now } }),
  reopen: (t, _i, now) => {
    // a reopened ticket starts its first step again, with a fresh limit
    const changes: TicketChanges = { closedAt: null, overdue: false, needsCallback: false, dueAt: null };
    if (t.kind === 'routed') changes.routeDueAt = changes.dueAt = workingDeadline(now, LIMITS.route);
    if (t.kind === 'supervised') changes.dueAt = workingDeadline(now, LIMITS.inspect);
    return { changes };
  },
  supervise: (_t, i) => ({
    effects: [i.leaderInstruction ? { type: 'open_supervision', reason: 'leader_instruction', instructedBy: i.leaderInstruction.by } : { type: 'open_supervision', reason: 'manual' }],
  }),
  take_spot_check: (t, _i, _now, actor) => {
    if (!t.needsCallback) return { refusal: '该工单未被抽中回访，或回访已完成' };
    if (t.callbackUserId != null && t.callbackUserId !== actor.userId) return { refusal: '该抽查回访已由其他话务员认领' };
    return { changes: { callbackUserId: actor.userId ?? null } };
  },
  spot_check: (t, i, _now, actor) => {
    if (!t.needsCallback) return { refusal: '该工单未被抽中回访，或回访已完成' };
    if (t.callbackUserId == null || t.callbackUserId !== actor.userId) return { refusal: '只有认领该抽查回访的话务员可以记录结果（先执行 take_spot_check）' };
    const unsatisfied = i.satisfaction === 'unsatisfied';
    // an unsatisfied citizen gets supervision; on a supervision itself, the supervisor is told
    if (t.kind === 'supervised') return { changes: { satisfaction: i.satisfaction, needsCallback: false, flaggedForSupervisor: unsatisfied || t.flaggedForSupervisor } };
    return {
      changes: { satisfaction: i.satisfaction, needsCallback: false },
      effects: unsatisfied ? [{ type: 'open_supervision', reason: 'unsatisfied' }] : [],
    };
  },
  start_supervision: (t, i, now) => {
    const departmentId = i.departmentId ?? (i.street ? null : t.departmentId);
    const assignedStreet = i.street ?? (i.departmentId ? null : t.assignedStreet);
    if (!departmentId && !assignedStreet) return { refusal: '请指明被督办的部门或街镇（departmentId 或 street）' };
    const resolveDueAt = within(now, LIMITS.supervisedAnswer, i.promisedDays);
    return { changes: { departmentId, assignedStreet, resolveDueAt, dueAt: resolveDueAt } };
  },
  respond: (t, i, now) => ({
    changes: { result: i.result, resolvedAt: now, dueAt: null },
    effects: t.parentTicketId != null && i.result ? [{ type: 'report_to_parent', result: i.result }] : [],
  }),
  record_part: (t, i, now, actor) => ({
    changes: { coHandlers: t.coHandlers.map((c) => (c.departmentId === actor.departmentId ? { ...c, part: i.part ?? null, partAt: now } : c)) },
  }),
  request_coordination: (t, i, now, _actor, ctx) => {
    if (!ctx.bureauOfficeId) return { refusal: '没有登记在册的市局办公室，无法提请协调' };
    if (t.coordinationRequestedAt != null && t.coordinationAnsweredAt == null) return { refusal: '已提请市局办公室协调，尚未答复' };
    const coordinationDueAt = workingDeadline(now, LIMITS.coordinate).at;
    return { changes: { coordinationDepartmentId: ctx.bureauOfficeId, coordinationReason: i.reason, coordinationRequestedAt: now, coordinationDueAt, coordinationAnswer: null, coordinationAnsweredAt: null } };
  },
  answer_coordination: (t, i, now) => {
    if (t.coordinationRequestedAt == null || t.coordinationAnsweredAt != null) return { refusal: '该工单没有待答复的协调请求' };
    return { changes: { coordinationAnswer: i.answer, coordinationAnsweredAt: now } };
  },
  request_extension: (t, i, now, actor) => {
    if (t.extensionRequest) return { refusal: '已有一份延期申请在等待主管审批' };
    return { changes: { extensionRequest: { days: i.days!, unit: i.unit ?? 'working', reason: i.reason!, at: now, by: actor.name } } };
  },
  grant_extension: (t, i, now) => {
    const asked = t.extensionRequest;
    if (!asked) return { refusal: '该工单没有待审批的延期申请' };
    const days = i.days ?? asked.days;
    const unit = i.unit ?? asked.unit;
    // the new limit runs on from the old one
    const resolveDueAt = limitDeadline(t.resolveDueAt ?? now, days, unit);
    const changes: TicketChanges = { resolveDueAt, extensionRequest: null, extensionCount: t.extensionCount + 1 };
    if (t.status === 'in_progress') changes.dueAt = resolveDueAt;
    if (resolveDueAt.at > now && t.status === 'in_progress') changes.overdue = false;
    return { changes };
  },
  refuse_extension: (t) => (t.extensionRequest ? { changes: { extensionRequest: null } } : { refusal: '该工单没有待审批的延期申请' }),
  dispatch: (_t, i, now, _actor, ctx) => {
    if (!ctx.bureauOfficeId) return { refusal: '没有登记在册的市局办公室，无法提请紧急处理' };
    const coordinationDueAt = now + (ctx.bureauOfficeMinutes ?? 120) * 60_000;
    return { changes: { coordinationDepartmentId: ctx.bureauOfficeId, coordinationReason: i.note, coordinationRequestedAt: now, coordinationDueAt, coordinationAnswer: null, coordinationAnsweredAt: null } };
  },
  coordinate: (_t, i) => ({ changes: { result: `${i.organisation}：${i.note}` } }),
  return_to_12345: (t, _i, now) => {
    if (t.source !== '12345') return { refusal: '只有12345转来的工单才能退回12345' };
    return { changes: { ...(t.status === 'bounced' ? UNROUTED : {}), kind: 'collaborative', closedAt: now, dueAt: null } };
  },
};

/**
 * The deadline the ticket's current step must meet, or null when its step has none.
 * Derived from the ticket alone so tickets made elsewhere (intake, calls) are swept too.
 */
export function stepDeadline(t: Ticket): number | null {
  const own = ownStepDeadline(t);
  // 12345's own deadline for the order binds until it is answered
  if (t.orderDueAt == null || !AWAITING_ANSWER.includes(t.status)) return own;
  return own === null ? t.orderDueAt : Math.min(own, t.orderDueAt);
}

/** statuses in which a 12345 order has not been answered yet */
const AWAITING_ANSWER = ['open', 'sent_back', 'in_review', 'approved', 'routed', 'accepted', 'bounced', 'in_progress', 'supervising', 'dispatched', 'coordinated'];

function ownStepDeadline(t: Ticket): number | null {
  // not yet classified: the desk's 2 working days from receipt (第十五条), set at intake
  if (t.kind === null) return t.status === 'open' ? (t.routeDueAt ?? deadlineAfter(t.createdAt, LIMITS.route)) : null;
  if (t.kind === 'routed') {
    if (t.status === 'open' || t.status === 'bounced') return t.routeDueAt ?? deadlineAfter(t.createdAt, LIMITS.route);
    if (t.status === 'routed' || t.status === 'accepted') return t.contactDueAt;
    if (t.status === 'in_progress') return t.resolveDueAt;
  }
  if (t.kind === 'supervised') {
    if (t.status === 'open') return t.dueAt ?? deadlineAfter(t.createdAt, LIMITS.inspect);
    if (t.status === 'supervising') return t.resolveDueAt;
  }
  // the bureau office's answer to an emergency
  if (t.kind === 'emergency' && t.status === 'dispatched' && t.coordinationAnsweredAt == null) return t.coordinationDueAt;
  return null;
}

/** The actions `actor` may take on `t` as it stands (role and status; the body is not checked). */
export function allowedActions(t: Ticket, actor: Actor): string[] {
  return Object.entries(stepsFor(t.kind))
    .filter(([action, s]) => s.roles.includes(actor.role) && s.from.includes(t.status) && !whoIs(actor, action, t))
    .map(([action]) => action);
}
