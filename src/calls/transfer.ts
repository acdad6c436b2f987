import { randomUUID } from 'node:crypto';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import type { CallCore } from './core.js';
import { offerSeat } from './offering.js';
import { joinQueue } from './queueing.js';
import { seatDone, seatFree } from './seat-policy.js';
import { PRIORITY } from './waiting.js';

export type TransferTarget = { seatId: string } | { number: string } | { queue: string };

/**
 * An operator moves a live call to a seat, an outside number or another queue. The seat
 * on the call leaves without a rating prompt for the caller; the caller waits in the
 * holding bridge. A seat that does not answer puts the caller back at the head of the
 * queue (offering.ts seatLegGone), where the next ready seat is offered.
 */
export async function transfer(core: CallCore, callId: string, to: TransferTarget): Promise<void> {
  const { ari, seats, tickets, callflow, now } = core.deps;
  const call = core.live.get(callId);
  if (!call) throw notFound('通话');
  if (!['connected', 'queued', 'callback_offer', 'offering', 'ringing', 'screening'].includes(call.state)) throw conflict(`通话当前状态为 ${call.state}，不能转接`);
  if ('queue' in to && !callflow.queues.queues[to.queue]) throw badRequest(`queue：没有队列「${to.queue}」`);
  const seat = 'seatId' in to ? seats.get(to.seatId) : undefined;
  if ('seatId' in to && !seat) throw badRequest(`seatId：没有坐席「${to.seatId}」`);

  const previous = call.leg;
  const wasTalking = call.state === 'connected';
  if (previous) {
    // detached first: its hangup must not read as the seat leaving the conversation
    core.legs.delete(previous.channelId);
    await core.talk.takeOut(previous.channelId);
    await ari.hangup(previous.channelId);
    if (wasTalking) seatDone(core, previous.seatId);
    else seatFree(core, previous.seatId);
    // the caller waits out of the talk bridge, which is then idle for another call
    await core.talk.takeOut(callId);
  }
  tickets.update(call.ticketId, {}, { actor: core.actor, action: 'call_transferred', data: to });
  const wait = call.wait ?? { queue: call.target?.queue ?? 'operator', street: null, priority: PRIORITY.normal, since: now(), head: false };
  if ('queue' in to) {
    await joinQueue(core, call, 'transferred_to_queue', { ...wait, queue: to.queue, street: null, head: false });
    return;
  }
  await core.holding.join(callId);
  call.wait = wait;
  const dial = seat ? seat.dial : `PJSIP/${(to as { number: string }).number}@street-gw`;
  const seatId = seat ? seat.id : `number:${(to as { number: string }).number}`;
  offerSeat(core, call, { channelId: `seat-${randomUUID()}`, seatId, dial, transfer: true }, 'transferred_to_seat');
}
