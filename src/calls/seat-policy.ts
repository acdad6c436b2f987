import type { CallCore } from './core.js';
import { dispatch } from './offering.js';

/** Wrap-up timers, per core; cleared on shutdown so nothing writes to a closed database. */
const wrapUps = new WeakMap<CallCore, Set<NodeJS.Timeout>>();

/** The seat rang without a conversation because the caller left or moved on: not a miss. */
export function seatFree(core: CallCore, seatId: string): void {
  core.deps.seats.release(seatId);
}

/** The seat let the caller ring out (or could not be reached): counts towards going not_ready. */
export function seatMissed(core: CallCore, seatId: string, cause: string): void {
  const seat = core.deps.seats.missed(seatId, core.deps.callflow.queues.seats.maxMissedInRow);
  if (seat?.state === 'not_ready') core.deps.log.info({ seatId, cause, missedInRow: seat.missedInRow }, 'seat taken off the queue after missed calls');
}

/** The seat's conversation is over: wrap-up, then ready (or not_ready, if asked for during the call). */
export function seatDone(core: CallCore, seatId: string): void {
  const { seats, callflow, now } = core.deps;
  if (!seats.get(seatId)) return;
  seats.set(seatId, 'wrap_up', { lastCallEndedAt: now(), stateReason: null });
  const timers = wrapUps.get(core) ?? new Set();
  wrapUps.set(core, timers);
  const t = setTimeout(() => {
    timers.delete(t);
    if (core.stopped || seats.get(seatId)?.state !== 'wrap_up') return;
    core.deps.repo.oneCommit(() => {
      seats.release(seatId);
      dispatch(core);
    });
  }, callflow.queues.seats.wrapUpSeconds * 1000);
  t.unref();
  timers.add(t);
}

export function stopWrapUps(core: CallCore): void {
  for (const t of wrapUps.get(core) ?? []) clearTimeout(t);
  wrapUps.delete(core);
}
