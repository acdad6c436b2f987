import { AriError, type AriPort } from '../ari/index.js';
import { HOLDING_BRIDGE } from './names.js';

/**
 * One holding bridge for all waiting callers, with one shared hold music. Membership
 * is Asterisk's: after a restart the bridge says who is in it.
 */
export class HoldingBridge {
  private ready: Promise<void> | null = null;

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
    await this.ensure();
    await this.ari.addToBridge(HOLDING_BRIDGE, callId).catch((err: unknown) => {
      // already in it
      if (!(err instanceof AriError && err.status === 409)) throw err;
    });
  }

  /** Who Asterisk has in the bridge now (empty when it does not exist). */
  async members(): Promise<Set<string>> {
    const b = await this.ari.getBridge(HOLDING_BRIDGE).catch(() => null);
    return new Set(b?.channels ?? []);
  }
}
