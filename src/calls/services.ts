import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { AriError, type AriRest, type Channel } from '../ari/index.js';
import type { Db } from '../db/index.js';
import type { HotlineBus } from '../shared/bus.js';
import { systemActor } from '../shared/actor.js';
import type { TicketService } from '../tickets/services.js';
import { tickets as ticketsTable } from '../tickets/schema.js';
import type { SeatRow, SeatService } from '../seats/services.js';
import { isOpen } from '../calendar/business-hours.js';
import type { Callflow, QueueTarget } from './callflow-config.js';
import { noInput, pressDigit, startIvr, type IvrState, type IvrStep } from './ivr.js';
import { CallRepository, type CallRow } from './repository.js';
import { mandarinNumber, sound } from './say.js';
import { PRIORITY, WaitingList } from './waiting.js';

export interface Logger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export type CallPhase = 'ivr' | 'queued' | 'connected' | 'survey' | 'voicemail' | 'leaving';

/** What the server keeps in memory about a citizen's call that is in its Stasis app. */
export interface LiveCall {
  channelId: string;
  ticketId: number;
  callerNumber: string;
  source: 'phone' | '12345';
  phase: CallPhase;
  ivr: IvrState;
  target: QueueTarget | null;
  /** the playback we started last, so a digit can stop it (barge-in) */
  playbackId: string | null;
  /** the seat leg being rung or talking */
  seatLeg: { channelId: string; seatId: string; answered: boolean } | null;
  /** seats that missed this caller recently: not rung again for a while */
  missedBy: Map<string, number>;
  offeringCallback: boolean;
  /** in the holding bridge */
  holding: boolean;
  outcome: string | null;
  timers: Set<NodeJS.Timeout>;
  ended: boolean;
}

interface SeatLeg {
  callId: string;
  seatId: string;
  answered: boolean;
}

const actor = systemActor('calls');
export const HOLDING_BRIDGE = 'hotline-holding';
const connectBridge = (callId: string) => `call-${callId}`;
const MISSED_SEAT_COOLDOWN_MS = 30_000;
const SURVEY_TIMEOUT_MS = 8_000;

export interface CallServiceOptions {
  callflow: Callflow;
  /** BUSINESS_HOURS, or 'always' */
  businessHours: string;
}

/**
 * The call path: a ticket the moment a call enters the app; the IVR; the queue with
 * hold music, announcements and priorities; ringing the longest-idle seat; the
 * bridge, the recording and the rating. Telephony events arrive through stasis.ts;
 * every REST call uses ids chosen here, recorded before the request.
 */
