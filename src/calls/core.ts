import { AriError, GONE_STATUSES, type AriPort } from '../ari/index.js';
import { systemActor } from '../shared/actor.js';
import type { Logger } from '../shared/logger.js';
import type { SeatService } from '../seats/services.js';
import type { TicketService } from '../tickets/services.js';
import type { Callflow } from './callflow-config.js';
import { decide, hasSeatLeg, isWaiting, type CallEvent, type CallOrigin, type CallState, type EventFacts } from './call-state.js';
import { KEPT_ON_ROW, snapshotOf, type LiveCall } from './live-call.js';
import type { CallNotifier } from './notifier.js';
import { HoldingBridge } from './holding-bridge.js';
import { STATE_VARIABLE } from './names.js';
import { PromptPlayer } from './prompts.js';
import { TalkBridges } from './talk-bridges.js';
import type { CallRepository, NewCallRow } from './repository.js';
import { WaitingList } from './waiting.js';


export interface CallDeps {
  ari: AriPort;
  tickets: TicketService;
  seats: SeatService;
  repo: CallRepository;
  notifier: CallNotifier;
  log: Logger;
  now: () => number;
  callflow: Callflow;
  /** BUSINESS_HOURS, or 'always' */
  businessHours: string;
  /** how long the rating question waits for a digit (default 8 s) */
  surveyTimeoutMs?: number;
  /** whether the seat's agent has the desk open (a remote agent who hasn't hears the ticket's summary in the whisper) */
  onDesk?: (seatId: string) => boolean;
}

/**
 * The calls in the app and the one way their state changes: move(). Every other module
 * of the call path acts on a call through this. move() asks decide(), keeps the waiting
 * list and seat legs in step with the new state, writes the call row, starts writing the
 * state to the caller's channel (await the returned promise before the Asterisk change it
 * describes) and sends one notification.
 */
export class CallCore {
  readonly live = new Map<string, LiveCall>();
  /** seat leg channel -> caller channel */
  readonly legs = new Map<string, string>();
  /** answered seat legs sent to the dialplan's recording step: their StasisEnd is not the seat leaving */
  readonly inRecordingStep = new Set<string>();
  readonly waiting = new WaitingList();
  readonly prompts: PromptPlayer;
  readonly holding: HoldingBridge;
  readonly talk: TalkBridges;
  readonly actor = systemActor('calls');
  stopped = false;
  /** per call: the state writes in order, and the last value written (an equal one is not sent again) */
  private readonly writes = new Map<string, { chain: Promise<void>; last: string | null }>();

  constructor(readonly deps: CallDeps) {
    this.holding = new HoldingBridge(deps.ari);
    this.talk = new TalkBridges(deps.ari);
    this.prompts = new PromptPlayer(deps.ari, (id) => !this.stopped && this.live.has(id), (id, err, what) => {
      const call = this.live.get(id);
      if (call) this.warnUnlessGone(call, err, what);
    });
  }

  /** A call appears (entered, or rebuilt after a restart) in `call.state`. */
  adopt(call: LiveCall, origin: CallOrigin): void {
    this.live.set(call.channelId, call);
    this.follow(call);
    this.persistRow(call);
    this.notify(call, null, null, origin);
  }

