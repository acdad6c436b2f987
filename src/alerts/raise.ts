// What raises an alert, and the Chinese line each one shows. The emergencies and 12345's
// urgings arrive on the bus; the lifecycle (drafts) and the sweep (overdue steps) call in.
import type { HotlineBus, HotlineEvents } from '../shared/bus.js';
import type { Ticket, TicketService } from '../tickets/services.js';
import type { AlertService, AlertView } from './services.js';

const titleOf = (t: Ticket) => t.title ?? (t.content ? Array.from(t.content).slice(0, 40).join('') : '');

/** Every emergency (an IVR emergency call, a ticket classified 应急件) is stored until acknowledged. */
export function alertOnEmergencies(bus: HotlineBus, alerts: AlertService, tickets: TicketService, log: { error(obj: object, msg: string): void }): void {
  // the bus runs this right after the change is stored: a failure here is logged, never thrown back at it
  const safely =
    <A extends unknown[]>(what: string, f: (...a: A) => void) =>
    (...a: A) => {
      try {
        f(...a);
      } catch (err) {
        log.error({ err }, `alerts: could not store the alert for ${what}`);
      }
    };
  bus.on('emergency', safely('an emergency', (e: HotlineEvents['emergency'][0]) => {
    const t = e.ticketId != null ? tickets.get(e.ticketId) : undefined;
    const code = e.code ?? 'emergency_ticket';
    const menuPath = (e.data?.menuPath as string | undefined) ?? null;
    const summary =
      code === 'emergency_call'
        ? `应急来电${menuPath ? `（语音导航 ${menuPath}）` : ''}${t ? `，工单 ${t.number}` : ''}`
        : `应急工单${t ? ` ${t.number}` : ''}${t && titleOf(t) ? `：${titleOf(t)}` : ''}`;
    // one alert per emergency ticket: an IVR emergency call then classified 应急件 is the same emergency
    alerts.raise({ code, ticketId: t?.id ?? null, callId: e.callId, summary, data: menuPath ? { menuPath } : null, dedupeKey: t ? `emergency:${t.id}` : null });
  }));
  bus.on('ticket.urged', safely('an urging', (e: HotlineEvents['ticket.urged'][0]) => {
    alerts.raise({ code: 'urged', ticketId: e.ticketId, summary: `12345 催办工单 ${e.number}：${e.reason}`, data: { reason: e.reason } });
  }));
}

export function alertDraftReview(alerts: AlertService, t: Ticket, drafter: string): AlertView | null {
  return alerts.raise({ code: 'draft_review', ticketId: t.id, summary: `工单 ${t.number} 的答复草稿待审核（起草人 ${drafter}）`, data: { drafter } });
}

/** 第十五条: the center's own 2 working days to classify and route passed; once per ticket. */
export function alertRoutingOverdue(alerts: AlertService, t: Ticket): AlertView | null {
  return alerts.raise({
    code: 'routing_overdue',
    ticketId: t.id,
    summary: `工单 ${t.number} 已超过 2 个工作日仍未完成分类派转${titleOf(t) ? `：${titleOf(t)}` : ''}`,
    dedupeKey: `routing_overdue:${t.id}`,
    data: { routeDueAt: t.routeDueAt != null ? new Date(t.routeDueAt).toISOString() : null },
  });
}

/** The bureau office did not answer a request (emergency or coordination) by its deadline; once per request. */
export function alertBureauOfficeOverdue(alerts: AlertService, t: Ticket): AlertView | null {
  return alerts.raise({
    code: 'bureau_office_overdue',
    ticketId: t.id,
    summary: `工单 ${t.number} 提请市局办公室处理，已过答复时限仍未答复`,
    dedupeKey: `bureau_office_overdue:${t.id}:${t.coordinationRequestedAt ?? 0}`,
    data: { coordinationDueAt: t.coordinationDueAt != null ? new Date(t.coordinationDueAt).toISOString() : null },
  });
}
