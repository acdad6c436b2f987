// Quality inspection draw (质检抽样, 第二十一条、二十二条): each day a share of every
// seat's answered, recorded calls of the day before is drawn for listening and scoring.
// Like the spot-check draw (jobs/callback-sampling.ts): the rate with a minimum per seat,
// deterministic (a hash of day and call id), recorded, so a repeated run draws the same calls.
import { createHash } from 'node:crypto';
import { and, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { calls } from '../calls/schema.js';
import { shanghaiInstant } from '../shared/time.js';
import { sampleSize } from '../jobs/callback-sampling.js';
import { qualitySamples } from './schema.js';

export const QUALITY_SAMPLING = { sampleRate: 0.05, sampleMinimum: 2 };

export interface QualityDrawResult {
  day: string;
  seats: number;
  population: number;
  drawn: number;
}

export function drawQualitySample(db: Db, day: string, now: number, opts: { sampleRate: number; sampleMinimum: number } = QUALITY_SAMPLING): QualityDrawResult {
  const start = shanghaiInstant(day);
  const answered = db
    .select({ id: calls.id, ticketId: calls.ticketId, seatId: calls.seatId })
    .from(calls)
    .where(and(gte(calls.seatAnsweredAt, start), lt(calls.seatAnsweredAt, start + 86_400_000), eq(calls.outcome, 'answered'), isNotNull(calls.seatId), isNotNull(calls.recordingName)))
    .all();
  const bySeat = new Map<string, typeof answered>();
  for (const c of answered) bySeat.set(c.seatId!, [...(bySeat.get(c.seatId!) ?? []), c]);
  const key = (id: string) => createHash('sha256').update(`quality:${day}:${id}`).digest('hex');
  let drawn = 0;
  db.transaction(() => {
    for (const [seatId, list] of bySeat) {
      const chosen = list
        .map((c) => ({ c, k: key(c.id) }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
        .slice(0, sampleSize(list.length, { rate: opts.sampleRate, minimum: opts.sampleMinimum }));
      chosen.forEach(({ c }, rank) => {
        const r = db.insert(qualitySamples).values({ day, callId: c.id, ticketId: c.ticketId, seatId, rank, population: list.length, drawnAt: now }).onConflictDoNothing().run();
        drawn += r.changes;
      });
    }
  });
  return { day, seats: bySeat.size, population: answered.length, drawn };
}
