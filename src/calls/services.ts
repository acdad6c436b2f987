import { randomUUID } from 'node:crypto';
import type { AriRest, Channel } from '../ari/index.js';
import type { Db } from '../db/index.js';
import type { HotlineBus } from '../shared/bus.js';
import { systemActor } from '../shared/actor.js';
import type { TicketService } from '../tickets/services.js';
import { CallRepository, type CallRow } from './repository.js';

export interface Logger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/** What the server keeps in memory about a call that is in its Stasis app. */
export interface LiveCall {
  channelId: string;
  ticketId: number;
  callerNumber: string;
  source: 'phone' | '12345';
  /** the playback we started last, so a digit can stop it (barge-in) */
  playbackId: string | null;
  ended: boolean;
}

const actor = systemActor('calls');

/**
 * Call lifecycle: a ticket the moment a call enters the app, the line answered, the
 * welcome played, and the end recorded. Telephony events arrive through stasis.ts.
 */
export class CallService {
  readonly live = new Map<string, LiveCall>();
  readonly repo: CallRepository;

  constructor(
    db: Db,
    private readonly tickets: TicketService,
    private readonly bus: HotlineBus,
    private readonly ari: AriRest,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new CallRepository(db);
  }

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
        { source, callerNumber, callerName: channel.caller.name || null, needsCallback: false },
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
      playbackId: null,
      ended: false,
    };
    this.live.set(channel.id, call);
    this.bus.emit('call.changed', { callId: channel.id, phase: 'entered' });
    if (!existing) void this.greet(call, channel.state === 'Up');
    return call;
  }

  private async greet(call: LiveCall, answered: boolean): Promise<void> {
    try {
      if (!answered) {
        await this.ari.answer(call.channelId);
        this.repo.update(call.channelId, { answeredAt: this.now() });
      }
      await this.play(call, 'sound:ivr/welcome');
    } catch (err) {
      if (!call.ended) this.log.warn({ err: (err as Error).message, channelId: call.channelId }, 'could not greet caller');
    }
  }

  /** Plays a prompt to the caller with an id we chose, so its events can be matched. */
  async play(call: LiveCall, media: string | string[]): Promise<string> {
    const playbackId = `pb-${randomUUID()}`;
    call.playbackId = playbackId;
    await this.ari.play(call.channelId, playbackId, media);
    return playbackId;
  }

  /** The caller left the app (hung up, or the channel is gone). Idempotent. */
  callLeft(channelId: string, cause?: string): void {
    const call = this.live.get(channelId);
    if (call) call.ended = true;
    this.live.delete(channelId);
    const row = this.repo.get(channelId);
    if (!row || row.endedAt !== null) return;
    this.finish(row, this.now(), cause ?? null, row.seatAnsweredAt ? 'answered' : 'abandoned');
  }

  private finish(row: CallRow, endedAt: number, cause: string | null, outcome: string): void {
    const talkSeconds = row.seatAnsweredAt ? Math.round((endedAt - row.seatAnsweredAt) / 1000) : null;
    const waitFrom = row.enqueuedAt ?? null;
    const waitSeconds = waitFrom ? Math.round(((row.seatAnsweredAt ?? endedAt) - waitFrom) / 1000) : null;
    if (!this.repo.endOnce(row.id, { endedAt, outcome, hangupCause: cause, talkSeconds, waitSeconds })) return;
    if (outcome !== 'answered') {
      // nobody spoke to the caller: someone must call back
      this.tickets.update(row.ticketId, { needsCallback: true }, { actor, action: 'call_ended', reason: outcome, data: { callId: row.id, cause } });
    } else {
      this.tickets.update(row.ticketId, {}, { actor, action: 'call_ended', reason: outcome, data: { callId: row.id, cause } });
    }
    this.bus.emit('call.changed', { callId: row.id, phase: 'ended' });
  }

  /**
   * After (re)connecting: adopt the app's channels we don't know (their StasisStart
   * was missed) and close calls whose channels are gone (cut while we were away).
   */
  async resync(): Promise<{ adopted: number; interrupted: number }> {
    const startedAt = this.now();
    const channels = await this.ari.listChannels();
    const inApp = channels.filter((c) => isOurInbound(c, this.ari.app));
    let adopted = 0;
    for (const channel of inApp) {
      if (this.live.has(channel.id)) continue;
      this.callEntered(channel, sourceOf(channel));
      adopted++;
    }
    const present = new Set(channels.map((c) => c.id));
    let interrupted = 0;
    for (const row of this.repo.openAriCalls(startedAt)) {
      if (present.has(row.id)) continue;
      this.live.delete(row.id);
      this.finish(row, this.now(), 'gone while the server was disconnected', row.seatAnsweredAt ? 'answered' : 'interrupted');
      interrupted++;
    }
    if (adopted || interrupted) this.log.info({ adopted, interrupted }, 'calls resynchronised with Asterisk');
    return { adopted, interrupted };
  }

  /** Forget live calls on the way down: they stay in Asterisk and the next start resyncs them. */
  shutdown(): void {
    this.live.clear();
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
