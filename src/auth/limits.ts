import { HttpError } from '../shared/errors.js';

/** Failures allowed before the delays start. */
const FREE_FAILURES = 5;
const MAX_DELAY_MS = 15 * 60_000;
/** Entries kept at most; the oldest go first (a flood of made-up names cannot grow memory). */
const MAX_ENTRIES = 20_000;

/**
 * Per-account login limit: after 5 wrong passwords for one username, each further
 * failure locks that username for twice as long as the one before (1 s, 2 s, 4 s, …
 * up to 15 min), whatever address the guesses come from. A right password resets it.
 * In memory: a restart forgives, which is acceptable next to the per-address limit.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, { failures: number; lockedUntil: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Throws 429 while the account is locked; nothing is checked meanwhile. */
  check(username: string): void {
    const a = this.accounts.get(key(username));
    if (!a) return;
    const wait = a.lockedUntil - this.now();
    if (wait > 0) throw tooMany(wait, '登录失败次数过多，该账号已暂时锁定');
  }

  failed(username: string): void {
    const k = key(username);
    const a = this.accounts.get(k) ?? { failures: 0, lockedUntil: 0 };
    a.failures += 1;
    if (a.failures >= FREE_FAILURES) a.lockedUntil = this.now() + Math.min(MAX_DELAY_MS, 1000 * 2 ** (a.failures - FREE_FAILURES));
    this.accounts.delete(k);
    this.accounts.set(k, a);
    if (this.accounts.size > MAX_ENTRIES) this.accounts.delete(this.accounts.keys().next().value!);
  }

  succeeded(username: string): void {
    this.accounts.delete(key(username));
  }
}

/**
 * A fixed-window counter per key (a user's exact caller-number look-ups). Small and
 * in memory; @fastify/rate-limit keys requests, this keys what a request asks for.
 */
export class WindowLimit {
  private readonly windows = new Map<string, { start: number; n: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use; false when the key is over its limit in this window. */
  take(k: string): { ok: boolean; retryMs: number } {
    const t = this.now();
    let w = this.windows.get(k);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, n: 0 };
      this.windows.delete(k);
      this.windows.set(k, w);
      if (this.windows.size > MAX_ENTRIES) this.windows.delete(this.windows.keys().next().value!);
    }
    w.n += 1;
    return { ok: w.n <= this.max, retryMs: w.start + this.windowMs - t };
  }
}

export function tooMany(waitMs: number, message: string): HttpError & { retryAfter: number } {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return Object.assign(new HttpError(429, 'too_many_requests', `${message}，请 ${seconds} 秒后再试`), { retryAfter: seconds });
}

const key = (username: string) => username.trim().toLowerCase();
