import { AriError, type AriPort } from '../ari/index.js';
import { HOLDING_BRIDGE } from './names.js';

/**
 * One holding bridge for all waiting callers, with one shared hold music. Membership
 * is Asterisk's: after a restart the bridge says who is in it.
 */
export class HoldingBridge {
  private ready: Promise<void> | null = null;
  /** joins sent and not yet answered, by caller */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly ari: AriPort) {}

  /** Forgotten after a reconnect: Asterisk may have restarted without it. */
  reset(): void {
    this.ready = null;
  }

  private ensure(): Promise<void> {
    const ari = this.ari;
    this.ready ??= (async () => {
      try {
        await ari.getBridge(HOLDING_BRIDGE);
      } catch (err) {
        if (!(err instanceof AriError && err.status === 404)) throw err;
        await ari.createBridge(HOLDING_BRIDGE, 'holding', 'hotline queue');
      }
      await ari.startBridgeMoh(HOLDING_BRIDGE, 'default').catch(() => undefined);
    })().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  async join(callId: string): Promise<void> {
    const p = this.ensure().then(() =>
      this.ari.addToBridge(HOLDING_BRIDGE, callId).catch((err: unknown) => {
        // already in it
        if (!(err instanceof AriError && err.status === 409)) throw err;
      }),
    );
    this.pending.set(callId, p);
    try {
      await p;
    } finally {
      if (this.pending.get(callId) === p) this.pending.delete(callId);
    }
  }

  /**
   * Once a join of `callId` still in flight is answered (either way). A seat may be rung
   * before the caller is in the bridge; its connect waits for this, or the join, arriving
   * second, would take the caller back out of the talk.
   */
  settled(callId: string): Promise<void> {
    const p = this.pending.get(callId);
    return p ? p.then(
      () => undefined,
      () => undefined,
    ) : Promise.resolve();
  }

  /** Who Asterisk has in the bridge now (empty when it does not exist). */
  async members(): Promise<Set<string>> {
    const b = await this.ari.getBridge(HOLDING_BRIDGE).catch(() => null);
    return new Set(b?.channels ?? []);
  }
}
