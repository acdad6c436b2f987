import { and, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { ByColumns, columnsSet, oneCommit, placeholders, statement } from '../db/prepared.js';
import { callScreenings, calls } from './schema.js';

export type CallRow = typeof calls.$inferSelect;
export type NewCallRow = typeof calls.$inferInsert;
export type ScreeningRow = typeof callScreenings.$inferSelect;
export type ScreeningOutcome = NonNullable<ScreeningRow['outcome']>;

/** the WHERE's placeholder: not a field of the row */
const ID = '$id';

/**
 * Times that keep their first value: the first offer, and the first seat's answer (a
 * transfer's second seat does not restart the wait). Written as often as the step comes,
 * kept by the statement, so the call path need not read the row first.
 */
const FIRST_KEPT = { offeredAt: calls.offeredAt, seatAnsweredAt: calls.seatAnsweredAt } as const;

function firstKept(set: Record<string, SQL>): Record<string, SQL> {
  for (const [field, column] of Object.entries(FIRST_KEPT)) if (set[field]) set[field] = sql`coalesce(${column}, ${set[field]})`;
  return set;
}

/**
 * Call rows: the record behind KPIs. Every write is one small statement; those of the
 * call path (a dozen per call) are built once per set of columns and then only run.
 */
export class CallRepository {
  constructor(private readonly db: Db) {}

  // read several times per call: built once
  private byId?: ReturnType<CallRepository['prepareById']>;
  private prepareById() {
    return statement<CallRow>(this.db, this.db.select().from(calls).where(eq(calls.id, sql.placeholder('id'))), { row: calls });
  }

  private readonly inserts = new ByColumns((fields) => statement(this.db, this.db.insert(calls).values(placeholders(fields) as unknown as NewCallRow), { encode: calls }));
  private readonly updates = new ByColumns((fields) =>
    statement(
      this.db,
      this.db
        .update(calls)
        .set(firstKept(placeholders(fields)))
        .where(eq(calls.id, sql.placeholder(ID))),
      { encode: calls },
    ),
  );
  private readonly ends = new ByColumns((fields) =>
    statement(
      this.db,
      this.db
        .update(calls)
        .set(placeholders(fields))
        .where(and(eq(calls.id, sql.placeholder(ID)), isNull(calls.endedAt))),
      { encode: calls },
    ),
  );

  /**
   * The database writes of one call step (this row, the seat's state, the ticket and its
   * history, whatever the bus's listeners write) in one commit; see db/prepared.ts.
   */
  oneCommit<T>(step: () => T): T {
    return oneCommit(this.db, step);
  }

  insert(row: NewCallRow): void {
    const fields = columnsSet(calls, row);
    this.inserts.for(fields).run(row);
  }

  /** Inserts unless a row with this id exists; true when it was new. */
  insertIfNew(row: NewCallRow): boolean {
    return this.db.insert(calls).values(row).onConflictDoNothing().run().changes > 0;
  }

  get(id: string): CallRow | undefined {
    return (this.byId ??= this.prepareById()).get({ id });
  }

  byTicket(ticketId: number): CallRow | undefined {
    return this.db.select().from(calls).where(eq(calls.ticketId, ticketId)).get();
  }

  byVoicemail(name: string): CallRow | undefined {
    return this.db.select().from(calls).where(eq(calls.voicemailName, name)).get();
  }

  /** Sets the fields given (offeredAt and seatAnsweredAt only when not set yet). */
  update(id: string, changes: Partial<NewCallRow>): void {
    const fields = columnsSet(calls, changes);
    if (!fields.length) throw new Error('No values to set');
    this.updates.for(fields).run({ ...changes, [ID]: id });
  }

  /** Ends a call once: a second end (StasisEnd after a resync, say) changes nothing. */
  endOnce(id: string, changes: Partial<NewCallRow> & { endedAt: number }): boolean {
    const fields = columnsSet(calls, changes);
    return this.ends.for(fields).run({ ...changes, [ID]: id }).changes > 0;
  }

  /** Calls the server handled that have not ended and started before `before`. */
  openAriCalls(before: number): CallRow[] {
    return this.db
      .select()
      .from(calls)
      .where(and(eq(calls.origin, 'ari'), isNull(calls.endedAt), lt(calls.startedAt, before)))
      .all();
  }

  /** An outside number answered and hears the whisper (again after a restart: the row stays one). */
  screeningStarted(row: { legId: string; callId: string; seatId: string; queue: string | null; startedAt: number }): void {
    this.db.insert(callScreenings).values(row).onConflictDoNothing().run();
  }

  /** How the whisper ended; only the first end counts. */
  screeningEnded(legId: string, outcome: ScreeningOutcome, digit: string | null, endedAt: number): void {
    this.db
      .update(callScreenings)
      .set({ outcome, digit, endedAt })
      .where(and(eq(callScreenings.legId, legId), isNull(callScreenings.endedAt)))
      .run();
  }

  screeningsOf(callId: string): ScreeningRow[] {
    return this.db.select().from(callScreenings).where(eq(callScreenings.callId, callId)).orderBy(callScreenings.startedAt).all();
  }
}
