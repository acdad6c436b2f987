import { open, stat } from 'node:fs/promises';
import { systemActor } from '../shared/actor.js';
import type { TicketService } from '../tickets/services.js';
import type { CallRepository } from './repository.js';

/** One line of asterisk-config/cdr_custom.conf's hotline.jsonl. */
export interface CdrLine {
  uniqueid: string;
  linkedid: string;
  src: string;
  dst: string;
  dcontext: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  start: string | number;
  answer: string | number;
  end: string | number;
  duration: string | number;
  billsec: string | number;
  disposition: string;
  userfield: string;
  clid: string;
}

const actor = systemActor('cdr-import');

/**
 * Turns calls that reached the native fallback queue while the server was down into
 * tickets, from Asterisk's CDRs. A call's legs may be written over several reads
 * (ring attempts first, the answered leg at hang-up), so later legs are merged into
 * the call already imported. Idempotent: the call id comes from the caller's linkedid.
 */
export class FallbackCallImporter {
  private offset = 0;
  private running: Promise<number> | null = null;

  constructor(
    private readonly path: string,
    private readonly tickets: TicketService,
    private readonly calls: CallRepository,
  ) {}

  /** Reads what was appended since the last run; returns how many new tickets it opened. */
  run(): Promise<number> {
    // one read at a time: a timer tick and a reconnect may ask together
    this.running ??= this.readNew().finally(() => (this.running = null));
    return this.running;
  }

  private async readNew(): Promise<number> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch {
      return 0;
    }
    if (size < this.offset) this.offset = 0; // rotated
    if (size === this.offset) return 0;
    const fh = await open(this.path, 'r');
    let text: string;
    try {
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      text = buf.toString('utf8');
    } finally {
      await fh.close();
    }
    // only whole lines; a line being written now is read next time
    const end = text.lastIndexOf('\n') + 1;
    this.offset += Buffer.byteLength(text.slice(0, end));
    const byCall = new Map<string, CdrLine[]>();
    for (const line of text.slice(0, end).split('\n')) {
      if (!line.includes('"fallback"')) continue;
      try {
        const cdr = JSON.parse(line) as CdrLine;
        if (cdr.userfield !== 'fallback') continue;
        byCall.set(cdr.linkedid, [...(byCall.get(cdr.linkedid) ?? []), cdr]);
      } catch {
        /* a torn or foreign line */
      }
    }
    let opened = 0;
    for (const [linkedid, legs] of byCall) if (this.importCall(linkedid, legs)) opened++;
    return opened;
  }

  private importCall(linkedid: string, legs: CdrLine[]): boolean {
    const id = `cdr-${linkedid}`;
    const answeredLeg = legs.find((l) => l.disposition === 'ANSWERED' && l.dstchannel && Number(l.billsec) > 0);
    const seat = answeredLeg
      ? { seatId: seatFromChannel(answeredLeg.dstchannel), seatAnsweredAt: secondsToMs(answeredLeg.answer), talkSeconds: Number(answeredLeg.billsec), outcome: 'answered' }
      : null;
    const existing = this.calls.get(id);
    const endedAt = Math.max(...legs.map((l) => secondsToMs(l.end) ?? 0));
    if (existing) {
      const changes = { endedAt: Math.max(existing.endedAt ?? 0, endedAt), ...(seat && existing.outcome !== 'answered' ? seat : {}) };
      this.calls.update(id, changes);
      if (seat && existing.outcome !== 'answered') {
        this.tickets.update(existing.ticketId, { needsCallback: false }, { actor, action: 'call_answered', data: { callId: id, seatId: seat.seatId } });
      }
      return false;
    }
    const first = legs[0];
    const startedAt = secondsToMs(first.start) ?? endedAt;
    const ticket = this.tickets.create({ source: 'phone', callerNumber: first.src || null, needsCallback: !seat }, actor, { recoveredFrom: 'cdr', linkedid });
    this.calls.insert({
      id,
      ticketId: ticket.id,
      origin: 'cdr',
      source: 'phone',
      callerNumber: first.src || null,
      dialedNumber: first.dst || null,
      startedAt,
      answeredAt: startedAt,
      queue: 'hotline-fallback',
      enqueuedAt: startedAt,
      endedAt,
      outcome: 'abandoned',
      ...(seat ?? {}),
      waitSeconds: Math.round(((seat?.seatAnsweredAt ?? endedAt) - startedAt) / 1000),
    });
    return true;
  }
}

function secondsToMs(v: string | number): number | null {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : null;
}

/** PJSIP/1001-0000002a -> 1001 */
function seatFromChannel(channel: string): string | null {
  const m = /^PJSIP\/(.+)-[0-9a-f]+$/.exec(channel);
  return m ? m[1] : null;
}
