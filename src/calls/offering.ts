import { randomUUID } from 'node:crypto';
import { encodeArgs } from './app-args.js';
import type { CallCore } from './core.js';
import { ended, type LiveCall, SeatLeg } from './live-call.js';
import { callRecordingName, RECORDING_VARIABLE, SEAT_ARGS_VARIABLE } from './names.js';
import { scheduleWaitSteps } from './queueing.js';
import { screeningEnded } from './screening.js';
import { seatDone, seatMissed } from './seat-policy.js';
import { askForRating } from './survey.js';

/** A seat that missed a caller is not offered that caller again for this long. */
const MISSED_SEAT_COOLDOWN_MS = 30_000;

const dispatching = new WeakMap<CallCore, { running: boolean; again: boolean }>();

/** Matches waiting callers (in order) with the longest-idle ready seats. */
export function dispatch(core: CallCore): void {
  if (core.stopped) return;
  const d = dispatching.get(core) ?? { running: false, again: false };
  dispatching.set(core, d);
  if (d.running) {
    d.again = true;
    return;
  }
  d.running = true;
  try {
    do {
      d.again = false;
      if (!core.deps.seats.anyReady()) break;
      const now = core.deps.now();
      for (const w of core.waiting.ordered()) {
        // every ready seat is ringing now: the callers left keep waiting
        if (!core.deps.seats.anyReady()) break;
        const call = core.live.get(w.callId);
        if (!call || call.leg) continue;
        for (const [seatId, at] of call.missedBy) if (now - at > MISSED_SEAT_COOLDOWN_MS) call.missedBy.delete(seatId);
        const seat = chooseSeat(core, call);
        if (seat) offerSeat(core, call, { channelId: `seat-${randomUUID()}`, seatId: seat.id, dial: seat.dial, transfer: false });
      }
    } while (d.again);
  } finally {
    d.running = false;
  }
}

/** The longest-idle ready seat for a waiting caller: of their street for the street queue. */
export function chooseSeat(core: CallCore, call: LiveCall) {
  const w = call.wait!;
  const def = core.deps.callflow.queues.queues[w.queue];
  const street = w.queue === 'street';
  return core.deps.seats.pickLongestIdle(def.skill, {
    kind: street ? 'street' : 'center',
    ...(street ? { street: w.street } : {}),
    exclude: call.missedBy,
  });
}

/**
 * Dials a seat for the caller; StasisStart for the leg comes only on answer. The offer
 * (seat and leg) is in the call row, committed before the seat is dialled, and only there
 * (live-call.ts KEPT_ON_ROW): the originate is the offer's one request.
 */
export function offerSeat(core: CallCore, call: LiveCall, leg: SeatLeg, event: 'seat_offered' | 'transferred_to_seat' = 'seat_offered'): boolean {
  // the offer's writes (call row, seat state) in one commit
  return core.deps.repo.oneCommit(() => offer(core, call, leg, event));
}

function offer(core: CallCore, call: LiveCall, leg: SeatLeg, event: 'seat_offered' | 'transferred_to_seat'): boolean {
  const { seats, ari, log, callflow, now } = core.deps;
  // the row keeps the first offer's time (repository.ts FIRST_KEPT)
  const moved = core.move(call, event, {}, (c) => (c.leg = leg), { offeredAt: now() });
  if (!moved) return false;
  if (seats.get(leg.seatId)) seats.set(leg.seatId, 'ringing');
  Promise.resolve()
    .then(() =>
      ari.originate({
        endpoint: leg.dial,
        channelId: leg.channelId,
        appArgs: encodeArgs({ kind: 'seat', callId: call.channelId, seatId: leg.seatId, transfer: leg.transfer, recorded: false }),
        // for the dialplan's recording step on answer (connecting.ts seatPickedUp)
        variables: {
          [RECORDING_VARIABLE]: callRecordingName(call.channelId),
          [SEAT_ARGS_VARIABLE]: encodeArgs({ kind: 'seat', callId: call.channelId, seatId: leg.seatId, transfer: leg.transfer, recorded: true }),
        },
        timeout: callflow.queues.seats.ringTimeoutSeconds,
        callerId: call.callerNumber,
        originator: call.channelId,
      }),
    )
    .then(
      // Asterisk has the leg: it rings (unless it already answered: then nothing moves)
      () => void core.move(call, 'seat_ringing', { legId: leg.channelId }),
      (err: unknown) => {
        // 500: the endpoint can't be reached at all: that seat is unavailable, try the next
        log.warn({ err: (err as Error).message, seatId: leg.seatId }, 'could not ring seat');
        seatLegGone(core, leg.channelId, 'unreachable');
      },
    );
  return true;
}

/** A seat leg ended: before answer it is a miss (next seat); after, the talk is over. */
export function seatLegGone(core: CallCore, legId: string, cause: string): void {
  if (core.stopped) return;
  core.inRecordingStep.delete(legId);
  const callId = core.legs.get(legId);
  if (!callId) return;
  core.legs.delete(legId);
  const call = core.live.get(callId);
  const leg = call?.leg?.channelId === legId ? call.leg : null;
  if (!call || !leg) return;
  if (call.state === 'connected') {
    if (!core.move(call, 'seat_left', { legId })) return;
    // the talk is over; the rating prompt that follows is not talk time
    core.deps.repo.update(callId, { talkEndedAt: core.deps.now() });
    seatDone(core, leg.seatId);
    core.runDetached(askForRating(core, call, true), 'rating');
    return;
  }
  // hung up during the whisper: the screening is missed (a voicemail box, a family member)
  if (call.state === 'screening') {
    screeningEnded(core, legId, 'missed', null);
    core.prompts.forget(legId);
    legMissed(core, call, leg, 'screening_missed', cause);
    return;
  }
  // rang out, busy, refused or unreachable
  legMissed(core, call, leg, 'seat_missed', cause);
}

/**
 * The seat did not take the caller: back to waiting, the miss counted, the next seat
 * rung. A transfer that was not taken puts the caller first in line.
 */
export function legMissed(core: CallCore, call: LiveCall, leg: SeatLeg, event: 'seat_missed' | 'screening_declined' | 'screening_missed', cause: string): boolean {
  call.missedBy.set(leg.seatId, core.deps.now());
  const wait = call.wait && leg.transfer ? { ...call.wait, head: true } : call.wait;
  const moved = core.move(call, event, { legId: leg.channelId }, (c) => (c.wait = wait));
  seatMissed(core, leg.seatId, cause);
  if (moved && leg.transfer) core.runDetached(backInLine(core, call, moved), 'back in the queue');
  dispatch(core);
  return !!moved;
}

/** A transfer came from a conversation: no wait steps were running for this caller. */
async function backInLine(core: CallCore, call: LiveCall, written: Promise<void>): Promise<void> {
  await written;
  if (ended(call)) return;
  core.prompts.clearTimers(call.channelId);
  scheduleWaitSteps(core, call);
}