export class CallService {
  readonly live = new Map<string, LiveCall>();
  readonly seatLegs = new Map<string, SeatLeg>();
  readonly waiting = new WaitingList();
  readonly repo: CallRepository;
  /** what to do when a playback we started finishes */
  private readonly afterPlayback = new Map<string, () => void>();
  private dispatching = false;
  private dispatchAgain = false;
  /** wrap-up timers, cleared on shutdown so nothing writes to a closed database */
  private readonly wrapUps = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly tickets: TicketService,
    private readonly seats: SeatService,
    private readonly bus: HotlineBus,
    private readonly ari: AriRest,
    private readonly log: Logger,
    private readonly opts: CallServiceOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new CallRepository(db);
  }

  private get ivrConfig() {
    return this.opts.callflow.ivr;
  }
  private get queueConfig() {
    return this.opts.callflow.queues;
  }

  // ---------------------------------------------------------------- entry

  /**
   * A citizen's channel entered the app. The ticket and call row are written before
   * any REST call, so a crash or a lost event can never lose the call.
   */
  callEntered(channel: Channel, source: 'phone' | '12345'): LiveCall {
    const known = this.live.get(channel.id);
    if (known) return known;
    const existing = this.repo.get(channel.id);
    const at = this.now();
    let ticketId: number;
    if (existing) {
      ticketId = existing.ticketId;
    } else {
      const callerNumber = channel.caller.number || null;
      const ticket = this.tickets.create(
        { source, callerNumber, callerName: channel.caller.name || null },
        actor,
        { channelId: channel.id, dialed: channel.dialplan.exten },
      );
      ticketId = ticket.id;
      this.repo.insert({
        id: channel.id,
        ticketId,
        origin: 'ari',
        source,
        callerNumber,
        callerName: channel.caller.name || null,
        dialedNumber: channel.dialplan.exten,
        startedAt: startedAt(channel, at),
        answeredAt: channel.state === 'Up' ? at : null,
      });
    }
    const call: LiveCall = {
      channelId: channel.id,
      ticketId,
      callerNumber: channel.caller.number,
      source,
      phase: 'ivr',
      ivr: startIvr(this.ivrConfig),
      target: null,
      playbackId: null,
      seatLeg: null,
      missedBy: new Map(),
      offeringCallback: false,
      holding: false,
      outcome: null,
      timers: new Set(),
      ended: false,
    };
    this.live.set(channel.id, call);
    this.bus.emit('call.changed', { callId: channel.id, phase: 'entered' });
    if (existing) void this.resume(call, existing);
    else void this.greet(call, channel.state === 'Up');
    return call;
  }

  private async greet(call: LiveCall, answered: boolean): Promise<void> {
    try {
      if (!answered) {
        await this.ari.answer(call.channelId);
        if (call.ended) return;
        this.repo.update(call.channelId, { answeredAt: this.now() });
      }
      if (this.isOpenNow()) await this.playMenu(call, this.ivrConfig.start);
      else await this.takeVoiceMessage(call);
    } catch (err) {
      this.warnUnlessGone(call, err, 'could not greet the caller');
    }
  }

  private isOpenNow(): boolean {
    try {
      return isOpen(this.now(), this.opts.businessHours);
    } catch (err) {
      // a missing calendar year must not turn citizens away: answer as open
      this.log.warn({ err: (err as Error).message }, 'business hours unknown; treating the hotline as open');
      return true;
    }
  }

  // ---------------------------------------------------------------- prompts

  /** Plays media to the caller; `then` runs when it finishes (not when a digit stops it). */
  private async play(call: LiveCall, media: string[], then?: () => void): Promise<void> {
    const playbackId = `pb-${randomUUID()}`;
    call.playbackId = playbackId;
    if (then) this.afterPlayback.set(playbackId, then);
    try {
      await this.ari.play(call.channelId, playbackId, media);
    } catch (err) {
      this.afterPlayback.delete(playbackId);
      throw err;
    }
  }

  /** A digit interrupts what is playing (barge-in). */
  private async stopPrompt(call: LiveCall): Promise<void> {
    const id = call.playbackId;
    call.playbackId = null;
    if (!id) return;
    this.afterPlayback.delete(id);
    await this.ari.stopPlayback(id).catch(() => undefined);
  }

  playbackFinished(playbackId: string): void {
    const then = this.afterPlayback.get(playbackId);
    this.afterPlayback.delete(playbackId);
    if (then) this.guard(Promise.resolve().then(then), 'after a prompt');
  }

  /** Runs an event-driven step without ever leaking a rejection (it would stop the server). */
  guard(step: Promise<unknown>, what: string): void {
    step.catch((err) => {
      if (err instanceof AriError && [404, 409, 422].includes(err.status)) return;
      this.log.warn({ err: (err as Error).message }, `call step failed: ${what}`);
    });
  }

  private hangupQuietly(channelId: string): void {
    this.guard(this.ari.hangup(channelId), 'hang up');
  }

  /** A per-call timer, cleared when the call ends; never keeps the process alive. */
  private timer(call: LiveCall, ms: number, fn: () => unknown): void {
    // an await may resume after the caller hung up: schedule nothing for a gone call
    if (call.ended) return;
    const t = setTimeout(() => {
      call.timers.delete(t);
      if (call.ended) return;
      // a failed step must never become an unhandled rejection that takes the server down
      Promise.resolve()
        .then(fn)
        .catch((err) => this.warnUnlessGone(call, err, 'timed call step failed'));
    }, ms);
    t.unref();
    call.timers.add(t);
  }

  private clearTimers(call: LiveCall): void {
    for (const t of call.timers) clearTimeout(t);
    call.timers.clear();
  }

  // ---------------------------------------------------------------- IVR

  private async playMenu(call: LiveCall, menu: string, before?: string): Promise<void> {
    call.phase = 'ivr';
    call.ivr.menu = menu;
    this.clearTimers(call);
    const prompt = this.ivrConfig.menus[menu].prompt;
    await this.play(call, [...(before ? [sound(before)] : []), sound(prompt)], () =>
      this.timer(call, this.ivrConfig.digitTimeoutSeconds * 1000, () => this.ivrStep(call, noInput(this.ivrConfig, call.ivr))),
    );
  }

  private async ivrStep(call: LiveCall, step: IvrStep): Promise<void> {
    try {
      if (step.do === 'repeat') await this.playMenu(call, call.ivr.menu);
      else if (step.do === 'menu') await this.playMenu(call, step.menu, step.before);
      else await this.routeToQueue(call, step.target);
    } catch (err) {
      this.warnUnlessGone(call, err, 'IVR step failed');
    }
  }

  /** A DTMF digit from a citizen's channel. */
  async digit(channelId: string, digit: string): Promise<void> {
    const call = this.live.get(channelId);
    if (!call || call.ended) return;
    if (call.phase === 'ivr') {
      this.clearTimers(call);
      await this.stopPrompt(call);
      await this.ivrStep(call, pressDigit(this.ivrConfig, call.ivr, digit));
    } else if (call.phase === 'queued' && call.offeringCallback && digit === '1') {
      await this.acceptCallback(call);
    } else if (call.phase === 'survey' && ['1', '2', '3'].includes(digit)) {
      await this.rate(call, digit);
    }
  }

  // ---------------------------------------------------------------- queue

  private async routeToQueue(call: LiveCall, target: QueueTarget): Promise<void> {
    call.target = target;
    let queue = target.queue;
    let street: string | null = null;
    if (target.streetRouting) {
      street = this.knownStreetOf(call.callerNumber);
      if (street && this.seats.streetHasSeatsOn(street)) queue = 'street';
      else street = null;
    }
    this.repo.update(call.channelId, { category: target.category, subcategory: target.subcategory ?? null, ivrPath: call.ivr.path, queue });
    this.tickets.update(
      call.ticketId,
      {
        category: target.category,
        subcategory: target.subcategory ?? null,
        ...(target.emergency ? { kind: 'emergency' } : {}),
        ...(street ? { street, assignedStreet: street } : {}),
      },
      { actor, action: 'ivr_choice', data: { path: call.ivr.path, queue, street } },
    );
    if (target.emergency) {
      this.bus.emit('emergency', { ticketId: call.ticketId, callId: call.channelId, callerNumber: call.callerNumber, at: this.now(), summary: 'emergency call (IVR 9)' });
    }
    const priority = target.emergency ? PRIORITY.emergency : call.source === '12345' ? PRIORITY.transfer12345 : PRIORITY.normal;
    // join the queue first: a bridge join waits for a playing prompt to end
    await this.enqueue(call, queue, street, priority);
    if (call.phase === 'queued') await this.play(call, [sound(target.emergency ? 'ivr/emergency' : 'ivr/to-operator')]).catch(() => undefined);
  }

  /** The caller's street from their earlier tickets, for community-life routing. */
  private knownStreetOf(callerNumber: string): string | null {
    if (!callerNumber) return null;
    const row = this.db
      .select({ street: ticketsTable.street })
      .from(ticketsTable)
      .where(and(eq(ticketsTable.callerNumber, callerNumber), isNotNull(ticketsTable.street)))
      .orderBy(desc(ticketsTable.createdAt))
      .limit(1)
      .get();
    return row?.street ?? null;
  }

  private async enqueue(call: LiveCall, queue: string, street: string | null, priority: number, since?: number): Promise<void> {
    call.phase = 'queued';
    const at = this.now();
    const row = this.repo.get(call.channelId);
    const enqueuedAt = since ?? row?.enqueuedAt ?? at;
    this.repo.update(call.channelId, { queue, priority, enqueuedAt });
    this.waiting.add({ callId: call.channelId, queue, street, priority, since: enqueuedAt });
    if (!call.holding) {
      await this.ensureHoldingBridge();
      await this.ari.addToBridge(HOLDING_BRIDGE, call.channelId).catch((err) => {
        if (!(err instanceof AriError && err.status === 409)) throw err;
      });
      call.holding = true;
    }
    if (call.ended) return this.leaveQueue(call);
    this.scheduleQueueAnnouncements(call, queue);
    this.bus.emit('queue.changed', { queue });
    this.dispatch();
  }

  private holdingReady: Promise<void> | null = null;

  /** One holding bridge for all waiting callers, with one shared hold music. */
  ensureHoldingBridge(): Promise<void> {
    this.holdingReady ??= (async () => {
      try {
        await this.ari.getBridge(HOLDING_BRIDGE);
      } catch (err) {
        if (!(err instanceof AriError && err.status === 404)) throw err;
        await this.ari.createBridge(HOLDING_BRIDGE, 'holding', 'hotline queue');
      }
      await this.ari.startBridgeMoh(HOLDING_BRIDGE, 'default').catch(() => undefined);
    })().catch((err) => {
      this.holdingReady = null;
      throw err;
    });
    return this.holdingReady;
  }

  /** Position and expected wait every announceEverySeconds; the max-wait offer or overflow. */
  private scheduleQueueAnnouncements(call: LiveCall, queue: string): void {
    const def = this.queueConfig.queues[queue];
    const every = this.queueConfig.announceEverySeconds * 1000;
    const announce = () => {
      if (call.phase !== 'queued' || call.seatLeg) return void this.timer(call, every, announce);
      const position = this.waiting.position(call.channelId);
      const ready = Math.max(1, this.seats.countByState((s) => s.skills.includes(def.skill)).on_call);
      const minutes = Math.max(1, Math.ceil((position * 3) / ready));
      void this.play(call, [
        sound('queue/position-before'),
        ...mandarinNumber(position).map(sound),
        sound('queue/position-after'),
        sound('queue/wait-before'),
        ...mandarinNumber(minutes).map(sound),
        sound('queue/wait-minutes'),
      ]).catch(() => undefined);
      this.timer(call, every, announce);
    };
    this.timer(call, every, announce);
    const waited = this.now() - (this.waiting.get(call.channelId)?.since ?? this.now());
    this.timer(call, Math.max(1000, def.maxWaitSeconds * 1000 - waited), () => this.maxWaitReached(call, queue));
  }

  private async maxWaitReached(call: LiveCall, queue: string): Promise<void> {
    if (call.phase !== 'queued' || call.seatLeg) return;
    const def = this.queueConfig.queues[queue];
    if (def.onMaxWait === 'overflow' && def.overflowTo) {
      const w = this.waiting.get(call.channelId);
      this.clearTimers(call);
      await this.enqueue(call, def.overflowTo, null, w?.priority ?? PRIORITY.normal, w?.since);
      await this.play(call, [sound('queue/overflow')]).catch(() => undefined);
      return;
    }
    call.offeringCallback = true;
    await this.play(call, [sound('queue/callback-offer')]).catch(() => undefined);
    // the offer stands for one more wait period
    this.timer(call, def.maxWaitSeconds * 1000, () => this.maxWaitReached(call, queue));
  }

  /** Pressed 1: keep the place as a callback ticket; the caller can hang up. */
  private async acceptCallback(call: LiveCall): Promise<void> {
    call.offeringCallback = false;
    call.outcome = 'callback';
    call.phase = 'leaving';
    this.leaveQueue(call);
    this.tickets.update(call.ticketId, { needsCallback: true }, { actor, action: 'callback_requested', data: { callId: call.channelId } });
    // the confirmation plays to this caller inside the holding bridge, then we hang up
    await this.stopPrompt(call);
    await this.play(call, [sound('queue/callback-confirmed')], () => this.hangupQuietly(call.channelId)).catch(() => this.hangupQuietly(call.channelId));
  }

  private leaveQueue(call: LiveCall): void {
    const w = this.waiting.remove(call.channelId);
    if (w) this.bus.emit('queue.changed', { queue: w.queue });
  }

  // ---------------------------------------------------------------- seats

  /** Matches waiting callers (in order) with the longest-idle ready seats. */
  dispatch(): void {
    if (this.stopped) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        const now = this.now();
        for (const w of this.waiting.ordered()) {
          const call = this.live.get(w.callId);
          if (!call || call.ended || call.seatLeg || call.offeringCallback) continue;
          for (const [seatId, at] of call.missedBy) if (now - at > MISSED_SEAT_COOLDOWN_MS) call.missedBy.delete(seatId);
          const def = this.queueConfig.queues[w.queue];
          const seat = this.seats.pickLongestIdle(def.skill, {
            kind: w.queue === 'street' ? 'street' : 'center',
            ...(w.queue === 'street' ? { street: w.street } : {}),
            exclude: new Set(call.missedBy.keys()),
          });
          if (seat) this.ringSeat(call, seat);
        }
      } while (this.dispatchAgain);
    } finally {
      this.dispatching = false;
    }
  }

  private ringSeat(call: LiveCall, seat: SeatRow, transfer = false): void {
    const channelId = `seat-${randomUUID()}`;
    call.seatLeg = { channelId, seatId: seat.id, answered: false };
    this.seatLegs.set(channelId, { callId: call.channelId, seatId: seat.id, answered: false });
    this.seats.set(seat.id, 'ringing');
    const row = this.repo.get(call.channelId);
    if (!row?.offeredAt) this.repo.update(call.channelId, { offeredAt: this.now() });
    this.bus.emit('call.changed', { callId: call.channelId, phase: 'ringing' });
    this.ari
      .originate({
        endpoint: seat.dial,
        channelId,
        appArgs: `seat,${call.channelId},${seat.id}${transfer ? ',transfer' : ''}`,
        timeout: this.queueConfig.seats.ringTimeoutSeconds,
        callerId: call.callerNumber,
        originator: call.channelId,
      })
      .catch((err) => {
        // 500: the endpoint can't be reached at all: that seat is unavailable, try the next
        this.log.warn({ err: (err as Error).message, seatId: seat.id }, 'could not ring seat');
        this.seatLegGone(channelId, 'unreachable');
      });
  }

  /** The seat picked up: out of the queue, into a mixing bridge with the caller, recorded. */
  async seatAnswered(seatChannel: Channel, callId: string, seatId: string): Promise<void> {
    if (this.stopped) return;
    const leg = this.seatLegs.get(seatChannel.id);
    const call = this.live.get(callId);
    if (!leg || !call || call.ended || call.seatLeg?.channelId !== seatChannel.id) {
      // the caller left while it rang
      this.seatLegs.delete(seatChannel.id);
      await this.ari.hangup(seatChannel.id);
      if (leg) this.seatFree(leg.seatId, false);
      return;
    }
    leg.answered = true;
    call.seatLeg!.answered = true;
    call.phase = 'connected';
    call.offeringCallback = false;
    this.clearTimers(call);
    this.leaveQueue(call);
    const at = this.now();
    const row = this.repo.get(callId);
    const recordingName = `call-${callId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    this.repo.update(callId, {
      seatId,
      seatAnsweredAt: row?.seatAnsweredAt ?? at,
      outcome: null,
      waitSeconds: row?.enqueuedAt ? Math.round((at - row.enqueuedAt) / 1000) : 0,
      recordingName,
    });
    this.tickets.update(call.ticketId, { assignedSeatId: seatId, needsCallback: false }, { actor, action: 'call_answered', data: { seatId, callId } });
    this.seats.set(seatId, 'on_call', { missedInRow: 0 });
    this.bus.emit('call.changed', { callId, phase: 'connected', seatId, ticketId: call.ticketId });
    try {
      await this.stopPrompt(call);
      await this.ari.removeFromBridge(HOLDING_BRIDGE, callId);
      call.holding = false;
      const bridge = connectBridge(callId);
      await this.ari.createBridge(bridge, 'mixing', `call ${callId}`);
      await this.ari.addToBridge(bridge, [callId, seatChannel.id]);
      await this.ari.recordBridge(bridge, recordingName).catch((err) => this.log.warn({ err: (err as Error).message, callId }, 'recording did not start'));
    } catch (err) {
      this.warnUnlessGone(call, err, 'could not connect the seat');
    }
  }

  /** A seat leg ended: before answer it is a miss (next seat); after, the talk is over. */
  seatLegGone(channelId: string, cause: string): void {
    if (this.stopped) return;
    const leg = this.seatLegs.get(channelId);
    if (!leg) return;
    this.seatLegs.delete(channelId);
    const call = this.live.get(leg.callId);
    if (call?.seatLeg?.channelId === channelId) call.seatLeg = null;
    if (!leg.answered) {
      // rang out, busy, rejected or unreachable
      if (call && !call.ended) call.missedBy.set(leg.seatId, this.now());
      this.seatFree(leg.seatId, !!call && !call.ended, cause);
      this.dispatch();
      return;
    }
    this.seatWrapUp(leg.seatId);
    if (call && !call.ended) this.guard(this.askForRating(call), 'rating');
  }

  /** After ringing without a conversation. `missed`: it counts towards going not-ready. */
  private seatFree(seatId: string, missed: boolean, cause?: string): void {
    const seat = this.seats.get(seatId);
    if (!seat) return;
    if (!missed) {
      this.seats.set(seatId, seat.stateReason?.startsWith('after call') ? 'not_ready' : 'ready', seat.stateReason?.startsWith('after call') ? { stateReason: 'not ready' } : {});
      return;
    }
    const missedInRow = seat.missedInRow + 1;
    if (missedInRow >= this.queueConfig.seats.maxMissedInRow) {
      this.seats.set(seatId, 'not_ready', { missedInRow, stateReason: `missed ${missedInRow} calls in a row` });
    } else {
      this.seats.set(seatId, 'ready', { missedInRow, ...(cause ? {} : {}) });
    }
  }

  private seatWrapUp(seatId: string): void {
    const seat = this.seats.get(seatId);
    if (!seat) return;
    const after = seat.stateReason?.startsWith('after call') ? 'not_ready' : 'ready';
    this.seats.set(seatId, 'wrap_up', { lastCallEndedAt: this.now(), stateReason: seat.stateReason });
    const t = setTimeout(() => {
      this.wrapUps.delete(t);
      if (this.stopped || this.seats.get(seatId)?.state !== 'wrap_up') return;
      this.seats.set(seatId, after, after === 'not_ready' ? { stateReason: 'not ready' } : {});
      this.dispatch();
    }, this.queueConfig.seats.wrapUpSeconds * 1000);
    t.unref();
    this.wrapUps.add(t);
  }

  /** A seat became ready by hand: maybe someone is waiting for it. */
  seatBecameReady(): void {
    this.dispatch();
  }

  // ---------------------------------------------------------------- after the talk

  private async askForRating(call: LiveCall): Promise<void> {
    call.phase = 'survey';
    try {
      await this.ari.destroyBridge(connectBridge(call.channelId));
      await this.play(call, [sound('survey/rate')], () =>
        this.timer(call, SURVEY_TIMEOUT_MS, () => void this.play(call, [sound('call/goodbye')], () => this.hangupQuietly(call.channelId)).catch(() => undefined)),
      );
    } catch (err) {
      this.warnUnlessGone(call, err, 'could not ask for a rating');
    }
  }

  private async rate(call: LiveCall, digit: string): Promise<void> {
    const rating = ({ '1': 'satisfied', '2': 'fair', '3': 'unsatisfied' } as const)[digit as '1' | '2' | '3'];
    call.phase = 'leaving';
    this.clearTimers(call);
    await this.stopPrompt(call);
    this.repo.update(call.channelId, { rating });
    this.tickets.update(
      call.ticketId,
      { satisfaction: rating, ...(rating === 'unsatisfied' ? { flaggedForSupervisor: true } : {}) },
      { actor, action: 'call_rated', reason: rating },
    );
    await this.play(call, [sound('survey/thanks')], () => this.hangupQuietly(call.channelId)).catch(() => this.hangupQuietly(call.channelId));
  }

  // ---------------------------------------------------------------- after hours

  private async takeVoiceMessage(call: LiveCall): Promise<void> {
    call.phase = 'voicemail';
    const name = `vm-${call.channelId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    await this.play(call, [sound('ivr/closed'), sound('ivr/leave-message')], () => {
      this.repo.update(call.channelId, { voicemailName: name });
      call.outcome = 'voicemail';
      void this.ari
        .recordChannel(call.channelId, name, { maxDurationSeconds: 120, maxSilenceSeconds: 10, terminateOn: '#', beep: true })
        .catch((err) => this.warnUnlessGone(call, err, 'could not record the voice message'));
    });
  }

  /**
   * A voice message was saved (the caller pressed # or fell silent, or hung up), or
   * could not be recorded: either way the caller is called back.
   */
  voiceMessageSaved(name: string, failure?: string): void {
    if (this.stopped) return;
    const row = this.repo.byVoicemail(name);
    if (!row) return;
    if (failure) {
      this.log.warn({ name, failure }, 'voice message not recorded');
      this.repo.update(row.id, { voicemailName: null });
    }
    this.tickets.update(row.ticketId, { needsCallback: true }, { actor, action: failure ? 'voice_message_failed' : 'voice_message', data: { recording: failure ? null : name, failure } });
    const call = this.live.get(row.id);
    if (call && !call.ended) void this.play(call, [sound('ivr/message-saved')], () => this.hangupQuietly(call.channelId)).catch(() => undefined);
  }

  // ---------------------------------------------------------------- transfer

  /** An operator moves a live call to a seat, an outside number or another queue. */
  async transfer(callId: string, to: { seatId?: string; number?: string; queue?: string }): Promise<void> {
    const call = this.live.get(callId);
    if (!call || call.ended) throw new Error('call not live');
    const previous = call.seatLeg;
    if (previous) {
      // the old seat leaves without a rating prompt for the caller
      this.seatLegs.delete(previous.channelId);
      call.seatLeg = null;
      await this.ari.removeFromBridge(connectBridge(callId), previous.channelId);
      await this.ari.hangup(previous.channelId);
      if (previous.answered) this.seatWrapUp(previous.seatId);
      else this.seatFree(previous.seatId, false);
      await this.ari.destroyBridge(connectBridge(callId));
    }
    this.tickets.update(call.ticketId, {}, { actor, action: 'call_transferred', data: to });
    if (to.queue) {
      await this.enqueue(call, to.queue, null, this.waiting.get(callId)?.priority ?? PRIORITY.normal);
      return;
    }
    call.phase = 'queued';
    await this.ensureHoldingBridge();
    await this.ari.addToBridge(HOLDING_BRIDGE, callId).catch(() => undefined);
    call.holding = true;
    const seat: SeatRow | undefined = to.seatId
      ? this.seats.get(to.seatId)
      : ({ id: `number:${to.number}`, dial: `PJSIP/${to.number}@street-gw` } as SeatRow);
    if (!seat) throw new Error('no such seat');
    this.ringSeat(call, seat, true);
  }

  // ---------------------------------------------------------------- end

  /** The caller left the app (hung up, or the channel is gone). Idempotent. */
  /** `cut`: Asterisk lost the call (it restarted), so it ends `interrupted` whatever stage it reached. */
  callLeft(channelId: string, cause?: string, cut = false): void {
    if (this.stopped) return;
    const call = this.live.get(channelId);
    this.live.delete(channelId);
    if (call) {
      call.ended = true;
      this.clearTimers(call);
      if (call.playbackId) this.afterPlayback.delete(call.playbackId);
      this.leaveQueue(call);
      const leg = call.seatLeg;
      if (leg) {
        // the caller hung up while the seat rang or talked
        this.seatLegs.delete(leg.channelId);
        this.hangupQuietly(leg.channelId);
        if (leg.answered) this.seatWrapUp(leg.seatId);
        else this.seatFree(leg.seatId, false);
      }
      void this.ari.destroyBridge(connectBridge(channelId)).catch(() => undefined);
    }
    const row = this.repo.get(channelId);
    if (!row || row.endedAt !== null) return;
    const outcome = cut ? 'interrupted' : row.seatAnsweredAt ? 'answered' : (call?.outcome ?? (row.voicemailName ? 'voicemail' : 'abandoned'));
    this.finish(row, this.now(), cause ?? null, outcome);
    this.dispatch();
  }

  private finish(row: CallRow, endedAt: number, cause: string | null, outcome: string): void {
    const talkSeconds = row.seatAnsweredAt ? Math.round((endedAt - row.seatAnsweredAt) / 1000) : null;
    const waitSeconds = row.enqueuedAt ? Math.round(((row.seatAnsweredAt ?? endedAt) - row.enqueuedAt) / 1000) : null;
    if (!this.repo.endOnce(row.id, { endedAt, outcome, hangupCause: cause, talkSeconds, waitSeconds })) return;
    // nobody spoke to the caller: someone must call back
    const needsCallback = outcome !== 'answered';
    this.tickets.update(row.ticketId, needsCallback ? { needsCallback } : {}, { actor, action: 'call_ended', reason: outcome, data: { callId: row.id, cause } });
    this.bus.emit('call.changed', { callId: row.id, phase: 'ended', seatId: row.seatId, ticketId: row.ticketId });
  }

  // ---------------------------------------------------------------- reconnect

  /** A call we knew before a restart or reconnect carries on from where its row says. */
  private async resume(call: LiveCall, row: CallRow): Promise<void> {
    try {
      if (row.seatAnsweredAt) {
        // it was talking when we lost sight of it; if the seat is still bridged, let them talk
        const bridge = await this.ari.getBridge(connectBridge(call.channelId)).catch(() => null);
        const seatChannel = bridge?.channels.find((c) => c !== call.channelId);
        if (seatChannel && row.seatId) {
          call.phase = 'connected';
          call.seatLeg = { channelId: seatChannel, seatId: row.seatId, answered: true };
          this.seatLegs.set(seatChannel, { callId: call.channelId, seatId: row.seatId, answered: true });
          this.seats.set(row.seatId, 'on_call');
          return;
        }
        await this.askForRating(call);
      } else if (row.queue) {
        call.target = { queue: row.queue, category: row.category ?? 'other', ...(row.subcategory ? { subcategory: row.subcategory } : {}) };
        await this.enqueue(call, row.queue, null, row.priority ?? PRIORITY.normal, row.enqueuedAt ?? undefined);
      } else if (row.voicemailName) {
        await this.ari.hangup(call.channelId);
      } else {
        await this.playMenu(call, this.ivrConfig.start);
      }
    } catch (err) {
      this.warnUnlessGone(call, err, 'could not resume the call');
    }
  }

  /**
   * After (re)connecting: adopt the app's channels (their StasisStart may have been
   * missed), close calls whose channels are gone, free seats left ringing.
   */
  async resync(): Promise<{ adopted: number; interrupted: number }> {
    const startedAt = this.now();
    this.holdingReady = null;
    const channels = await this.ari.listChannels();
    const present = new Set(channels.map((c) => c.id));
    // seat legs we remember but Asterisk doesn't have
    for (const id of [...this.seatLegs.keys()]) if (!present.has(id)) this.seatLegGone(id, 'gone');
    let adopted = 0;
    for (const channel of channels.filter((c) => isOurInbound(c, this.ari.app))) {
      if (this.live.has(channel.id)) continue;
      this.callEntered(channel, sourceOf(channel));
      adopted++;
    }
    // a call that began before Asterisk's last start was cut by that restart; one that
    // vanished while only we were away most likely ended normally
    const info = await this.ari.info().catch(() => null);
    const asteriskStartedAt = Date.parse(info?.status?.startup_time ?? '') || 0;
    let interrupted = 0;
    for (const row of this.repo.openAriCalls(startedAt)) {
      if (present.has(row.id)) continue;
      const cut = asteriskStartedAt > row.startedAt;
      const cause = cut ? 'cut: Asterisk restarted' : 'gone while the server was disconnected';
      if (this.live.has(row.id)) this.callLeft(row.id, cause, cut);
      else this.finish(row, this.now(), cause, cut || !row.seatAnsweredAt ? 'interrupted' : 'answered');
      interrupted++;
    }
    // a seat shown busy with no call of ours behind it is free again
    const busy = new Set([...this.seatLegs.values()].map((l) => l.seatId));
    for (const seat of this.seats.list()) {
      if ((seat.state === 'ringing' || seat.state === 'on_call') && !busy.has(seat.id)) this.seats.set(seat.id, 'ready');
    }
    if (adopted || interrupted) this.log.info({ adopted, interrupted }, 'calls resynchronised with Asterisk');
    this.dispatch();
    return { adopted, interrupted };
  }

  /** Forget live calls on the way down: they stay in Asterisk and the next start resyncs them. */
  shutdown(): void {
    this.stopped = true;
    for (const t of this.wrapUps) clearTimeout(t);
    this.wrapUps.clear();
    for (const call of this.live.values()) {
      call.ended = true;
      this.clearTimers(call);
    }
    this.live.clear();
    this.seatLegs.clear();
  }

  private warnUnlessGone(call: LiveCall, err: unknown, what: string): void {
    if (call.ended) return;
    if (err instanceof AriError && [404, 409, 422].includes(err.status)) return;
    this.log.warn({ err: (err as Error).message, channelId: call.channelId }, what);
  }
}

function startedAt(channel: Channel, fallback: number): number {
  const t = Date.parse(channel.creationtime);
  return Number.isFinite(t) ? t : fallback;
}

/** Channels parked in our app by the dialplan's Stasis(app,inbound,source). */
function isOurInbound(channel: Channel, app: string): boolean {
  const d = channel.dialplan;
  return d?.app_name === 'Stasis' && (d.app_data ?? '').startsWith(`${app},inbound`);
}

function sourceOf(channel: Channel): 'phone' | '12345' {
  return (channel.dialplan?.app_data ?? '').endsWith(',12345') ? '12345' : 'phone';
}
