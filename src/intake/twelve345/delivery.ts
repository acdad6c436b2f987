import type { OutboxRow, Outbox12345 } from './outbox.js';
import { sign } from './signature.js';

export interface DeliveryOptions {
  /** 12345's base URL; null: nothing is sent, rows wait */
  url: string | null;
  path: string;
  secret: string;
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
}

interface Log {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Rows sent at once: at most one per ticket, so order within a ticket holds. */
const BATCH = 20;

/**
 * Sends the outbox to 12345: at least once, oldest first per ticket, retrying with
 * exponential backoff and jitter. A row leaves the queue only when 12345 answers 2xx,
 * so nothing is lost while 12345 is down; it is retried for as long as it takes.
 */
export class OutboxDelivery {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private kicked = false;
  /** deliveries never overlap: each run waits for the one before */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: Outbox12345,
    private readonly opts: DeliveryOptions,
    private readonly log: Log,
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Sends every row due at `now`, ticket by ticket in order; returns how it went. */
  deliverDue(now: number = this.now()): Promise<{ delivered: number; failed: number }> {
    const run = this.running.then(() => this.sendDue(now));
    this.running = run.catch(() => undefined);
    return run;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was queued: send soon rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    if (this.timer) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delay before attempt n+1 after n failures: doubling from retryBaseMs up to retryMaxMs, half of it random. */
  backoff(failures: number): number {
    const full = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(full / 2 + (this.random() * full) / 2);
  }

  private async sendDue(now: number): Promise<{ delivered: number; failed: number }> {
    const tally = { delivered: 0, failed: 0 };
    if (!this.opts.url) return tally;
    // a delivered head makes the ticket's next row due: go round until nothing is
    for (let round = 0; round < 50; round++) {
      const rows = this.outbox.due(now, BATCH);
      if (!rows.length) break;
      const results = await Promise.all(rows.map((row) => this.send(row, now)));
      for (const ok of results) tally[ok ? 'delivered' : 'failed']++;
      if (results.every((ok) => !ok)) break;
    }
    return tally;
  }

  private async send(row: OutboxRow, now: number): Promise<boolean> {
    try {
      const res = await fetch(this.opts.url!.replace(/\/+$/, '') + this.opts.path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': sign(this.opts.secret, row.body),
          'idempotency-key': row.messageId,
        },
        body: row.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`12345 answered ${res.status}`);
      this.outbox.delivered(row.id, this.now());
      return true;
    } catch (err) {
      const attempts = row.attempts + 1;
      const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      this.outbox.failed(row.id, message, now + this.backoff(attempts));
      this.log.warn({ messageId: row.messageId, attempts, err: message }, '12345 outbox: delivery failed, will retry');
      return false;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.kicked = false;
    try {
      await this.deliverDue();
    } catch (err) {
      this.log.error({ err }, '12345 outbox: delivery run failed');
    }
    this.schedule(this.kicked ? 0 : this.opts.pollMs);
  }
}
