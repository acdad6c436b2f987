import { inArray } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import type { Db } from '../../db/index.js';
import type { Ticket, TicketService } from '../../tickets/services.js';
import { mailMessages } from '../schema.js';

const TICKET_NUMBER = /962200-\d{8}-\d{6}/;

/**
 * The ticket a mail continues, if any: first by the mail headers that name an earlier
 * message we took in (In-Reply-To, References), then by a ticket number in the subject
 * (a citizen answering our reply, or writing "re 962200-20260301-000012").
 */
export function findThread(db: Db, tickets: TicketService, mail: ParsedMail): Ticket | undefined {
  const earlier = referencedMessageIds(mail);
  if (earlier.length) {
    const known = db
      .select({ ticketId: mailMessages.ticketId })
      .from(mailMessages)
      .where(inArray(mailMessages.messageId, earlier))
      .orderBy(mailMessages.id)
      .all();
    // the newest message referenced wins (References lists oldest first)
    const last = known.at(-1);
    if (last) return tickets.get(last.ticketId);
  }
  const number = mail.subject?.match(TICKET_NUMBER)?.[0];
  return number ? tickets.byNumber(number) : undefined;
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
