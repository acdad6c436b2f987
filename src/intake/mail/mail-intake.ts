import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Db } from '../../db/index.js';
import { systemActor } from '../../shared/actor.js';
import type { TicketService } from '../../tickets/services.js';
import { mailMessages, ticketAttachments } from '../schema.js';
import type { AttachmentStore, StoredFile } from './attachments.js';
import { decideThread, type ReplyTokens, withBrackets } from './threading.js';

/** Ticket fields are for people to read; a mail body longer than this is cut (the raw mail is not kept). */
const MAX_TEXT_CHARS = 50_000;
/** a ticket's title, as everywhere */
export const MAX_TITLE_CHARS = 200;
const MAX_NAME_CHARS = 64;
/** the whole header block, and its count of lines (a mail client writes a few dozen) */
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_HEADER_LINES = 1000;
const actor = systemActor('email');

/** A mail refused for good: the sending server must not retry (SMTP 5xx). */
export class PermanentRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

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
    private readonly replyTokens: ReplyTokens,
  ) {}

  async receive(raw: Buffer, envelopeFrom: string | null = null): Promise<MailOutcome> {
    checkHeader(raw);
    const mail = await simpleParser(raw, { maxHtmlLengthToParse: 2 * 1024 * 1024 });
    // a mail without Message-ID still gets a stable one, so a resend is recognised
    const messageId = mail.messageId ? withBrackets(mail.messageId) : `<sha256-${createHash('sha256').update(raw).digest('hex')}@962200.invalid>`;
    const seen = this.byMessageId(messageId);
    if (seen) return { kind: 'duplicate', ticketId: seen.ticketId };

    // files first: a crash after this leaves an unreferenced file, never a row without its file
    const stored = await Promise.all(
      mail.attachments.map((a, i) => this.files.save({ name: a.filename, contentType: a.contentType, content: a.content }, i)),
    );
    const sender = mail.from?.value[0];
    const from = address(sender?.address) ?? address(envelopeFrom);
    const subject = oneLine(mail.subject, MAX_TITLE_CHARS);
    const text = bodyText(mail);

    // one transaction: ticket (or its event), the message and its attachments, or nothing
    return this.db.transaction(() => {
      const again = this.byMessageId(messageId);
      if (again) return { kind: 'duplicate', ticketId: again.ticketId } as const;
      const decision = decideThread(this.db, this.tickets, this.replyTokens, mail, from);
      const thread = decision.kind === 'thread' ? decision.ticket : null;
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
            threadedBy: decision.kind === 'thread' ? decision.by : null,
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
            callerName: oneLine(sender?.name, MAX_NAME_CHARS),
            title: subject ?? '(无主题)',
            content: text,
          },
          actor,
          // a mail pointing at a ticket it may not continue links it instead
          decision.kind === 'new' && decision.mentions ? { messageId, mentionsTicket: decision.mentions.number, notThreaded: decision.mentions.why } : { messageId },
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

  /** The Message-IDs of the mail a ticket took in, oldest first (a reply by mail threads on them). */
  messageIdsOf(ticketId: number): string[] {
    return this.db.select({ id: mailMessages.messageId }).from(mailMessages).where(eq(mailMessages.ticketId, ticketId)).orderBy(mailMessages.id).all().map((r) => r.id);
  }

  private byMessageId(messageId: string) {
    return this.db.select({ ticketId: mailMessages.ticketId }).from(mailMessages).where(eq(mailMessages.messageId, messageId)).get();
  }
}

/** The header block must end within MAX_HEADER_BYTES and hold at most MAX_HEADER_LINES lines. */
function checkHeader(raw: Buffer): void {
  const head = raw.subarray(0, MAX_HEADER_BYTES + 4);
  const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
  if (end < 0 && raw.length > MAX_HEADER_BYTES) throw new PermanentRefusal(552, 'Message header exceeds the fixed maximum size');
  const block = end < 0 ? head : head.subarray(0, end);
  let lines = 1;
  for (const b of block) if (b === 10) lines++;
  if (lines > MAX_HEADER_LINES) throw new PermanentRefusal(552, 'Too many header lines');
}

/** A header text fit for a ticket field: one line, no control characters, at most `max` characters. */
function oneLine(value: string | undefined | null, max: number): string | null {
  // eslint-disable-next-line no-control-regex
  const clean = (value ?? '').replace(/[\u0000-\u001f\u007f\p{Cf}]+/gu, ' ').replace(/\s+/g, ' ').trim().replace(/[\uD800-\uDFFF]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : '\uFFFD'));
  if (!clean) return null;
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

function address(value: string | undefined | null): string | null {
  const a = value?.trim().toLowerCase();
  return a && a.length <= 254 && /^[^@\s]+@[^@\s]+$/.test(a) ? a : null;
}

function bodyText(mail: ParsedMail): string {
  // mailparser derives text from an HTML-only mail
  const text = (mail.text ?? '').replace(/\r\n/g, '\n').trim();
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}\n[…]` : text;
}

/** whether the surrogate at i is half of a pair (else it becomes U+FFFD) */
function isPaired(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 0xdc00 ? (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 : (s.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}
