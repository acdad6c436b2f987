import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
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
 * tickets, from Asterisk's CDRs. Idempotent: the call id is derived from the
 * caller's linkedid, so reading the file again adds nothing.
 */
export async function importFallbackCalls(path: string, tickets: TicketService, calls: CallRepository): Promise<number> {
  if (!existsSync(path)) return 0;
  const byCall = new Map<string, CdrLine[]>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('fallback')) continue;
    let cdr: CdrLine;
    try {
      cdr = JSON.parse(line) as CdrLine;
    } catch {
      continue;
    }
    if (cdr.userfield !== 'fallback') continue;
    const list = byCall.get(cdr.linkedid) ?? [];
    list.push(cdr);
    byCall.set(cdr.linkedid, list);
  }
  let imported = 0;
  for (const [linkedid, legs] of byCall) {
    const id = `cdr-${linkedid}`;
    if (calls.get(id)) continue;
    const first = legs[0];
    const answeredLeg = legs.find((l) => l.disposition === 'ANSWERED' && l.dstchannel && Number(l.billsec) > 0);
    const startedAt = secondsToMs(first.start) ?? Date.now();
    const endedAt = Math.max(...legs.map((l) => secondsToMs(l.end) ?? startedAt));
    const seatId = answeredLeg ? seatFromChannel(answeredLeg.dstchannel) : null;
    const outcome = answeredLeg ? 'answered' : 'abandoned';
    const seatAnsweredAt = answeredLeg ? secondsToMs(answeredLeg.answer) : null;
    const ticket = tickets.create(
      { source: 'phone', callerNumber: first.src || null, needsCallback: !answeredLeg },
      actor,
      { recoveredFrom: 'cdr', linkedid },
    );
    const inserted = calls.insertIfNew({
      id,
      ticketId: ticket.id,
      origin: 'cdr',
      source: 'phone',
      callerNumber: first.src || null,
      dialedNumber: first.dst || null,
      startedAt,
      answeredAt: startedAt,
      queue: 'hotline-fallback',
      seatId,
      seatAnsweredAt,
      endedAt,
      outcome,
      talkSeconds: answeredLeg ? Number(answeredLeg.billsec) : null,
      waitSeconds: seatAnsweredAt ? Math.round((seatAnsweredAt - startedAt) / 1000) : Math.round((endedAt - startedAt) / 1000),
    });
    if (inserted) imported++;
  }
  return imported;
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
