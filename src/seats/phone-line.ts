import { randomUUID } from 'node:crypto';
import type { AriPort, Channel } from '../ari/index.js';
import { verifyPassword } from '../auth/password.js';
import type { Actor } from '../shared/actor.js';
import type { Logger } from '../shared/logger.js';
import { HttpError } from '../shared/errors.js';
import { maskNumber } from '../shared/masking.js';
import type { SeatService } from './services.js';

// Seat state by phone (第十条: remote agents out in the community): a remote agent calls
// the seat-state service number (962201 in the dev dialplan) from the number their seat
// dials, enters their PIN and #, hears their state and sets 就绪 / 示忙 / 签出 by a digit.
// The same SeatService.setManual() and the same audit action as the desk. Three wrong PINs
// end the call, audited. A line's steps are a table, like the call states.

export const MAX_PIN_TRIES = 3;
/**
 * Wrong PINs for one seat across calls that close its phone line for a while: the line is
 * reached from outside, and hanging up after three tries must not make guessing free.
 * Counted from the audit log (a restart forgets nothing), since the last right PIN.
 */
export const PIN_LOCKOUT = { failures: 6, windowMs: 15 * 60_000 };
const PIN_FAILED = ['seat_phone_pin_wrong', 'seat_phone_locked'] as const;
/** no key for this long: the line says goodbye */
const IDLE_MS = 15_000;
const MAX_PIN_DIGITS = 8;

export type LineState = 'pin' | 'menu' | 'leaving';
export type LineEvent = 'pin_ok' | 'pin_wrong' | 'pin_locked' | 'state_set' | 'idle' | 'unknown_caller';

/** Where each event takes a line; anything else is refused. */
export const LINE_TRANSITIONS: Record<LineEvent, { from: readonly LineState[]; to: LineState }> = {
  pin_ok: { from: ['pin'], to: 'menu' },
  pin_wrong: { from: ['pin'], to: 'pin' },
  pin_locked: { from: ['pin'], to: 'leaving' },
  state_set: { from: ['menu'], to: 'menu' },
  idle: { from: ['pin', 'menu'], to: 'leaving' },
  unknown_caller: { from: ['pin'], to: 'leaving' },
};

export function decideLine(state: LineState, event: LineEvent): LineState | null {
  const t = LINE_TRANSITIONS[event];
  return t.from.includes(state) ? t.to : null;
}

/** Digits of the menu -> the state a person sets (the desk's three buttons). */
export const MENU = { '1': 'ready', '2': 'not_ready', '3': 'logged_out' } as const;

interface Line {
  channelId: string;
  number: string;
  seatId: string | null;
  state: LineState;
  digits: string;
  tries: number;
  playback: string | null;
  /** the prompt after which the line hangs up */
  lastWords: string | null;
  idle: NodeJS.Timeout | null;
  /** digits are handled one after another (the PIN check is asynchronous) */
  chain: Promise<void>;
}

export interface PhoneLineDeps {
  ari: AriPort;
  seats: SeatService;
  /** the audit log (UserService.audit) */
  audit: (actor: Actor, action: string, ticketId: number | null, detail?: string) => void;
  /** AuditLog.countSince: the lock-out's memory */
  countAudits: (username: string, actions: readonly string[], since: number, reset?: string) => number;
  log: Logger;
  now?: () => number;
}

const sound = (id: string) => `sound:seatline/${id}`;

function stateWords(state: string): string {
  if (state === 'ready' || state === 'not_ready' || state === 'logged_out' || state === 'wrap_up') return sound(`state-${state}`);
  return sound('state-busy');
}

