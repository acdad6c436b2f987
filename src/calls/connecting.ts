import type { Channel } from '../ari/index.js';
import type { CallCore } from './core.js';
import { callRecordingName, connectBridge, HOLDING_BRIDGE } from './names.js';
import { seatFree } from './seat-policy.js';

/** The seat picked up: out of the queue, into a mixing bridge with the caller, recorded. */
export async function seatAnswered(core: CallCore, seatChannel: Channel, callId: string, seatId: string): Promise<void> {
  if (core.stopped) return;
  const { ari, repo, tickets, seats, log, now } = core.deps;
  const call = core.live.get(callId);
  const at = now();
  const moved = call ? core.move(call, 'seat_answered', { legId: seatChannel.id }) : false;
  if (!call || !moved) {
    // the caller left, or moved on, while it rang
    core.legs.delete(seatChannel.id);
    await ari.hangup(seatChannel.id);
    if (call?.leg?.seatId !== seatId) seatFree(core, seatId);
    return;
  }
  core.prompts.clearTimers(callId);
  const row = repo.get(callId);
  const recordingName = callRecordingName(callId);
  repo.update(callId, {
    seatId,
    seatAnsweredAt: row?.seatAnsweredAt ?? at,
    outcome: null,
    waitSeconds: row?.enqueuedAt ? Math.round((at - row.enqueuedAt) / 1000) : 0,
    recordingName,
  });
  tickets.update(call.ticketId, { assignedSeatId: seatId, needsCallback: false }, { actor: core.actor, action: 'call_answered', data: { seatId, callId } });
  if (seats.get(seatId)) seats.set(seatId, 'on_call', { missedInRow: 0 });
  try {
    await moved;
    await core.prompts.stop(callId);
    await ari.removeFromBridge(HOLDING_BRIDGE, callId);
    const bridge = connectBridge(callId);
    await ari.createBridge(bridge, 'mixing', `call ${callId}`);
    await ari.addToBridge(bridge, [callId, seatChannel.id]);
    await ari.recordBridge(bridge, recordingName).catch((err: unknown) => log.warn({ err: (err as Error).message, callId }, 'recording did not start'));
  } catch (err) {
    core.warnUnlessGone(call, err, 'could not connect the seat');
  }
}
