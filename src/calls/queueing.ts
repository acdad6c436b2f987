import type { QueueTarget } from './callflow-config.js';
import type { CallCore } from './core.js';
import { ended, type LiveCall, WaitFacts } from './live-call.js';
import { dispatch } from './offering.js';
import { mandarinNumber, sound } from './say.js';
import type { NewCallRow } from './repository.js';
import { PRIORITY } from './waiting.js';

/** Assumed handling time per caller ahead, for the expected-wait announcement. */
const AVG_HANDLE_MINUTES = 3;

/** The IVR chose a queue: the ticket learns the category, the caller joins the queue. */
export async function routeToQueue(core: CallCore, call: LiveCall, target: QueueTarget): Promise<void> {
  const { tickets, seats, notifier, now } = core.deps;
  call.target = target;
  let queue = target.queue;
  let street: string | null = null;
  if (target.streetRouting) {
    street = tickets.lastStreetOf(call.callerNumber);
    if (street && seats.streetHasSeatsOn(street)) queue = 'street';
    else street = null;
  }
  tickets.update(
    call.ticketId,
    {
      category: target.category,
      subcategory: target.subcategory ?? null,
      ...(target.emergency ? { kind: 'emergency' } : {}),
      ...(street ? { street, assignedStreet: street } : {}),
    },
    { actor: core.actor, action: 'ivr_choice', data: { path: call.ivr.path, queue, street } },
  );
  if (target.emergency) notifier.emergencyCall({ ticketId: call.ticketId, callId: call.channelId, callerNumber: call.callerNumber, menuPath: call.ivr.path });
  const priority = target.emergency ? PRIORITY.emergency : call.source === '12345' ? PRIORITY.transfer12345 : PRIORITY.normal;
  // the row's queue comes with the state (core.ts persistRow)
  await joinQueue(core, call, 'routed', { queue, street, priority, since: now(), head: false }, { category: target.category, subcategory: target.subcategory ?? null, ivrPath: call.ivr.path });
  if (call.state === 'queued') await core.prompts.play(call.channelId, [sound(target.emergency ? 'ivr/emergency' : 'ivr/to-operator')]).catch(() => undefined);
}

/**
 * Into a queue (from the IVR, a transfer or an overflow): the state is written to the
 * channel first, then the caller joins the holding bridge; announcements and the
 * max-wait rule start over. A ready seat is rung at once, without waiting for either
 * request (the queue is in the call row already): the connect waits for the join
 * (connecting.ts putThrough, holding.settled).
 */
export async function joinQueue(core: CallCore, call: LiveCall, event: 'routed' | 'overflowed' | 'transferred_to_queue', wait: WaitFacts, row?: Partial<NewCallRow>): Promise<void> {
  const moved = core.move(call, event, {}, (c) => (c.wait = wait), row);
  if (!moved) return;
  core.prompts.clearTimers(call.channelId);
  const joined = moved.then(() => (ended(call) ? undefined : core.holding.join(call.channelId)));
  dispatch(core);
  await joined;
  if (ended(call)) return;
  scheduleWaitSteps(core, call);
}

/** Position and expected wait every announceEverySeconds; the max-wait rule. */
export function scheduleWaitSteps(core: CallCore, call: LiveCall): void {
  const { callflow, seats, now } = core.deps;
  const every = callflow.queues.announceEverySeconds * 1000;
  const announce = () => {
    if (call.state === 'queued' && call.wait) {
      const def = callflow.queues.queues[call.wait.queue];
      const position = core.waiting.position(call.channelId);
      const talking = Math.max(1, seats.countByState((s) => s.skills.includes(def.skill)).on_call);
      const minutes = Math.max(1, Math.ceil((position * AVG_HANDLE_MINUTES) / talking));
      void core.prompts
        .play(call.channelId, [sound('queue/position-before'), ...mandarinNumber(position).map(sound), sound('queue/position-after'), sound('queue/wait-before'), ...mandarinNumber(minutes).map(sound), sound('queue/wait-minutes')])
        .catch(() => undefined);
    }
    core.prompts.timer(call.channelId, every, announce);
  };
  core.prompts.timer(call.channelId, every, announce);
  const def = callflow.queues.queues[call.wait!.queue];
  const waited = now() - (call.wait?.since ?? now());
  // at least a second (or the whole max wait, if shorter): a caller back from a transfer is not hurried on at once
  const maxWait = def.maxWaitSeconds * 1000;
  core.prompts.timer(call.channelId, Math.max(Math.min(1000, maxWait), maxWait - waited), () => maxWaitReached(core, call));
}

/** Waited too long: overflow to another queue, or the callback offer. */
async function maxWaitReached(core: CallCore, call: LiveCall): Promise<void> {
  const { callflow } = core.deps;
  if (!call.wait) return;
  const def = callflow.queues.queues[call.wait.queue];
  if (call.state !== 'queued' && call.state !== 'callback_offer') {
    // a seat is being offered: look again once it has answered or missed
    core.prompts.timer(call.channelId, 5_000, () => maxWaitReached(core, call));
    return;
  }
  if (def.onMaxWait === 'overflow' && def.overflowTo) {
    await joinQueue(core, call, 'overflowed', { ...call.wait, queue: def.overflowTo, street: null });
    await core.prompts.play(call.channelId, [sound('queue/overflow')]).catch(() => undefined);
    return;
  }
  // the offer stands for one more wait period, then is made again
  if (call.state === 'queued') await (core.move(call, 'max_wait') || Promise.resolve());
  await core.prompts.play(call.channelId, [sound('queue/callback-offer')]).catch(() => undefined);
  core.prompts.timer(call.channelId, def.maxWaitSeconds * 1000, () => maxWaitReached(core, call));
}

/** Pressed 1 on the callback offer: the ticket keeps the place; the caller hears it and we hang up. */
export async function acceptCallback(core: CallCore, call: LiveCall, digit: string): Promise<void> {
  if (!core.move(call, 'callback_accepted', { digit }, (c) => (c.outcome = 'callback'))) return;
  core.deps.tickets.update(call.ticketId, { needsCallback: true }, { actor: core.actor, action: 'callback_requested', data: { callId: call.channelId } });
  core.prompts.clearTimers(call.channelId);
  await core.prompts.stop(call.channelId);
  await core.prompts.play(call.channelId, [sound('queue/callback-confirmed')], () => core.hangupQuietly(call.channelId)).catch(() => core.hangupQuietly(call.channelId));
}
