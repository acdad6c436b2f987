import { AriError, type Channel } from '../ari/index.js';
import type { LiveCall } from './live-call.js';
import { isGone, type CallCore } from './core.js';
import { callRecordingName, SEAT_ANSWERED_CONTEXT } from './names.js';
import { screens, startScreening } from './screening.js';
import { seatFree } from './seat-policy.js';

/**
 * The seat picked up: its leg first goes through the dialplan's recording step
 * (names.ts SEAT_ANSWERED_CONTEXT) and comes back as `recorded`, then seatAnswered().
 * Should that step fail, the call is put through unrecorded rather than lost.
 */
export async function seatPickedUp(core: CallCore, seatChannel: Channel, callId: string, seatId: string): Promise<void> {
  if (core.stopped) return;
  const legId = seatChannel.id;
  // before the request: the StasisEnd it causes may arrive before the reply
  core.inRecordingStep.add(legId);
  try {
    await core.deps.ari.continueInDialplan(legId, SEAT_ANSWERED_CONTEXT);
  } catch (err) {
    core.inRecordingStep.delete(legId);
    if (isGone(err)) return;
    core.deps.log.warn({ err: (err as Error).message, callId }, 'recording did not start');
    await seatAnswered(core, seatChannel, callId, seatId);
  }
}

/**
 * The seat's leg is back from the recording step (or picked up unrecorded). A screened
 * seat (an outside number) first hears the whisper and must press 1 (screening.ts); any
 * other is put through at once.
 */
export async function seatAnswered(core: CallCore, seatChannel: Channel, callId: string, seatId: string): Promise<void> {
  if (core.stopped) return;
  core.inRecordingStep.delete(seatChannel.id);
  const { ari } = core.deps;
  const call = core.live.get(callId);
  if (call?.leg?.channelId === seatChannel.id && screens(core, call.leg) && startScreening(core, call, call.leg)) return;
  const moved = call ? core.move(call, 'seat_answered', { legId: seatChannel.id }) : false;
  if (!call || !moved) {
    // the caller left, or moved on, while it rang
    core.legs.delete(seatChannel.id);
    await ari.hangup(seatChannel.id);
    if (call?.leg?.seatId !== seatId) seatFree(core, seatId);
    return;
  }
  await putThrough(core, call, seatChannel.id, seatId, moved, {});
}

/**
 * Answered (now): out of the queue, into a bridge with the caller (2-party: the recording
 * is the audiohook the seat leg's dialplan step started). The call row and the ticket say
 * who took it and when; `facts` go into the ticket's history.
 */
export async function putThrough(core: CallCore, call: LiveCall, legId: string, seatId: string, moved: Promise<void>, facts: Record<string, unknown>): Promise<void> {
  const { repo, tickets, seats, now } = core.deps;
  const callId = call.channelId;
  const at = now();
  core.prompts.clearTimers(callId);
  const recordingName = callRecordingName(callId);
  // the row keeps the first seat's answer (repository.ts FIRST_KEPT); the wait is the queue's
  repo.update(callId, {
    seatId,
    seatAnsweredAt: at,
    outcome: null,
    waitSeconds: call.wait ? Math.round((at - call.wait.since) / 1000) : 0,
    recordingName,
  });
  tickets.update(call.ticketId, { assignedSeatId: seatId, needsCallback: false }, { actor: core.actor, action: 'call_answered', data: { seatId, callId, answeredAt: new Date(at).toISOString(), ...facts } });
  if (seats.get(seatId)) seats.set(seatId, 'on_call', { missedInRow: 0 });
  try {
    await moved;
    await core.prompts.stop(callId);
    // a caller rung for before their holding-bridge join was answered: that join first
    await core.holding.settled(callId);
    // an idle talk bridge kept from an earlier call, or a new one (talk-bridges.ts)
    await core.talk.connect(callId, legId, `call ${callId}`);
  } catch (err) {
    // a refused bridge id (409) is no hangup: the two would sit unconnected, so it is said
    if (err instanceof AriError && err.status === 409 && call.state === 'connected') core.deps.log.warn({ err: err.message, callId }, 'could not connect the seat');
    else core.warnUnlessGone(call, err, 'could not connect the seat');
  }
}
