import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { kbOnlineQuestions, ONLINE_OUTCOMES, type OnlineOutcome } from './schema.js';

export type OnlineQuestionRow = typeof kbOnlineQuestions.$inferSelect;

/** The questions asked online and what answering made of them. */
export class OnlineQuestions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** `entryIds`: every entry offered, best first (the answer, then the choices) */
  record(question: string, outcome: OnlineOutcome, confidence: number, entryIds: number[]): OnlineQuestionRow {
    const [row] = this.db
      .insert(kbOnlineQuestions)
      .values({ question, askedAt: this.now(), outcome, confidence: Math.round(confidence * 100), entryId: entryIds[0] ?? null, entryIds })
      .returning()
      .all();
    return row;
  }

  get(id: number): OnlineQuestionRow | undefined {
    return this.db.select().from(kbOnlineQuestions).where(eq(kbOnlineQuestions.id, id)).get();
  }

  setTicket(id: number, ticketId: number): void {
    this.db.update(kbOnlineQuestions).set({ ticketId }).where(eq(kbOnlineQuestions.id, id)).run();
  }

  setLinked(id: number, entryId: number, actor: Actor): void {
    this.db.update(kbOnlineQuestions).set({ linkedEntryId: entryId, linkedBy: actor.name }).where(eq(kbOnlineQuestions.id, id)).run();
  }

  list(filter: { outcome?: OnlineOutcome; limit: number; offset: number }): OnlineQuestionRow[] {
    return this.db
      .select()
      .from(kbOnlineQuestions)
      .where(filter.outcome ? eq(kbOnlineQuestions.outcome, filter.outcome) : undefined)
      .orderBy(desc(kbOnlineQuestions.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
  }

  /** How many questions ended each way within [from, to). */
  counts(range: { from?: number; to?: number }): Record<OnlineOutcome, number> {
    const rows = this.db
      .select({ outcome: kbOnlineQuestions.outcome, n: count() })
      .from(kbOnlineQuestions)
      .where(and(range.from !== undefined ? gte(kbOnlineQuestions.askedAt, range.from) : undefined, range.to !== undefined ? lt(kbOnlineQuestions.askedAt, range.to) : undefined))
      .groupBy(kbOnlineQuestions.outcome)
      .all();
    const out = Object.fromEntries(ONLINE_OUTCOMES.map((o) => [o, 0])) as Record<OnlineOutcome, number>;
    for (const r of rows) out[r.outcome] = r.n;
    return out;
  }
}