export class SeatPhoneLine {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly deps: PhoneLineDeps) {}

  has(channelId: string): boolean {
    return this.lines.has(channelId);
  }

  /** A call to the service number entered the app (the dialplan answered it). */
  entered(channel: Channel): void {
    const number = channel.caller.number ?? '';
    const seat = this.deps.seats.byNumber(number);
    const line: Line = { channelId: channel.id, number, seatId: seat?.pinHash ? seat.id : null, state: 'pin', digits: '', tries: 0, playback: null, lastWords: null, idle: null, chain: Promise.resolve() };
    this.lines.set(channel.id, line);
    if (!line.seatId) {
      this.deps.audit(this.actorOf(line), 'seat_phone_unknown', null, `来电号码 ${masked(number)} 不是登记的远程坐席号码`);
      this.move(line, 'unknown_caller');
      void this.say(line, [sound('unknown')], true);
      return;
    }
    if (this.failures(line) >= PIN_LOCKOUT.failures) {
      this.move(line, 'pin_locked');
      this.deps.audit(this.actorOf(line), 'seat_phone_lockout', null, `坐席 ${line.seatId} 电话设置状态：密码错误过多，暂停使用（来电 ${masked(number)}），可在坐席台设置状态`);
      void this.say(line, [sound('locked')], true);
      return;
    }
    this.touch(line);
    void this.say(line, [sound('welcome')]);
  }

  /** this seat's wrong PINs within the lock-out window, since its last right one */
  private failures(line: Line): number {
    const now = (this.deps.now ?? Date.now)();
    return this.deps.countAudits(this.actorOf(line).name, PIN_FAILED, now - PIN_LOCKOUT.windowMs, 'seat_phone_pin_ok');
  }

  digit(channelId: string, digit: string): void {
    const line = this.lines.get(channelId);
    if (!line || line.state === 'leaving') return;
    line.chain = line.chain.then(() => this.handle(line, digit)).catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message }, 'seat phone line step failed'));
  }

  /**
   * After a (re)connection: lines Asterisk still holds in our app but we don't know
   * (the server restarted mid-call) start again at the PIN.
   */
  async resync(): Promise<number> {
    const channels = await this.deps.ari.listChannels();
    let resumed = 0;
    for (const c of channels) {
      const d = c.dialplan;
      if (d?.app_name !== 'Stasis' || d.app_data !== `${this.deps.ari.app},seatline` || this.lines.has(c.id)) continue;
      this.entered(c);
      resumed++;
    }
    return resumed;
  }

  /** A prompt ended: after the last words, the line hangs up. */
  playbackFinished(playbackId: string, channelId: string): void {
    const line = this.lines.get(channelId);
    if (line?.lastWords === playbackId) void this.deps.ari.hangup(channelId).catch(() => undefined);
  }

  left(channelId: string): void {
    const line = this.lines.get(channelId);
    if (!line) return;
    if (line.idle) clearTimeout(line.idle);
    this.lines.delete(channelId);
  }

  shutdown(): void {
    for (const id of [...this.lines.keys()]) this.left(id);
  }

  private async handle(line: Line, digit: string): Promise<void> {
    if (!this.lines.has(line.channelId) || line.state === 'leaving') return;
    this.touch(line);
    await this.stopPrompt(line);
    if (line.state === 'pin') return this.pinDigit(line, digit);
    if (line.state === 'menu') return this.menuDigit(line, digit);
  }

  private async pinDigit(line: Line, digit: string): Promise<void> {
    if (digit !== '#' && /^[0-9]$/.test(digit) && line.digits.length < MAX_PIN_DIGITS) {
      line.digits += digit;
      return;
    }
    if (digit !== '#') return;
    const entered = line.digits;
    line.digits = '';
    const seat = line.seatId ? this.deps.seats.get(line.seatId) : undefined;
    const ok = !!seat?.pinHash && entered.length > 0 && (await verifyPassword(entered, seat.pinHash));
    if (ok && seat) {
      this.move(line, 'pin_ok');
      this.deps.audit(this.actorOf(line), 'seat_phone_pin_ok', null, `坐席 ${line.seatId} 电话设置状态：密码正确（来电 ${masked(line.number)}）`);
      await this.say(line, [sound('state-is'), stateWords(seat.state), sound('menu')]);
      return;
    }
    line.tries++;
    const actor = this.actorOf(line);
    // this wrong PIN included
    const failures = this.failures(line) + 1;
    if (line.tries >= MAX_PIN_TRIES || failures >= PIN_LOCKOUT.failures) {
      this.move(line, 'pin_locked');
      const closed = failures >= PIN_LOCKOUT.failures ? `；近期共错 ${failures} 次，电话设置暂停使用` : '';
      this.deps.audit(actor, 'seat_phone_locked', null, `坐席 ${line.seatId} 电话设置状态：密码连续错误 ${line.tries} 次，已挂机（来电 ${masked(line.number)}）${closed}`);
      this.deps.log.warn({ seatId: line.seatId, tries: line.tries }, 'seat phone line: wrong PIN too often, hung up');
      await this.say(line, [sound('locked')], true);
      return;
    }
    this.move(line, 'pin_wrong');
    this.deps.audit(actor, 'seat_phone_pin_wrong', null, `坐席 ${line.seatId} 电话设置状态：密码错误（第 ${line.tries} 次）`);
    await this.say(line, [sound('wrong-pin')]);
  }

  private async menuDigit(line: Line, digit: string): Promise<void> {
    const want = MENU[digit as keyof typeof MENU];
    if (!want || !line.seatId) return this.say(line, [sound('menu')]);
    const before = this.deps.seats.get(line.seatId)?.state;
    try {
      const seatId = line.seatId;
      const seat = this.deps.seats.inOneCommit(() => {
        const s = this.deps.seats.setManual(seatId, want, want === 'not_ready' ? '电话示忙' : null);
        this.deps.audit(this.actorOf(line), 'seat_state', null, `${seatId}: ${before} → ${want}（电话）`);
        return s;
      });
      this.move(line, 'state_set');
      // on a call, not_ready waits for the call's end: the seat still reads busy
      await this.say(line, [sound('done'), sound('state-is'), stateWords(seat.afterCall ? 'on_call' : seat.state), ...(seat.afterCall ? [sound('refused')] : []), sound('menu')]);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      await this.say(line, [sound('refused'), sound('menu')]);
    }
  }

  private move(line: Line, event: LineEvent): void {
    const to = decideLine(line.state, event);
    if (to) line.state = to;
  }

  private actorOf(line: Line): Actor {
    const seat = line.seatId ? this.deps.seats.get(line.seatId) : undefined;
    return { name: `phone:${line.seatId ?? masked(line.number)}`, role: 'street_seat', seatId: line.seatId, street: seat?.street ?? null };
  }

  /** Plays prompts (a digit stops them); `thenHangUp` ends the call when they finish. */
  private async say(line: Line, media: string[], thenHangUp = false): Promise<void> {
    const id = `pb-line-${randomUUID()}`;
    line.playback = id;
    if (thenHangUp) line.lastWords = id;
    try {
      await this.deps.ari.play(line.channelId, id, media);
    } catch {
      if (thenHangUp) await this.deps.ari.hangup(line.channelId).catch(() => undefined);
    }
  }

  private async stopPrompt(line: Line): Promise<void> {
    const id = line.playback;
    line.playback = null;
    if (id) await this.deps.ari.stopPlayback(id).catch(() => undefined);
  }

  private touch(line: Line): void {
    if (line.idle) clearTimeout(line.idle);
    line.idle = setTimeout(() => {
      if (!this.lines.has(line.channelId)) return;
      this.move(line, 'idle');
      void this.say(line, [sound('goodbye')], true);
    }, IDLE_MS);
    line.idle.unref();
  }
}

const masked = (n: string) => maskNumber(n) ?? '未知';
