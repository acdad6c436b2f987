import { randomUUID } from 'node:crypto';
import type { AriPort } from '../ari/index.js';

/**
 * Prompts and per-call timers: which playback a digit may stop (barge-in), what to do
 * when a prompt finishes, and timers that end with the call and never keep the
 * process alive.
 */
export class PromptPlayer {
  private readonly current = new Map<string, string>();
  private readonly after = new Map<string, () => unknown>();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();

  constructor(
    private readonly ari: AriPort,
    /** false once the call ended: nothing is scheduled for a gone call */
    private readonly live: (callId: string) => boolean,
    /** a failed step is logged, never an unhandled rejection that takes the server down */
    private readonly failed: (callId: string, err: unknown, what: string) => void,
  ) {}

  /** Plays media to the caller; `then` runs when it finishes (not when a digit stops it). */
  async play(callId: string, media: string[], then?: () => unknown): Promise<void> {
    const playbackId = `pb-${randomUUID()}`;
    this.current.set(callId, playbackId);
    if (then) this.after.set(playbackId, then);
    try {
      await this.ari.play(callId, playbackId, media);
    } catch (err) {
      this.after.delete(playbackId);
      throw err;
    }
  }

  /** A digit interrupts what is playing. */
  async stop(callId: string): Promise<void> {
    const id = this.current.get(callId);
    this.current.delete(callId);
    if (!id) return;
    this.after.delete(id);
    await this.ari.stopPlayback(id).catch(() => undefined);
  }

  finished(playbackId: string, callId?: string): void {
    const then = this.after.get(playbackId);
    this.after.delete(playbackId);
    if (callId && this.current.get(callId) === playbackId) this.current.delete(callId);
    if (then) {
      Promise.resolve()
        .then(then)
        .catch((err: unknown) => this.failed(callId ?? '', err, 'after a prompt'));
    }
  }

  timer(callId: string, ms: number, fn: () => unknown): void {
    // an await may resume after the caller hung up: schedule nothing for a gone call
    if (!this.live(callId)) return;
    const set = this.timers.get(callId) ?? new Set();
    this.timers.set(callId, set);
    const t = setTimeout(() => {
      set.delete(t);
      if (!this.live(callId)) return;
      Promise.resolve()
        .then(fn)
        .catch((err: unknown) => this.failed(callId, err, 'timed call step failed'));
    }, ms);
    t.unref();
    set.add(t);
  }

  clearTimers(callId: string): void {
    for (const t of this.timers.get(callId) ?? []) clearTimeout(t);
    this.timers.delete(callId);
  }

  /** The call ended: its timers and pending continuations go. */
  forget(callId: string): void {
    this.clearTimers(callId);
    const id = this.current.get(callId);
    if (id) this.after.delete(id);
    this.current.delete(callId);
  }

  shutdown(): void {
    for (const id of [...this.timers.keys()]) this.clearTimers(id);
    this.after.clear();
    this.current.clear();
  }
}
