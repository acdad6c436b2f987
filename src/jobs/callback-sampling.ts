// Spot-check callbacks (抽查回访, 第二十一条): each day a share of the tickets closed the
// day before is drawn for a satisfaction callback. The draw is deterministic (a hash of
// day and ticket number), recorded in callback_samples, and drawn from the history, so
// a late or repeated run draws the same tickets.
import { createHash } from 'node:crypto';
import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Services } from '../services.js';
import { systemActor } from '../shared/actor.js';
import { shanghaiInstant } from '../shared/time.js';
import { ticketEvents, tickets } from '../tickets/schema.js';
import { callbackSamples } from './schema.js';

type Deps = Pick<Services, 'db' | 'tickets' | 'now'>;

export const SAMPLING = { rate: 0.1, minimum: 5 };

export interface SamplingResult {
  day: string;
  population: number;
  sampled: number;
}

/** How many of `population` closed tickets to call back: the rate, at least the minimum, at most all. */
export const sampleSize = (population: number, opts = SAMPLING) => Math.min(population, Math.max(opts.minimum, Math.ceil(population * opts.rate)));

export function sampleCallbacks(s: Deps, day: string, now: number = s.now(), opts = SAMPLING): SamplingResult {
  const start = shanghaiInstant(day);
  const end = start + 86_400_000;
  const closedThatDay = s.db
    .selectDistinct({ id: ticketEvents.ticketId })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.toStatus, 'closed'), sql`coalesce(${ticketEvents.fromStatus}, '') <> 'closed'`, gte(ticketEvents.at, start), lt(ticketEvents.at, end)))
    .all()
    .map((r) => r.id);
  // a callback needs a number to call
  const population = closedThatDay.length
    ? s.db.select().from(tickets).where(and(inArray(tickets.id, closedThatDay), isNotNull(tickets.callerNumber))).all()
    : [];
  const draw = (number: string) => createHash('sha256').update(`${day}:${number}`).digest('hex');
  const chosen = population
    .map((t) => ({ t, key: draw(t.number) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, sampleSize(population.length, opts));

  const actor = systemActor('callback-sampling');
  let sampled = 0;
  s.db.transaction(() => {
    chosen.forEach(({ t }, rank) => {
      const inserted = s.db
        .insert(callbackSamples)
        .values({ day, ticketId: t.id, rank, population: population.length, sampledAt: now })
        .onConflictDoNothing()
        .returning()
        .all();
      if (!inserted.length) return;
      sampled++;
      // a ticket reopened since is being worked again; its callback comes with its next close
      if (t.status === 'closed') {
        s.tickets.update(t.id, { needsCallback: true }, { actor, action: 'sampled_for_callback', reason: `${day} 抽查回访抽中`, data: { day, rank, population: population.length } }, 'closed');
      }
    });
  });
  return { day, population: population.length, sampled };
}
