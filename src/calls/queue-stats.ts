import { and, eq, gte, sql } from 'drizzle-orm';
import type { Services } from '../services.js';
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';
import { SERVICE_LEVEL_SECONDS } from '../stats/call-kpis.js';
import { callScreenings, calls } from './schema.js';

/** Live numbers per queue for supervisors (GET /api/queues, the wallboard). */
export function queueStats(s: Services) {
  const defs = s.callflow?.queues.queues ?? {};
  const now = s.now();
  const today = shanghaiInstant(shanghaiDate(now));
  return Object.entries(defs).map(([id, def]) => {
    const waiting = s.liveCalls.waitingIn(id);
    const [row] = s.db
      .select({
        offered: sql<number>`count(*)`,
        answered: sql<number>`sum(case when ${calls.seatAnsweredAt} is not null then 1 else 0 end)`,
        abandoned: sql<number>`sum(case when ${calls.outcome} = 'abandoned' then 1 else 0 end)`,
        withinSl: sql<number>`sum(case when ${calls.seatAnsweredAt} is not null and ${calls.waitSeconds} <= ${SERVICE_LEVEL_SECONDS} then 1 else 0 end)`,
        asa: sql<number | null>`avg(case when ${calls.seatAnsweredAt} is not null then ${calls.waitSeconds} end)`,
      })
      .from(calls)
      .where(and(eq(calls.queue, id), gte(calls.startedAt, today)))
      .all();
    const answered = Number(row?.answered ?? 0);
    // whispers to outside numbers that answered (remote seats): how they ended
    const [scr] = s.db
      .select({
        offered: sql<number>`count(*)`,
        accepted: sql<number>`sum(case when ${callScreenings.outcome} = 'accepted' then 1 else 0 end)`,
        declined: sql<number>`sum(case when ${callScreenings.outcome} = 'declined' then 1 else 0 end)`,
        missed: sql<number>`sum(case when ${callScreenings.outcome} = 'missed' then 1 else 0 end)`,
      })
      .from(callScreenings)
      .where(and(eq(callScreenings.queue, id), gte(callScreenings.startedAt, today)))
      .all();
    return {
      id,
      name: def.name,
      waiting: waiting.length,
      longestWaitSeconds: waiting.length ? Math.round((now - Math.min(...waiting.map((w) => w.since))) / 1000) : 0,
      seats: s.seats.countByState((seat) => seat.skills.includes(def.skill) && (id === 'street' ? seat.kind === 'street' : seat.kind === 'center')),
      offeredToday: Number(row?.offered ?? 0),
      answeredToday: answered,
      abandonedToday: Number(row?.abandoned ?? 0),
      serviceLevel: answered ? Number(row?.withinSl ?? 0) / answered : null,
      asaSeconds: row?.asa === null || row?.asa === undefined ? null : Math.round(Number(row.asa)),
      /** today's screenings of remote seats: offered (the far end answered), accepted (pressed 1), declined (another key), missed (no key, hung up) */
      screeningToday: { offered: Number(scr?.offered ?? 0), accepted: Number(scr?.accepted ?? 0), declined: Number(scr?.declined ?? 0), missed: Number(scr?.missed ?? 0) },
    };
  });
}
