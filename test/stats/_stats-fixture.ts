// A hand-written month of tickets and calls (October–November 2026) for the statistics
// tests. Every expected number in the tests was counted by hand from these tables.
import { eq } from 'drizzle-orm';
import { makeApp } from '../helpers/app.js';
import { shanghaiInstant } from '../../src/shared/time.js';
import { tickets, ticketEvents } from '../../src/tickets/schema.js';
import { calls } from '../../src/calls/schema.js';

/** 'YYYY-MM-DD HH:MM[:SS[.mmm]]' Shanghai wall-clock time → epoch ms */
export function at(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  return shanghaiInstant(m[1], Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}
/** a deadline: the end of a Shanghai day */
const endOf = (day: string) => shanghaiInstant(day, 23, 59, 59, 999);

interface Extra {
  dept?: string;
  street?: string;
  /** resolveDueAt, end of that day */
  resolveDue?: string;
  /** dueAt, end of that day */
  due?: string;
  resolved?: string;
  closed?: string;
}
type TicketRow = [tag: string, created: string, source: string, kind: string | null, category: string | null, subcategory: string | null, status: string, extra?: Extra];

// prettier-ignore
export const TICKETS: TicketRow[] = [
  // ── October ──
  ['OH1', '2026-10-01 23:59', 'phone', 'routed', 'community_life', 'housekeeping', 'closed', { street: 'xujiahui', resolveDue: '2026-10-16', resolved: '2026-10-20 10:00', closed: '2026-10-21 10:00' }],
  ['OA1', '2026-10-02 00:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'closed', { street: 'tianlin', resolveDue: '2026-10-31', resolved: '2026-10-19 10:00', closed: '2026-10-20 10:00' }],
  ['OS1', '2026-10-05 10:00', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['OG1', '2026-10-08 10:00', '12345', 'supervised', 'complaint', 'government_conduct', 'closed', { dept: 'civil-d1', resolveDue: '2026-10-26', resolved: '2026-10-25 16:00', closed: '2026-10-27 09:00' }],
  ['OS2', '2026-10-10 10:00', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['OG2', '2026-10-12 10:00', '12345', 'supervised', 'complaint', 'government_conduct', 'closed', { dept: 'civil-d1', resolveDue: '2026-11-01', resolved: '2026-11-03 09:00', closed: '2026-11-04 09:00' }],
  ['OA2', '2026-10-15 10:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'closed', { street: 'tianlin', due: '2026-11-02', resolved: '2026-11-02 23:00', closed: '2026-11-04 10:00' }],
  ['OS3', '2026-10-20 10:00', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['OG3', '2026-10-22 10:00', '12345', 'supervised', 'complaint', 'government_conduct', 'closed', { dept: 'civil-d2', resolveDue: '2026-11-09', resolved: '2026-11-05 10:00', closed: '2026-11-06 10:00' }],
  ['OS4', '2026-10-31 23:59', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  // ── November ──
  ['H1', '2026-11-01 00:00', 'phone', 'routed', 'community_life', 'housekeeping', 'closed', { street: 'xujiahui', resolveDue: '2026-11-13', resolved: '2026-11-12 10:00', closed: '2026-11-13 09:00' }],
  ['A1', '2026-11-02 09:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'closed', { street: 'tianlin', resolveDue: '2026-11-16', resolved: '2026-11-10 15:00', closed: '2026-11-11 09:00' }],
  ['S1', '2026-11-02 09:30', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['S2', '2026-11-02 10:30', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['Q1', '2026-11-02 12:00', 'manual', 'collaborative', '养老服务, "助餐"', null, 'coordinated'],
  ['Q2', '2026-11-02 13:00', 'manual', 'collaborative', '=1+1', null, 'coordinated'],
  ['A2', '2026-11-03 10:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'closed', { street: 'tianlin', resolveDue: '2026-11-17', resolved: '2026-11-18 09:00', closed: '2026-11-19 09:00' }],
  ['H2', '2026-11-04 10:00', 'phone', 'routed', 'community_life', 'housekeeping', 'closed', { street: 'xujiahui', resolveDue: '2026-11-18', closed: '2026-11-18 15:00' }],
  ['S3', '2026-11-05 13:00', 'email', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['M1', '2026-11-06 10:00', 'online', 'immediate', 'consultation', 'marriage', 'closed'],
  ['U1', '2026-11-07 20:00', 'phone', null, null, null, 'open'],
  ['S4', '2026-11-09 09:00', 'phone', 'immediate', 'consultation', 'social_assistance', 'in_review'],
  ['A3', '2026-11-10 11:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'in_progress', { street: 'xujiahui', resolveDue: '2026-11-24' }],
  ['H3', '2026-11-12 15:00', 'online', 'routed', 'community_life', 'housekeeping', 'closed', { street: 'tianlin', resolveDue: '2026-11-26', resolved: '2026-11-26 18:00', closed: '2026-11-27 10:00' }],
  ['G1', '2026-11-13 09:00', '12345', 'supervised', 'complaint', 'government_conduct', 'supervising', { dept: 'civil-d2', resolveDue: '2026-11-19' }],
  ['A4', '2026-11-16 14:00', '12345', 'routed', 'community_life', 'appliance_repair', 'closed', { dept: 'civil-d1', resolveDue: '2026-11-30', resolved: '2026-11-27 10:00', closed: '2026-11-28 10:00' }],
  ['H4', '2026-11-18 16:00', 'phone', 'routed', 'community_life', 'housekeeping', 'resolved', { street: 'xujiahui', resolveDue: '2026-12-02', resolved: '2026-11-26 10:00' }],
  ['M2', '2026-11-19 10:00', 'phone', 'immediate', 'consultation', 'marriage', 'closed'],
  ['A5', '2026-11-20 09:30', 'phone', 'routed', 'community_life', 'appliance_repair', 'routed', { street: 'tianlin', resolveDue: '2026-12-04' }],
  ['U2', '2026-11-21 12:00', 'email', 'emergency', 'emergency', null, 'closed'],
  ['H5', '2026-11-25 08:00', 'phone', 'routed', 'community_life', 'housekeeping', 'in_progress', { street: 'xujiahui', resolveDue: '2026-11-30' }],
  ['S5', '2026-11-26 11:00', 'phone', 'immediate', 'consultation', 'social_assistance', 'closed'],
  ['A6', '2026-11-30 23:59:59.999', 'phone', 'routed', 'community_life', 'appliance_repair', 'open', { due: '2026-12-02' }],
  // ── December ──
  ['D1', '2026-12-01 00:00', 'phone', 'routed', 'community_life', 'appliance_repair', 'open', { due: '2026-12-03' }],
];

/** A1's history: routed on the 2nd, accepted at exactly 00:00 on the 3rd, later resolved and closed. */
// prettier-ignore
const A1_EVENTS: Array<[at: string, action: string, from: string | null, to: string]> = [
  ['2026-11-02 09:00', 'created', null, 'open'],
  ['2026-11-02 14:00', 'route', 'open', 'routed'],
  ['2026-11-03 00:00', 'accept', 'routed', 'accepted'],
  ['2026-11-04 10:00', 'contact', 'accepted', 'in_progress'],
  ['2026-11-10 15:00', 'resolve', 'in_progress', 'resolved'],
  ['2026-11-11 09:00', 'close', 'resolved', 'closed'],
];

type CallRow = [id: string, started: string, queue: string | null, seat: string | null, outcome: string, wait: number | null, talk: number | null];

// prettier-ignore
export const CALLS: CallRow[] = [
  // ── Monday 2 November ──
  ['c01', '2026-11-02 00:00', null, null, 'voicemail', null, null],
  ['c02', '2026-11-02 08:59:59', null, null, 'voicemail', null, null],
  ['c03', '2026-11-02 09:00', 'consultation', '1001', 'answered', 5, 120],
  ['c04', '2026-11-02 09:05', 'consultation', '1001', 'answered', 20, 200],
  ['c05', '2026-11-02 09:10', 'consultation', '1002', 'answered', 21, 100],
  ['c06', '2026-11-02 09:20', 'consultation', null, 'abandoned', 30, null],
  ['c07', '2026-11-02 09:40', 'community_life', 'street-tianlin', 'answered', 10, 300],
  ['c08', '2026-11-02 10:00', 'community_life', null, 'abandoned', 45, null],
  ['c09', '2026-11-02 10:15', 'community_life', null, 'callback', 60, null],
  ['c10', '2026-11-02 10:30', 'operator', '1002', 'answered', 0, 60],
  ['c11', '2026-11-02 10:59:59', 'operator', '1001', 'answered', 40, 90],
  ['c12', '2026-11-02 11:00', 'consultation', '1002', 'answered', 15, 150],
  ['c13', '2026-11-02 14:00', 'complaint', '1001', 'answered', 8, 400],
  ['c14', '2026-11-02 14:30', 'complaint', null, 'abandoned', 12, null],
  ['c15', '2026-11-02 16:59', 'consultation', null, 'voicemail', 120, null],
  ['c16', '2026-11-02 23:59:59.999', 'operator', '1002', 'answered', 3, 30],
  // ── Tuesday 3 November ──
  ['c17', '2026-11-03 00:00', 'operator', null, 'abandoned', 5, null],
  ['c18', '2026-11-03 09:00', 'consultation', '1001', 'answered', 12, 180],
  ['c19', '2026-11-03 09:30', 'consultation', '1002', 'answered', 25, 240],
  ['c20', '2026-11-03 10:00', 'community_life', 'street-tianlin', 'answered', 18, 360],
  ['c21', '2026-11-03 10:10', 'community_life', null, 'abandoned', 70, null],
  ['c22', '2026-11-03 11:00', 'consultation', '1001', 'answered', 20, 60],
  ['c29', '2026-11-03 12:00', 'consultation', null, 'interrupted', null, null],
  ['c23', '2026-11-03 15:00', 'operator', null, 'callback', 90, null],
  ['c24', '2026-11-03 16:00', 'complaint', '1002', 'answered', 2, 500],
  // ── around them ──
  ['c25', '2026-11-01 23:59:59.999', 'consultation', '1001', 'answered', 1, 10],
  ['c26', '2026-11-04 00:00', 'consultation', '1001', 'answered', 1, 10],
  ['c27', '2026-10-15 10:00', 'consultation', '1001', 'answered', 5, 100],
  ['c28', '2026-10-31 23:59:59', 'community_life', null, 'abandoned', 33, null],
];

/** An app on a fresh database holding the tables above, on a clock the test sets. */
export async function seededApp(now = at('2026-11-28 12:00')) {
  const clock = { now };
  const h = await makeApp({ now: () => clock.now });
  const db = h.app.services.db;
  const ids = new Map<string, number>();
  TICKETS.forEach(([tag, created, source, kind, category, subcategory, status, x = {}], i) => {
    const createdAt = at(created);
    const row = db
      .insert(tickets)
      .values({
        number: `962200-${created.slice(0, 10).replace(/-/g, '')}-${String(i + 1).padStart(6, '0')}`,
        source: source as 'phone',
        kind,
        status,
        category,
        subcategory,
        title: tag,
        departmentId: x.dept ?? null,
        assignedStreet: x.street ?? null,
        resolveDueAt: x.resolveDue ? endOf(x.resolveDue) : null,
        dueAt: x.due ? endOf(x.due) : null,
        resolvedAt: x.resolved ? at(x.resolved) : null,
        closedAt: x.closed ? at(x.closed) : null,
        createdAt,
        updatedAt: createdAt,
      })
      .returning({ id: tickets.id })
      .get();
    ids.set(tag, row.id);
  });
  for (const [when, action, from, to] of A1_EVENTS) {
    db.insert(ticketEvents).values({ ticketId: ids.get('A1')!, at: at(when), actor: 'fixture', action, fromStatus: from, toStatus: to }).run();
    // as TicketService.update does: every event is a change of the row
    db.update(tickets).set({ updatedAt: at(when) }).where(eq(tickets.id, ids.get('A1')!)).run();
  }
  for (const [id, started, queue, seat, outcome, wait, talk] of CALLS) {
    const startedAt = at(started);
    const seatAnsweredAt = seat ? startedAt + (wait ?? 0) * 1000 : null;
    db.insert(calls)
      .values({
        id,
        ticketId: ids.get('S1')!,
        startedAt,
        answeredAt: startedAt,
        queue,
        enqueuedAt: queue ? startedAt : null,
        offeredAt: seat ? startedAt : null,
        seatId: seat,
        seatAnsweredAt,
        endedAt: startedAt + ((wait ?? 0) + (talk ?? 0)) * 1000,
        outcome,
        waitSeconds: wait,
        talkSeconds: talk,
      })
      .run();
  }
  const get = async (url: string, role: 'supervisor' | 'admin' | 'inspector' | 'operator' | 'street_seat' | 'department' | 'integration' = 'supervisor') =>
    h.app.inject({ method: 'GET', url, headers: h.auth({ role }) });
  return { h, db, clock, ids, get };
}
