import { createHmac, timingSafeEqual } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Db } from '../../db/index.js';
import { FINISHED } from '../../tickets/lifecycle.js';
import type { Ticket, TicketService } from '../../tickets/services.js';
import { mailMessages } from '../schema.js';

const TICKET_NUMBER = /962200-\d{8}-\d{6}/;
/** our own mail's Message-ID (`<r.<id>.<mac>[.<unique>]@962200>`) or Reply-To (`reply+<id>.<mac>@…`) */
const REPLY_TOKEN = /(?:^<?r\.|^reply\+)(\d{1,12})\.([A-Za-z0-9_-]{22})(?:\.[A-Za-z0-9]{1,32})?(?:@|>|$)/;

/**
 * The reply token we put in our own mail to a citizen (its Message-ID `<r.<id>.<mac>@962200>`
 * and Reply-To `reply+<id>.<mac>@<our domain>`): an HMAC of the ticket id, so a reply
 * carrying it threads even from another address, and nobody can make one up.
 */
export class ReplyTokens {
  constructor(private readonly key: string) {}

  token(ticketId: number): string {
    return `${ticketId}.${this.mac(ticketId)}`;
  }
  messageId(ticketId: number): string {
    return `<r.${this.token(ticketId)}@962200>`;
  }
  replyTo(ticketId: number, domain: string): string {
    return `reply+${this.token(ticketId)}@${domain}`;
  }
  /** The ticket id a reference or address carries a good token for, else null. */
  ticketOf(text: string): number | null {
    const m = REPLY_TOKEN.exec(text.trim());
    if (!m) return null;
    const id = Number(m[1]);
    const want = Buffer.from(this.mac(id));
    const got = Buffer.from(m[2]);
    return got.length === want.length && timingSafeEqual(got, want) ? id : null;
  }
  private mac(ticketId: number): string {
    return createHmac('sha256', this.key).update(`mail-reply:${ticketId}`).digest('base64url').slice(0, 22);
  }
}

export type ThreadDecision =
  /** continue this ticket */
  | { kind: 'thread'; ticket: Ticket; by: 'reply_token' | 'sender' }
  /** open a new ticket; `mentions` is the ticket the mail pointed at and why it was not continued */
  | { kind: 'new'; mentions: { number: string; why: 'closed' | 'other_sender' } | null };

/**
 * Whether a mail continues a ticket. A mail points at a ticket by a reply token of
 * ours, by an earlier message of the thread we took in (In-Reply-To, References), or by
 * a ticket number in its subject. It continues that ticket only when it carries our
 * reply token or comes from the ticket's own citizen address, and never a finished
 * ticket: a ticket number is easy to guess and a From: easy to forge, so anything
 * else opens a new ticket that mentions the one it pointed at.
 */
export function decideThread(db: Db, tickets: TicketService, tokens: ReplyTokens, mail: ParsedMail, from: string | null): ThreadDecision {
  const refs = referencedMessageIds(mail);
  const addressed = [...addresses(mail.to), ...addresses(mail.cc)];
  const tokenTicket = [...refs, ...addressed].map((r) => tokens.ticketOf(r)).find((id) => id !== null);
  let pointed: Ticket | undefined;
  let byToken = false;
  if (tokenTicket) {
    pointed = tickets.get(tokenTicket);
    byToken = !!pointed;
  }
  if (!pointed && refs.length) {
    const known = db.select({ ticketId: mailMessages.ticketId }).from(mailMessages).where(inArray(mailMessages.messageId, refs)).orderBy(mailMessages.id).all();
    // the newest message referenced wins (References lists oldest first)
    const last = known.at(-1);
    if (last) pointed = tickets.get(last.ticketId);
  }
  if (!pointed) {
    const number = mail.subject?.match(TICKET_NUMBER)?.[0];
    if (number) pointed = tickets.byNumber(number);
  }
  if (!pointed) return { kind: 'new', mentions: null };
  if ((FINISHED as readonly string[]).includes(pointed.status)) return { kind: 'new', mentions: { number: pointed.number, why: 'closed' } };
  if (byToken) return { kind: 'thread', ticket: pointed, by: 'reply_token' };
  const citizen = pointed.callerEmail?.trim().toLowerCase();
  if (citizen && from && citizen === from) return { kind: 'thread', ticket: pointed, by: 'sender' };
  return { kind: 'new', mentions: { number: pointed.number, why: 'other_sender' } };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return [a ?? []].flat().flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
}

function referencedMessageIds(mail: ParsedMail): string[] {
  const refs = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  const ids = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...refs];
  // mailparser keeps the angle brackets; some clients write bare ids
  return [...new Set(ids.flatMap((id) => id.split(/\s+/)).filter(Boolean).map(withBrackets))].slice(0, 100);
}

export function withBrackets(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}
