// Mail the hotline sends (第十二条: a contact is answered on its own channel): replies to
// e-mail tickets, threaded into the citizen's conversation, and alerts to the duty
// supervisors. Queued in the same transaction as what caused it, sent from the outbox,
// retried with backoff while the relay is down; every outcome is on the ticket.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { systemActor } from '../shared/actor.js';
import type { ReplyTokens } from '../intake/mail/threading.js';
import type { Ticket, TicketService } from '../tickets/services.js';
import { MailOutbox, type OutgoingMail } from './outbox.js';
import { mailTransport, type MailTransport } from './transport.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MailOutDeps {
  config: Config;
  db: Db;
  tickets: TicketService;
  now: () => number;
  tokens: ReplyTokens;
  /** the Message-IDs of the mail a ticket took in, oldest first (intake/mail) */
  threadOf: (ticketId: number) => string[];
  log: Log;
}

const actor = systemActor('mail-out');
const BATCH = 20;
/** References kept: the first message and the latest ones (RFC 5322 allows trimming the middle) */
const MAX_REFERENCES = 20;

export class MailOut {
  readonly outbox: MailOutbox;
  private transport: MailTransport;
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: MailOutDeps) {
    this.outbox = new MailOutbox(d.db, d.now);
    this.transport = mailTransport(d.config.mailOut.url, d.log);
  }

  get transportKind(): MailTransport['kind'] {
    return this.transport.kind;
  }

  /** Queues the reply to an e-mail ticket's citizen, in the caller's transaction. */
  queueReply(t: Ticket, reply: string): OutgoingMail | null {
    if (!t.callerEmail) return null;
    const thread = this.d.threadOf(t.id);
    const references = thread.length > MAX_REFERENCES ? [thread[0], ...thread.slice(-(MAX_REFERENCES - 1))] : thread;
    const subject = `回复：${t.title && t.title !== '(无主题)' ? t.title : '您的来信'}（工单 ${t.number}）`;
    const body = [
      reply,
      '',
      '——',
      `962200 社区服务热线 · 工单号 ${t.number}`,
      '如需补充情况，请直接回复本邮件；也可以拨打 962200 凭工单号查询进度。',
    ].join('\n');
    return this.outbox.queue({
      purpose: 'reply',
      ticketId: t.id,
      to: [t.callerEmail],
      subject,
      body,
      messageId: this.messageId(t.id),
      inReplyTo: thread.at(-1) ?? null,
      references,
      replyTo: this.d.tokens.replyTo(t.id, this.domain()),
    });
  }

  /** Queues an alert to the duty supervisors; null when none are configured. */
  queueAlert(alert: { id: number; ticketId: number | null; subject: string; body: string }): OutgoingMail | null {
    const to = this.d.config.alerts.emailTo;
    if (!to.length) return null;
    return this.outbox.queue({ purpose: 'alert', alertId: alert.id, ticketId: alert.ticketId, to, subject: alert.subject, body: alert.body, messageId: `<alert.${alert.id}.${randomBytes(6).toString('hex')}@962200>` });
  }

  /** Sends what is due at `now`; runs never overlap. */
  deliverDue(now: number = this.d.now()): Promise<{ sent: number; failed: number }> {
    const run = this.running.then(() => this.sendDue(now));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Polls the outbox every pollMs (0: never; tests call deliverDue). */
  start(): void {
    const every = this.d.config.mailOut.pollMs;
    if (!every || this.timer) return;
    this.timer = setInterval(() => {
      this.deliverDue().catch((err: unknown) => this.d.log.error({ err }, 'mail out: delivery run failed'));
    }, every);
    this.timer.unref();
  }

  /** Something was queued: send at once rather than at the next poll (when polling runs). */
  kick(): void {
    if (!this.timer) return;
    setImmediate(() => void this.deliverDue().catch((err: unknown) => this.d.log.error({ err }, 'mail out: delivery run failed')));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport.close();
  }

  /** Our Message-ID for a reply: the ticket's reply token (so a reply to it threads) and a unique tail. */
  private messageId(ticketId: number): string {
    return `<r.${this.d.tokens.token(ticketId)}.${randomBytes(6).toString('hex')}@962200>`;
  }

  private domain(): string {
    return /@([^>\s]+)>?\s*$/.exec(this.d.config.mailOut.from)?.[1] ?? '962200.invalid';
  }

  /** Delay after n failures: doubling from retryBaseMs, capped at retryMaxMs. */
  backoff(failures: number): number {
    const { retryBaseMs, retryMaxMs } = this.d.config.mailOut;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(failures - 1, 30));
  }

  private async sendDue(now: number): Promise<{ sent: number; failed: number }> {
    const tally = { sent: 0, failed: 0 };
    for (const m of this.outbox.due(now, BATCH)) {
      // one bad row never stops the others
      try {
        await this.transport.send({
          from: this.d.config.mailOut.from,
          to: m.toAddress,
          subject: m.subject,
          text: m.body,
          messageId: m.messageId,
          inReplyTo: m.inReplyTo ?? undefined,
          references: m.references ?? undefined,
          replyTo: m.replyTo ?? undefined,
        });
        this.outbox.sent(m.id, this.d.now());
        tally.sent++;
        this.record(m, 'mail_sent', this.transport.kind === 'log' ? '未配置发信服务器（SMTP_OUT_URL），邮件只写入日志' : '答复邮件已发送', { transport: this.transport.kind });
      } catch (err) {
        tally.failed++;
        this.failed(m, err instanceof Error ? err.message : String(err));
      }
    }
    return tally;
  }

  private failed(m: OutgoingMail, error: string): void {
    const attempts = m.attempts + 1;
    const giveUp = attempts >= this.d.config.mailOut.maxAttempts;
    const at = this.d.now();
    const next = giveUp ? null : at + this.backoff(attempts);
    this.outbox.attemptFailed(m.id, attempts, error, next, at);
    this.d.log.warn({ mailId: m.id, ticketId: m.ticketId, attempts, error, giveUp }, 'mail out: sending failed');
    // on the ticket: the first failure (it will be retried) and the last (given up)
    if (giveUp) this.record(m, 'mail_failed', `答复邮件发送失败，已停止重试（共 ${attempts} 次）：${error}`, { attempts, error }, true);
    else if (attempts === 1) this.record(m, 'mail_delayed', `答复邮件暂未发出，将自动重试：${error}`, { attempts, error, nextAttemptAt: new Date(next!).toISOString() }, true);
  }

  /** The outcome as an event on the ticket (replies only); a mail given up is flagged for the supervisor. */
  private record(m: OutgoingMail, action: string, reason: string, data: Record<string, unknown>, problem = false): void {
    if (m.purpose !== 'reply' || m.ticketId == null) return;
    try {
      const flag = problem && action === 'mail_failed' ? { flaggedForSupervisor: true } : {};
      this.d.tickets.update(m.ticketId, flag, { actor, action, reason, data: { mailId: m.id, messageId: m.messageId, to: m.toAddress, ...data } });
    } catch (err) {
      this.d.log.error({ err, mailId: m.id }, 'mail out: could not record on the ticket');
    }
  }
}

/** A queued or sent mail as the API shows it. */
export function mailView(m: OutgoingMail) {
  const status = m.sentAt ? 'sent' : m.failedAt ? 'failed' : m.attempts > 0 ? 'retrying' : 'queued';
  return {
    id: m.id,
    purpose: m.purpose,
    to: m.toAddress,
    subject: m.subject,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo,
    status,
    attempts: m.attempts,
    lastError: m.lastError,
    nextAttemptAt: status === 'retrying' || status === 'queued' ? new Date(m.nextAttemptAt).toISOString() : null,
    sentAt: m.sentAt ? new Date(m.sentAt).toISOString() : null,
    failedAt: m.failedAt ? new Date(m.failedAt).toISOString() : null,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}
