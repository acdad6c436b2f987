import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { ByColumns, columnsSet, oneCommit, placeholders, statement } from '../db/prepared.js';
import type { HotlineBus } from '../shared/bus.js';
import { conflict, notFound } from '../shared/errors.js';
import { seats } from './schema.js';

export type SeatRow = typeof seats.$inferSelect;
export type SeatState = 'logged_out' | 'ready' | 'ringing' | 'on_call' | 'wrap_up' | 'not_ready';

/** States a person sets; the others follow calls. */
export const MANUAL_STATES = ['ready', 'not_ready', 'logged_out'] as const;

/**
 * Seats and their states. The DB row is the truth (it survives restarts); reads
 * for routing go through the in-memory copy so picking a seat costs no query.
 */
export class SeatService {
  private readonly byId = new Map<string, SeatRow>();
  // the ready seats, kept with byId: a dispatch pass looks at these, not at every seat
  private readonly readyIds = new Set<string>();
  // a state change per step of every call: built once per set of columns, then only run
  private readonly stateWrites = new ByColumns((fields) =>
    statement(
      this.db,
      this.db
        .update(seats)
        .set(placeholders(fields))
        .where(eq(seats.id, sql.placeholder('$id'))),
      { encode: seats },
    ),
  );

  constructor(
    private readonly db: Db,
    private readonly bus: HotlineBus,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
  }

  reload(): void {
    this.byId.clear();
    this.readyIds.clear();
    for (const s of this.db.select().from(seats).all()) this.remember(s);
  }

  private remember(row: SeatRow): void {
    this.byId.set(row.id, row);
    if (row.state === 'ready') this.readyIds.add(row.id);
    else this.readyIds.delete(row.id);
  }

  /** Is any seat ready at all (a dispatch pass stops when none is). */
  anyReady(): boolean {
    return this.readyIds.size > 0;
  }

  list(): SeatRow[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): SeatRow | undefined {
    return this.byId.get(id) ?? this.reloadOne(id);
  }

  private reloadOne(id: string): SeatRow | undefined {
    const row = this.db.select().from(seats).where(eq(seats.id, id)).get();
    if (row) this.remember(row);
    return row;
  }

  /** An admin registers a seat (its state starts logged out). */
  create(row: Pick<SeatRow, 'id' | 'name' | 'kind' | 'dial' | 'street' | 'district' | 'skills'> & { screening?: boolean }): SeatRow {
    if (this.get(row.id)) throw conflict(`id: 坐席 ${row.id} 已存在`);
    // a street seat is an outside number: screened unless the admin says otherwise
    this.db.insert(seats).values({ ...row, screening: row.screening ?? row.kind === 'street', stateSince: this.now() }).run();
    return this.reloadOne(row.id)!;
  }

  /** An admin changes a seat's name, dial string, street, skills or screening (not its live state). */
  edit(id: string, changes: Partial<Pick<SeatRow, 'name' | 'dial' | 'street' | 'district' | 'skills' | 'screening' | 'pinHash'>>): SeatRow {
    if (!this.get(id)) throw notFound('坐席');
    this.db.update(seats).set(changes).where(eq(seats.id, id)).run();
    return this.reloadOne(id)!;
  }

  /**
   * A seat change and what follows from it (a caller offered to a ready seat, the
   * audit line) in one commit: one WAL write instead of three before the seat rings.
   */
  inOneCommit<T>(step: () => T): T {
    return oneCommit(this.db, step);
  }

  /**
   * A person sets their seat's state; a seat on a call can't be logged out under the
   * caller, but can ask to go not_ready once the call is over (its own field, afterCall).
   */
  setManual(id: string, state: (typeof MANUAL_STATES)[number], reason?: string | null): SeatRow {
    const seat = this.get(id);
    if (!seat) throw notFound('坐席');
    if ((seat.state === 'on_call' || seat.state === 'ringing') && state !== 'not_ready') {
      throw conflict(`坐席 ${id} 正在${seat.state === 'on_call' ? '通话' : '振铃'}（${seat.state}），只能设为通话后示忙（not_ready），不能设为 ${state}`);
    }
    if (seat.state === 'on_call' || seat.state === 'ringing') {
      return this.set(id, seat.state, { stateReason: seat.stateReason, reasonCode: seat.reasonCode, afterCall: 'not_ready', afterCallReason: reason ?? null });
    }
    return this.set(id, state, {
      stateReason: state === 'not_ready' ? (reason ?? null) : null,
      reasonCode: state === 'not_ready' ? 'manual' : null,
      afterCall: null,
      afterCallReason: null,
      ...(state === 'ready' ? { missedInRow: 0 } : {}),
    });
  }