  /**
   * Moves `call` by `event`; false (nothing changes) when decide() refuses. `row`: more
   * fields of the call row the step sets, written with the state in one statement.
   */
  move(call: LiveCall, event: CallEvent, facts: EventFacts = {}, change?: (c: LiveCall) => void, row?: Partial<NewCallRow>): Promise<void> | false {
    const d = decide({ state: call.state, legId: call.leg?.channelId ?? null }, event, facts);
    if (!d.ok) {
      this.deps.log.debug?.({ callId: call.channelId, event, state: call.state, reason: d.reason }, 'call event refused');
      return false;
    }
    const from = call.state;
    const fromSeat = call.leg?.seatId ?? null;
    const oldLeg = call.leg?.channelId ?? null;
    change?.(call);
    call.state = d.to;
    if (!hasSeatLeg(d.to)) call.leg = null;
    if (oldLeg && oldLeg !== call.leg?.channelId) this.legs.delete(oldLeg);
    this.follow(call);
    this.deps.log.debug?.({ callId: call.channelId, from, event, to: d.to }, 'call transition');
    this.persistRow(call, row);
    // menu steps are not kept (a rebuilt call in the IVR starts at the main menu); offers are on the row
    const written = KEPT_ON_ROW.includes(d.to) ? Promise.resolve() : this.writeVariable(call);
    this.notify(call, from, fromSeat, event);
    if (d.to === 'ended') {
      this.live.delete(call.channelId);
      this.prompts.forget(call.channelId);
      this.writes.delete(call.channelId);
    }
    return written;
  }

  /** Waiting-list membership and the seat-leg index follow from the state, nowhere else. */
  private follow(call: LiveCall): void {
    const before = this.waiting.get(call.channelId);
    if (isWaiting(call.state) && call.wait) {
      this.waiting.add(call.channelId, call.wait);
      if (before && before.queue !== call.wait.queue) this.deps.notifier.queueChanged(before.queue);
      if (!before || before.queue !== call.wait.queue) this.deps.notifier.queueChanged(call.wait.queue);
    } else if (before) {
      this.waiting.remove(call.channelId);
      this.deps.notifier.queueChanged(before.queue);
    }
    if (call.leg) this.legs.set(call.leg.channelId, call.channelId);
  }

  private persistRow(call: LiveCall, row?: Partial<NewCallRow>): void {
    const w = call.wait;
    this.deps.repo.update(call.channelId, {
      ...row,
      state: call.state,
      ...(w ? { queue: w.queue, priority: w.priority, enqueuedAt: w.since, street: w.street, headOfQueue: w.head } : {}),
      offeredSeatId: call.leg?.seatId ?? null,
      seatLegId: call.leg?.channelId ?? null,
    });
  }

  private writeVariable(call: LiveCall): Promise<void> {
    const value = JSON.stringify(snapshotOf(call));
    const w = this.writes.get(call.channelId) ?? { chain: Promise.resolve(), last: null };
    this.writes.set(call.channelId, w);
    w.chain = w.chain.then(() => {
      if (value === w.last) return;
      w.last = value;
      return this.deps.ari.setVariable(call.channelId, STATE_VARIABLE, value).catch((err: unknown) => this.warnUnlessGone(call, err, 'could not keep the call state in Asterisk'));
    });
    return w.chain;
  }

  private notify(call: LiveCall, from: CallState | null, fromSeatId: string | null, event: CallEvent | CallOrigin): void {
    this.deps.notifier.changed({
      callId: call.channelId,
      ticketId: call.ticketId,
      from,
      to: call.state,
      event,
      queue: call.wait?.queue ?? call.target?.queue ?? null,
      seatId: call.leg?.seatId ?? null,
      fromSeatId,
    });
  }

  /** Runs an event-driven step without ever leaking a rejection (it would stop the server). */
  runDetached(step: Promise<unknown>, what: string): void {
    step.catch((err: unknown) => {
      if (isGone(err)) return;
      this.deps.log.warn({ err: (err as Error).message }, `call step failed: ${what}`);
    });
  }

  hangupQuietly(channelId: string): void {
    this.runDetached(this.deps.ari.hangup(channelId), 'hang up');
  }

  warnUnlessGone(call: LiveCall, err: unknown, what: string): void {
    if (call.state === 'ended' || isGone(err)) return;
    this.deps.log.warn({ err: (err as Error).message, channelId: call.channelId }, what);
  }
}

/** Cleanup and steps racing a hangup meet these: the channel or bridge is already gone. */
export const isGone = (err: unknown) => err instanceof AriError && GONE_STATUSES.includes(err.status);
