import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** the largest mail taken, in bytes; bigger ones get 552 and nothing is kept */
  maxBytes: number;
  tlsKeyPath?: string;
  tlsCertPath?: string;
  /** open connections one client address may hold (default 5); more are told 421 */
  connectionsPerClient?: number;
}

/**
 * Hands a whole mail on; throwing makes the sending server try again later (451), unless
 * the error carries a 5xx `responseCode` (a permanent refusal: the sender must not retry).
 */
export type MailHandler = (raw: Buffer, envelopeFrom: string | null) => Promise<void>;

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

// Citizens' mail arrives through the organisation's MX, so there is no SMTP AUTH;
// instead every session is bounded: size, recipients, connections (in all and per
// client address, so one client cannot hold the listener), idle time.
const MAX_RECIPIENTS = 10;
const MAX_CLIENTS = 200;
const SOCKET_TIMEOUT_MS = 60_000;

/** The SMTP side of e-mail intake: speaks SMTP, bounds it, and hands whole mails to `onMail`. */
export class SmtpListener {
  private readonly server: SMTPServer;
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly opts: SmtpListenerOptions,
    onMail: MailHandler,
    private readonly log: Log,
  ) {
    const counted = new Set<string>();
    const tls = opts.tlsKeyPath && opts.tlsCertPath ? { key: readFileSync(opts.tlsKeyPath), cert: readFileSync(opts.tlsCertPath) } : null;
    this.server = new SMTPServer({
      name: '962200',
      banner: '962200 community-service hotline',
      size: opts.maxBytes,
      rejectOversized: true,
      authOptional: true,
      // no STARTTLS without certificates: a self-signed default would only mislead senders
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      maxClients: MAX_CLIENTS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      closeTimeout: 5_000,
      logger: false,
      onConnect: (session, callback) => {
        const who = session.remoteAddress;
        const n = (this.perClient.get(who) ?? 0) + 1;
        if (n > (opts.connectionsPerClient ?? 5)) return callback(smtpError(421, 'Too many connections from your address, try again later'));
        this.perClient.set(who, n);
        counted.add(session.id);
        callback();
      },
      onClose: (session) => {
        if (!counted.delete(session.id)) return;
        const left = (this.perClient.get(session.remoteAddress) ?? 1) - 1;
        if (left <= 0) this.perClient.delete(session.remoteAddress);
        else this.perClient.set(session.remoteAddress, left);
      },
      onRcptTo: (_address, session, callback) => {
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, 'Too many recipients'));
        callback();
      },
      onData: (stream, session, callback) => this.takeMail(stream, session, onMail, callback),
    });
    this.server.on('error', (err) => this.log.warn({ err }, 'smtp: connection error'));
  }

  /** The port it listens on (useful when configured as 0), null before start. */
  get port(): number | null {
    const address = this.server.server.address() as AddressInfo | null;
    return address?.port ?? null;
  }

  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      this.server.server.once('error', failed);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.server.off('error', failed);
        this.log.info({ host: this.opts.host, port: this.port }, 'smtp: listening for citizen mail');
        resolve(this.port!);
      });
    });
  }

  stop(): Promise<void> {
    if (!this.server.server.listening) return Promise.resolve();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private takeMail(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    onMail: MailHandler,
    callback: (err?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    let kept = 0;
    stream.on('data', (chunk: Buffer) => {
      // past the limit the rest is drained, not kept; the server answers 552
      if (kept + chunk.length <= this.opts.maxBytes) chunks.push(chunk);
      kept += chunk.length;
    });
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      if (stream.sizeExceeded) return callback(smtpError(552, 'Message exceeds fixed maximum message size'));
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
      onMail(Buffer.concat(chunks), from || null).then(
        () => callback(),
        (err: Error & { responseCode?: number }) => {
          if (err.responseCode && err.responseCode >= 500) {
            this.log.warn({ err: err.message, code: err.responseCode }, 'smtp: mail refused for good');
            return callback(smtpError(err.responseCode, err.message));
          }
          this.log.warn({ err }, 'smtp: could not take a mail; the sender will retry');
          callback(smtpError(451, 'Temporary failure, please try again later'));
        },
      );
    });
  }
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