  /** A call is over for this seat: ready again, or not_ready if that was asked for during it. */
  release(id: string, extra: Partial<Pick<SeatRow, 'lastCallEndedAt' | 'missedInRow'>> = {}): SeatRow | undefined {
    const seat = this.get(id);
    if (!seat) return undefined;
    if (seat.afterCall === 'not_ready') return this.set(id, 'not_ready', { ...extra, stateReason: seat.afterCallReason, reasonCode: 'manual', afterCall: null, afterCallReason: null });
    return this.set(id, 'ready', extra);
  }

  /** A seat let a call ring out: after `maxInRow` misses in a row it is taken off the queue. */
  missed(id: string, maxInRow: number): SeatRow | undefined {
    const seat = this.get(id);
    if (!seat) return undefined;
    const missedInRow = seat.missedInRow + 1;
    if (missedInRow >= maxInRow) return this.set(id, 'not_ready', { missedInRow, stateReason: null, reasonCode: 'missed_in_row', afterCall: null, afterCallReason: null });
    if (seat.afterCall) return this.release(id, { missedInRow });
    return this.set(id, 'ready', { missedInRow });
  }

  set(id: string, state: SeatState, extra: Partial<Pick<SeatRow, 'stateReason' | 'reasonCode' | 'afterCall' | 'afterCallReason' | 'lastCallEndedAt' | 'missedInRow'>> = {}): SeatRow {
    const seat = this.get(id);
    if (!seat) throw notFound('坐席');
    const changes = { state, stateSince: state === seat.state ? seat.stateSince : this.now(), ...extra };
    if (state !== 'not_ready' && !('stateReason' in extra)) changes.stateReason = null;
    if (state !== 'not_ready' && !('reasonCode' in extra)) changes.reasonCode = null;
    const fields = columnsSet(seats, changes);
    this.stateWrites.for(fields).run({ ...changes, $id: id });
    const updated = { ...seat, ...changes };
    this.remember(updated);
    this.bus.emit('seat.changed', { seatId: id, state });
    return updated;
  }

  /**
   * The longest-idle ready seat with the skill (and of the street, for a street
   * queue), skipping seats that already missed this caller.
   */
  pickLongestIdle(skill: string, opts: { street?: string | null; kind?: 'center' | 'street'; exclude?: { has(seatId: string): boolean } } = {}): SeatRow | undefined {
    let best: SeatRow | undefined;
    let bestIdle = Infinity;
    for (const id of this.readyIds) {
      const s = this.byId.get(id)!;
      if (opts.exclude?.has(s.id)) continue;
      if (opts.kind && s.kind !== opts.kind) continue;
      if (opts.street !== undefined && s.street !== opts.street) continue;
      const idleSince = Math.max(s.lastCallEndedAt ?? 0, s.stateSince);
      if (idleSince >= bestIdle || !s.skills.includes(skill)) continue;
      best = s;
      bestIdle = idleSince;
    }
    return best;
  }

  /** The seat whose outside number this is (the seat-state phone line knows callers by it). */
  byNumber(number: string): SeatRow | undefined {
    if (!number) return undefined;
    for (const s of this.byId.values()) if (numberOf(s.dial) === number) return s;
    return undefined;
  }

  /** Seats of a street that are logged in at all (ready or busy). */
  streetHasSeatsOn(street: string): boolean {
    for (const s of this.byId.values()) if (s.street === street && s.state !== 'logged_out' && s.state !== 'not_ready') return true;
    return false;
  }

  countByState(filter: (s: SeatRow) => boolean = () => true): Record<SeatState, number> {
    const counts: Record<SeatState, number> = { logged_out: 0, ready: 0, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0 };
    for (const s of this.byId.values()) if (filter(s)) counts[s.state as SeatState]++;
    return counts;
  }
}

/** The number a seat's dial string reaches: PJSIP/02164001001@street-gw -> 02164001001 (a center seat: its extension). */
export function numberOf(dial: string): string | null {
  const m = /^[A-Za-z0-9]+\/([^@/]+)/.exec(dial);
  return m ? m[1] : null;
}
