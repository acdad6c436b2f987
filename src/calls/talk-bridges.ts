import { randomUUID } from 'node:crypto';
import { AriError, type AriPort } from '../ari/index.js';
import { TALK_BRIDGE_PREFIX } from './names.js';

/**
 * The bridges callers and seats talk in, kept between calls: a talk takes an idle bridge
 * and the bridge goes back once both of its channels are out, instead of one bridge
 * created and destroyed per call (two REST round trips and an Asterisk bridge each call).
 *
 * Membership is Asterisk's, and this follows it: a channel is out when it left the app
 * (StasisEnd, ChannelDestroyed) or was taken out by a request of ours. A bridge is idle
 * only with no member left, and idle bridges are reused oldest first, so one that just
 * emptied is the last to be taken again. After a restart resync hands the bridges
 * Asterisk has back (adopt).
 */
export class TalkBridges {
  /** idle bridges, oldest first */
  private idle: string[] = [];
  /** bridge in use -> the channels of ours still in it */
  private readonly members = new Map<string, Set<string>>();
  private readonly bridgeOfChannel = new Map<string, string>();

  constructor(private readonly ari: AriPort) {}

  /** Forgotten after a reconnect: Asterisk may have restarted without them (resync adopts what is there). */
  reset(): void {
    this.idle = [];
    this.members.clear();
    this.bridgeOfChannel.clear();
  }

  /** The bridge `channelId` talks in, if it is in one of ours. */
  bridgeOf(channelId: string): string | undefined {
    return this.bridgeOfChannel.get(channelId);
  }

  /** Who else is in `channelId`'s talk bridge (the seat leg of a caller, say). */
  partnerOf(channelId: string): string | undefined {
    const bridgeId = this.bridgeOfChannel.get(channelId);
    return bridgeId ? [...(this.members.get(bridgeId) ?? [])].find((c) => c !== channelId) : undefined;
  }

  /**
   * Puts caller and seat leg in one bridge of their own. Adding takes the caller out of
   * the holding bridge (Asterisk departs its current bridge). An idle bridge Asterisk no
   * longer has (404) is dropped and the next one tried, a new one made when none is left.
   */
  async connect(callerId: string, legId: string, name: string): Promise<string> {
    for (;;) {
      const reused = this.idle.shift();
      const bridgeId = reused ?? `${TALK_BRIDGE_PREFIX}${randomUUID()}`;
      // before the requests: a hangup while they are in flight is then known to be out of it
      this.use(bridgeId, [callerId, legId]);
      try {
        if (!reused) await this.ari.createBridge(bridgeId, 'mixing', name);
        await this.ari.addToBridge(bridgeId, [callerId, legId]);
        return bridgeId;
      } catch (err) {
        this.forgetBridge(bridgeId);
        if (reused && err instanceof AriError && err.status === 404) continue;
        throw err;
      }
    }
  }

  /** Takes `channelId` out of its talk bridge (the caller to be asked for a rating, a seat transferred away). */
  async takeOut(channelId: string): Promise<void> {
    const bridgeId = this.bridgeOfChannel.get(channelId);
    if (!bridgeId) return;
    await this.ari.removeFromBridge(bridgeId, channelId);
    this.left(channelId);
  }

  /** `channelId` is out of its bridge (it left the app, or was taken out): an emptied bridge is idle again. */
  left(channelId: string): void {
    const bridgeId = this.bridgeOfChannel.get(channelId);
    if (!bridgeId) return;
    this.bridgeOfChannel.delete(channelId);
    const members = this.members.get(bridgeId);
    members?.delete(channelId);
    if (members && members.size === 0) {
      this.members.delete(bridgeId);
      this.idle.push(bridgeId);
    }
  }

  /** After a restart: a talk bridge Asterisk has, with the channels of ours in it (none: idle). */
  adopt(bridgeId: string, channels: string[]): void {
    if (this.members.has(bridgeId) || this.idle.includes(bridgeId)) return;
    if (channels.length) this.use(bridgeId, channels);
    else this.idle.push(bridgeId);
  }

  /** how many bridges are kept, for tests and metrics */
  get counts(): { idle: number; inUse: number } {
    return { idle: this.idle.length, inUse: this.members.size };
  }

  private use(bridgeId: string, channels: string[]): void {
    this.members.set(bridgeId, new Set(channels));
    for (const c of channels) this.bridgeOfChannel.set(c, bridgeId);
  }

  private forgetBridge(bridgeId: string): void {
    for (const c of this.members.get(bridgeId) ?? []) if (this.bridgeOfChannel.get(c) === bridgeId) this.bridgeOfChannel.delete(c);
    this.members.delete(bridgeId);
  }
}
