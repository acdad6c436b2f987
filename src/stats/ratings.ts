// Citizens' ratings as they are given: the desk's callback, the spot-check callback and the
// IVR's 1/2/3 each change the ticket (its satisfaction) and announce it on the bus; one
// narrow row per rating goes into satisfaction_ratings for the statistics.
import { sql } from 'drizzle-orm';
import type { Services } from '../services.js';
import { satisfactionRatings } from './schema.js';

const CHANNEL_OF: Record<string, 'callback' | 'spot_check' | 'ivr'> = { callback: 'callback', spot_check: 'spot_check', call_rated: 'ivr' };
const RATINGS = new Set(['satisfied', 'fair', 'unsatisfied']);

/** Subscribes to the tickets' changes; a rating that cannot be stored is logged, never fails the change. */
export function recordRatings(s: Pick<Services, 'bus' | 'db' | 'tickets' | 'calls' | 'now'>, log: (err: unknown) => void): void {
  s.bus.on('ticket.changed', (e) => {
    const channel = CHANNEL_OF[e.action];
    if (!channel) return;
    try {
      const t = s.tickets.get(e.ticketId);
      if (!t || !t.satisfaction || !RATINGS.has(t.satisfaction)) return;
      const seatId = channel === 'ivr' ? (s.calls.byTicket(t.id)?.seatId ?? t.assignedSeatId) : t.assignedSeatId;
      s.db
        .insert(satisfactionRatings)
        .values({
          at: s.now(),
          channel,
          rating: t.satisfaction as 'satisfied',
          ticketId: t.id,
          unitKind: t.departmentId ? 'department' : t.assignedStreet ? 'street' : 'center',
          unit: t.departmentId ?? t.assignedStreet,
          seatId,
          category: t.category,
        })
        .run();
    } catch (err) {
      log(err);
    }
  });
}

/**
 * The table rebuilt from the history and the calls (what the migration that made it ran):
 * for data written around the bus (imports, the benchmark's generated year, tests' fixtures).
 */
export const REBUILD_RATINGS_SQL = [
  `DELETE FROM satisfaction_ratings`,
  `INSERT INTO satisfaction_ratings (at, channel, rating, ticket_id, unit_kind, unit, seat_id, category)
   SELECT e.at, e.action, json_extract(e.data, '$.satisfaction'), t.id,
     CASE WHEN t.department_id IS NOT NULL THEN 'department' WHEN t.assigned_street IS NOT NULL THEN 'street' ELSE 'center' END,
     coalesce(t.department_id, t.assigned_street), t.assigned_seat_id, t.category
   FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
   WHERE e.action IN ('callback', 'spot_check') AND json_extract(e.data, '$.satisfaction') IN ('satisfied', 'fair', 'unsatisfied')`,
  `INSERT INTO satisfaction_ratings (at, channel, rating, ticket_id, unit_kind, unit, seat_id, category)
   SELECT c.started_at, 'ivr', c.rating, t.id,
     CASE WHEN t.department_id IS NOT NULL THEN 'department' WHEN t.assigned_street IS NOT NULL THEN 'street' ELSE 'center' END,
     coalesce(t.department_id, t.assigned_street), c.seat_id, t.category
   FROM calls c JOIN tickets t ON t.id = c.ticket_id
   WHERE c.rating IN ('satisfied', 'fair', 'unsatisfied')`,
];

export function rebuildRatings(db: Services['db']): number {
  return db.transaction((tx) => {
    for (const q of REBUILD_RATINGS_SQL) tx.run(sql.raw(q));
    return tx.get<{ n: number }>(sql`select count(*) as n from satisfaction_ratings`)?.n ?? 0;
  });
}
