import { and, eq, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { calls } from '../calls/schema.js';
import { tickets } from '../tickets/schema.js';
import { recordingRemovals } from './schema.js';

export type RecordingRemoval = typeof recordingRemovals.$inferSelect;
export type RecordingKind = RecordingRemoval['kind'];

/** A recording the retention job looks at, with what decides whether its ticket keeps it. */
export interface RetentionCandidate {
  name: string;
  kind: RecordingKind;
  callId: string;
  ticketId: number;
  callStartedAt: number;
  ticketStatus: string;
  ticketKind: string | null;
  flagged: boolean;
  /** a 督办 opened on this ticket that is not finished yet */
  openSupervision: boolean;
}

/** All SQL of the recordings feature. */
export class RecordingRepository {
  constructor(private readonly db: Db) {}

  removal(name: string): RecordingRemoval | undefined {
    return this.db.select().from(recordingRemovals).where(eq(recordingRemovals.name, name)).get();
  }

  recordRemoval(row: typeof recordingRemovals.$inferInsert): void {
    this.db.insert(recordingRemovals).values(row).onConflictDoNothing().run();
  }

  /** Recordings of calls begun before `before` that have not been removed yet, oldest first. */
  candidates(before: number, limit: number): RetentionCandidate[] {
    const openChild = sql<number>`exists (select 1 from ${tickets} as child where child.parent_ticket_id = ${tickets.id} and child.status not in ('closed', 'returned'))`;
    const rows = this.db
      .select({
        callId: calls.id,
        ticketId: calls.ticketId,
        startedAt: calls.startedAt,
        recordingName: calls.recordingName,
        voicemailName: calls.voicemailName,
        status: tickets.status,
        kind: tickets.kind,
        flagged: tickets.flaggedForSupervisor,
        openSupervision: openChild,
      })
      .from(calls)
      .innerJoin(tickets, eq(tickets.id, calls.ticketId))
      .where(
        and(
          lt(calls.startedAt, before),
          or(
            and(isNotNull(calls.recordingName), sql`not exists (select 1 from ${recordingRemovals} where ${recordingRemovals.name} = ${calls.recordingName})`),
            and(isNotNull(calls.voicemailName), sql`not exists (select 1 from ${recordingRemovals} where ${recordingRemovals.name} = ${calls.voicemailName})`),
          ),
        ),
      )
      .orderBy(calls.startedAt)
      .limit(limit)
      .all();
    const removed = (name: string) => !!this.removal(name);
    return rows.flatMap((r) => {
      const base = { callId: r.callId, ticketId: r.ticketId, callStartedAt: r.startedAt, ticketStatus: r.status, ticketKind: r.kind, flagged: r.flagged, openSupervision: Number(r.openSupervision) === 1 };
      const out: RetentionCandidate[] = [];
      if (r.recordingName && !removed(r.recordingName)) out.push({ ...base, name: r.recordingName, kind: 'call' });
      if (r.voicemailName && !removed(r.voicemailName)) out.push({ ...base, name: r.voicemailName, kind: 'voice_message' });
      return out;
    });
  }
}
