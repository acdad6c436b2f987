// How mail leaves: nodemailer over SMTP_OUT_URL, or (no relay configured, e.g. a dev box)
// written to the log only, so answering an e-mail ticket works without a mail server.
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references?: string;
  replyTo?: string;
}

export interface MailTransport {
  /** 'smtp' sends through the relay; 'log' only logs */
  readonly kind: 'smtp' | 'log';
  send(m: MailMessage): Promise<void>;
  close(): void;
}

interface Log {
  info(obj: object, msg: string): void;
}

export function mailTransport(url: string | null, log: Log, timeoutMs = 20_000): MailTransport {
  if (!url) {
    const json = nodemailer.createTransport({ jsonTransport: true });
    return {
      kind: 'log',
      async send(m) {
        await json.sendMail(m);
        log.info({ to: m.to, subject: m.subject, messageId: m.messageId }, 'mail out: SMTP_OUT_URL is not set, the mail is logged and not sent');
      },
      close: () => json.close(),
    };
  }
  const smtp: Transporter = nodemailer.createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return {
    kind: 'smtp',
    async send(m) {
      await smtp.sendMail(m);
    },
    close: () => smtp.close(),
  };
}
