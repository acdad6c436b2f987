import { randomUUID } from 'node:crypto';
import type { AriPort } from '../ari/index.js';
import { encodeArgs } from './app-args.js';
import type { Logger } from '../shared/logger.js';

/**
 * A supervisor listening in on a live call: a snoop channel on the caller's leg
 * (spy both ways, whisper none, so neither the caller nor the seat hears the
 * supervisor) and a call to the supervisor's own phone, bridged together when it
 * answers. Either end going away takes the other down with it.
 */
export interface Listening {
  id: string;
  callId: string;
  supervisor: string;
  endpoint: string;
  snoopChannelId: string;
  legChannelId: string;
  bridgeId: string;
  answered: boolean;
  startedAt: number;
}

/** How long the supervisor's phone rings before we give up. */
const RING_SECONDS = 30;

export class ListenIn {
  readonly active = new Map<string, Listening>();

  constructor(
    private readonly ari: AriPort,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Starts listening: the snoop first (it must exist before we can bridge it), then ring the supervisor. */
  async start(callId: string, endpoint: string, supervisor: string): Promise<Listening> {
    const id = randomUUID();
    // ids chosen here and recorded before any REST call: the events may beat the replies
    const l: Listening = {
      id,
      callId,
      supervisor,
      endpoint,
      snoopChannelId: `snoop-${id}`,
      legChannelId: `listen-${id}`,
      bridgeId: `listen-${id}`,
      answered: false,
      startedAt: this.now(),
    };
    this.active.set(id, l);
    try {
      await this.ari.snoop(callId, l.snoopChannelId, 'both', encodeArgs({ kind: 'snoop', listenId: id }));
      await this.ari.originate({ endpoint, channelId: l.legChannelId, appArgs: encodeArgs({ kind: 'listen', listenId: id }), timeout: RING_SECONDS, callerId: '"监听" <962200>' });
    } catch (err) {
      this.stop(id);
      throw err;
    }
    this.log.info({ callId, supervisor, endpoint, listenId: id }, 'supervisor listening in');
    return l;
  }

  /** The supervisor picked up: bridge their phone with the snoop. */
  async answered(listenId: string): Promise<void> {
    const l = this.active.get(listenId);
    if (!l) return;
    l.answered = true;
    try {
      await this.ari.createBridge(l.bridgeId, 'mixing', `listen-in on ${l.callId}`);
      await this.ari.addToBridge(l.bridgeId, [l.snoopChannelId, l.legChannelId]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, listenId }, 'could not bridge the supervisor with the call');
      this.stop(listenId);
    }
  }

  /** Any channel left Asterisk: if it belongs to a listen-in, end that listen-in. */
  channelGone(channelId: string): void {
    for (const l of this.active.values()) {
      if (l.snoopChannelId === channelId || l.legChannelId === channelId) this.stop(l.id);
    }
  }

  /** The call ended: nothing left to listen to. */
  callEnded(callId: string): void {
    for (const l of this.active.values()) if (l.callId === callId) this.stop(l.id);
  }

  forCall(callId: string): Listening[] {
    return [...this.active.values()].filter((l) => l.callId === callId);
  }

  stop(listenId: string): boolean {
    const l = this.active.get(listenId);
    if (!l) return false;
    this.active.delete(listenId);
    // cleanup tolerates 404/409: some of these may already be gone
    void this.ari.hangup(l.snoopChannelId).catch(() => undefined);
    void this.ari.hangup(l.legChannelId).catch(() => undefined);
    void this.ari.destroyBridge(l.bridgeId).catch(() => undefined);
    return true;
  }

  shutdown(): void {
    for (const id of [...this.active.keys()]) this.stop(id);
  }
}
