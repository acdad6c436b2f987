import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Db } from '../../db/index.js';
import { systemActor } from '../../shared/actor.js';
import type { TicketService } from '../../tickets/services.js';
import { mailMessages, ticketAttachments } from '../schema.js';
import type { AttachmentStore, StoredFile } from './attachments.js';
import { findThread, withBrackets } from './threading.js';

/** Ticket fields are for people to read; a mail body longer than this is cut (the raw mail is not kept). */
const MAX_TEXT_CHARS = 50_000;
const actor = systemActor('email');

export type MailOutcome =
  | { kind: 'opened'; ticketId: number }
  | { kind: 'threaded'; ticketId: number }
  /** the same Message-ID came again (a sending server retrying): taken once */
  | { kind: 'duplicate'; ticketId: number };

/**
 * A citizen's mail becomes a ticket (source email), or an event on the ticket it
 * answers. Attachments are kept with the ticket. SMTP details stay in smtp-listener.ts.
 */
export class MailIntake {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketService,
    private readonly files: AttachmentStore,
    private readonly now: () => number,
  ) {}

  async receive(raw: Buffer, envelopeFrom: string | null = null): Promise<MailOutcome> {
    const mail = await simpleParser(raw);
    // a mail without Message-ID still gets a stable one, so a resend is recognised
    const messageId = mail.messageId ? withBrackets(mail.messageId) : `<sha256-${createHash('sha256').update(raw).digest('hex')}@962200.invalid>`;
    const seen = this.byMessageId(messageId);
    if (seen) return { kind: 'duplicate', ticketId: seen.ticketId };

    // files first: a crash after this leaves an unreferenced file, never a row without its file
    const stored = await Promise.all(
      mail.attachments.map((a, i) => this.files.save({ name: a.filename, contentType: a.contentType, content: a.content }, i)),
    );
    const sender = mail.from?.value[0];
    const from = sender?.address?.toLowerCase() || envelopeFrom?.toLowerCase() || null;
    const subject = mail.subject?.trim() || null;
    const text = bodyText(mail);

    // one transaction: ticket (or its event), the message and its attachments, or nothing
    return this.db.transaction(() => {
      const again = this.byMessageId(messageId);
      if (again) return { kind: 'duplicate', ticketId: again.ticketId } as const;
      const thread = findThread(this.db, this.tickets, mail);
      let ticketId: number;
      if (thread) {
        ticketId = thread.id;
        this.tickets.update(ticketId, {}, {
          actor,
          action: 'mail_received',
          data: {
            messageId,
            from,
            fromCaller: !!from && from === thread.callerEmail?.toLowerCase(),
            subject,
            text,
            attachments: stored.map(({ name, contentType, size, sha256 }) => ({ name, contentType, size, sha256 })),
          },
        });
      } else {
        ticketId = this.tickets.create(
          {
            source: 'email',
            callerEmail: from,
            callerName: sender?.name?.trim() || null,
            title: subject ?? '(无主题)',
            content: text,
          },
          actor,
          { messageId },
        ).id;
      }
      const [message] = this.db
        .insert(mailMessages)
        .values({ messageId, ticketId, fromAddress: from, subject, receivedAt: this.now() })
        .returning({ id: mailMessages.id })
        .all();
      if (stored.length) {
        this.db
          .insert(ticketAttachments)
          .values(stored.map((f: StoredFile) => ({ ...f, ticketId, mailMessageId: message.id, createdAt: this.now() })))
          .run();
      }
      return { kind: thread ? 'threaded' : 'opened', ticketId } as const;
    });
  }

  private byMessageId(messageId: string) {
    return this.db.select({ ticketId: mailMessages.ticketId }).from(mailMessages).where(eq(mailMessages.messageId, messageId)).get();
  }
}

function bodyText(mail: ParsedMail): string {
  // mailparser derives text from an HTML-only mail
  const text = (mail.text ?? '').replace(/\r\n/g, '\n').trim();
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}\n[…]` : text;
}
