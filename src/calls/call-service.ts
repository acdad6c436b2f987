import type { Channel } from '../ari/index.js';
import { CallCore, type CallDeps } from './core.js';
import { seatAnswered, seatPickedUp } from './connecting.js';
import { callLeft } from './ending.js';
import { greet, ivrDigit } from './ivr-runner.js';
import { startIvr } from './ivr.js';
import type { LiveCall } from './live-call.js';
import { dispatch, seatLegGone } from './offering.js';
import { callQuery, type CallControl, type CallQuery } from './query.js';
import { acceptCallback } from './queueing.js';
import { resync } from './resync.js';
import { screeningDigit } from './screening.js';
import { stopWrapUps } from './seat-policy.js';
import { rate } from './survey.js';
import { transfer, type TransferTarget } from './transfer.js';
import { voiceMessageSaved } from './voicemail.js';

/**
 * The call path's front: stasis.ts turns ARI events into these calls, routes use
 * `control`, other features read `query`. The policy lives in the modules beside this
 * one; the state and its one way of changing in core.ts.
 */
export class CallService implements CallControl {
  readonly core: CallCore;
  readonly query: CallQuery;

  constructor(deps: CallDeps) {
    this.core = new CallCore(deps);
    this.query = callQuery(this.core);
  }

  /**
   * A citizen's channel entered the app. The ticket and call row are written before
   * any REST call, so a crash or a lost event can never lose the call.
   */
  callEntered(channel: Channel, source: 'phone' | '12345'): void {
    this.core.deps.repo.oneCommit(() => this.enter(channel, source));
  }

  private enter(channel: Channel, source: 'phone' | '12345'): void {
    const core = this.core;
    if (core.stopped || core.live.has(channel.id)) return;
    const { repo, tickets, now } = core.deps;
    const at = now();
    const existing = repo.get(channel.id);
    let ticketId = existing?.ticketId;
    if (ticketId === undefined) {
      const callerNumber = channel.caller.number || null;
      ticketId = tickets.create({ source, callerNumber, callerName: channel.caller.name || null }, core.actor, { channelId: channel.id, dialed: channel.dialplan.exten }).id;
      const started = Date.parse(channel.creationtime);
      repo.insert({
        id: channel.id,
        ticketId,
        origin: 'ari',
        source,
        callerNumber,
        callerName: channel.caller.name || null,
        dialedNumber: channel.dialplan.exten,
        startedAt: Number.isFinite(started) ? started : at,
        answeredAt: channel.state === 'Up' ? at : null,
      });
    }
    const call: LiveCall = { channelId: channel.id, ticketId, callerNumber: channel.caller.number, source, state: 'ivr', ivr: startIvr(core.deps.callflow.ivr), target: null, wait: null, leg: null, missedBy: new Map(), outcome: null, voicemail: null };
    core.adopt(call, 'entered');
    core.runDetached(greet(core, call, channel.state === 'Up'), 'greet');
  }

  /** A DTMF digit from a citizen's channel (what it does depends on the call's state only) or a seat leg. */
  async digit(channelId: string, digit: string): Promise<void> {
    // the far end of a screened seat leg answering the whisper
    if (this.core.legs.has(channelId)) return screeningDigit(this.core, channelId, digit);
    const call = this.core.live.get(channelId);
    if (!call) return;
    if (call.state === 'ivr') await ivrDigit(this.core, call, digit);
    else if (call.state === 'callback_offer') await acceptCallback(this.core, call, digit);
    else if (call.state === 'survey') await rate(this.core, call, digit);
  }

  playbackFinished(playbackId: string, channelId?: string): void {
    this.core.prompts.finished(playbackId, channelId);
  }

  // Each event's writes (up to its first wait on Asterisk) go in one commit: see oneCommit.

  seatPickedUp(seatChannel: Channel, callId: string, seatId: string): Promise<void> {
    return seatPickedUp(this.core, seatChannel, callId, seatId);
  }

  inRecordingStep(channelId: string): boolean {
    return this.core.inRecordingStep.has(channelId);
  }

  seatAnswered(seatChannel: Channel, callId: string, seatId: string): Promise<void> {
    return this.core.deps.repo.oneCommit(() => seatAnswered(this.core, seatChannel, callId, seatId));
  }

  seatLegGone(channelId: string, cause: string): void {
    this.core.deps.repo.oneCommit(() => seatLegGone(this.core, channelId, cause));
  }

  callLeft(channelId: string, cause?: string): void {
    this.core.deps.repo.oneCommit(() => callLeft(this.core, channelId, cause));
  }

  voiceMessageSaved(name: string, failure?: string): void {
    this.core.deps.repo.oneCommit(() => voiceMessageSaved(this.core, name, failure));
  }

  transfer(callId: string, to: TransferTarget): Promise<void> {
    return this.core.deps.repo.oneCommit(() => transfer(this.core, callId, to));
  }

  /** A channel left the app (StasisEnd, ChannelDestroyed): it is out of its talk bridge. */
  channelGone(channelId: string): void {
    this.core.talk.left(channelId);
  }

  /** The talk bridge a caller or seat leg is in, if any. */
  talkBridgeOf(channelId: string): string | undefined {
    return this.core.talk.bridgeOf(channelId);
  }

  isLive(channelId: string): boolean {
    return this.core.live.has(channelId);
  }

  isSeatLeg(channelId: string): boolean {
    return this.core.legs.has(channelId);
  }

  /**
   * A seat became ready: someone may be waiting for it. At once, as before the seat's
   * state change returns (dispatch() is safe to re-enter: it loops again instead).
   */
  seatReady(): void {
    this.core.deps.repo.oneCommit(() => dispatch(this.core));
  }

  resync(): Promise<{ adopted: number; interrupted: number }> {
    return resync(this.core, (channel, source) => this.callEntered(channel, source));
  }

  runDetached(step: Promise<unknown>, what: string): void {
    this.core.runDetached(step, what);
  }

  /** Forget live calls on the way down: they stay in Asterisk and the next start rebuilds them. */
  shutdown(): void {
    const core = this.core;
    core.stopped = true;
    stopWrapUps(core);
    core.prompts.shutdown();
    core.live.clear();
    core.legs.clear();
  }
}
