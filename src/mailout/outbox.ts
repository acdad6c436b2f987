// The mail outbox's SQL: what is waiting, what went, what failed.
import { and, asc, eq, isNull, lte, desc } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { mailOutbox, type MailPurpose } from './schema.js';

export type OutgoingMail = typeof mailOutbox.$inferSelect;

export interface NewMail {
  purpose: MailPurpose;
  ticketId?: number | null;
  alertId?: number | null;
  to: string[];
  subject: string;
  body: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  replyTo?: string | null;
}

export class MailOutbox {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  queue(m: NewMail): OutgoingMail {
    const at = this.now();
    const [row] = this.db
      .insert(mailOutbox)
      .values({
        purpose: m.purpose,
        ticketId: m.ticketId ?? null,
        alertId: m.alertId ?? null,
        toAddress: m.to.join(', '),
        subject: m.subject,
        body: m.body,
        messageId: m.messageId,
        inReplyTo: m.inReplyTo ?? null,
        references: m.references?.length ? m.references.join(' ') : null,
        replyTo: m.replyTo ?? null,
        createdAt: at,
        nextAttemptAt: at,
      })
      .returning()
      .all();
    return row;
  }

  /** Mail due at `now`, oldest first. */
  due(now: number, limit: number): OutgoingMail[] {
    return this.db
      .select()
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.id))
      .limit(limit)
      .all();
  }

  sent(id: number, at: number): void {
    this.db.update(mailOutbox).set({ sentAt: at, lastError: null }).where(eq(mailOutbox.id, id)).run();
  }

  /** A failed attempt: tried again at `next`, or given up (`next` null). */
  attemptFailed(id: number, attempts: number, error: string, next: number | null, at: number): void {
    this.db
      .update(mailOutbox)
      .set({ attempts, lastError: error.slice(0, 500), ...(next === null ? { failedAt: at } : { nextAttemptAt: next }) })
      .where(eq(mailOutbox.id, id))
      .run();
  }

  forTicket(ticketId: number): OutgoingMail[] {
    return this.db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, ticketId)).orderBy(desc(mailOutbox.id)).all();
  }

  get(id: number): OutgoingMail | undefined {
    return this.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get();
  }
}
