// Everything the server reads from its environment, in one place (README lists each).
export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  dbPath: string;
  /** WAL checkpoints on a worker thread this often (ms); 0: SQLite's own, inside the commit that fills the WAL */
  dbCheckpointMs: number;
  /** restLanes: websockets carrying ARI's REST requests (ARI_REST_LANES, 0 = HTTP only) */
  ari: { url: string; user: string; password: string; app: string; restLanes: number };
  /** empty until buildApp resolves it: JWT_SECRET, or in development a secret generated beside the database */
  jwtSecret: string;
  /** proxy hops whose X-Forwarded-For is believed (TRUST_PROXY): false, a hop count, or addresses/CIDRs */
  trustProxy: boolean | number | string[];
  /** GET /metrics with `Authorization: Bearer <token>`; without one, loopback only */
  metricsToken: string | null;
  /** serve the OpenAPI pages at /docs (the JSON stays available to the tests through app.swagger()) */
  docsEnabled: boolean;
  /** abuse limits (src/auth/limits.ts) */
  limits: {
    /** requests per minute per client address on each anonymous route */
    anonymousPerMinute: number;
    /** exact caller-number look-ups per user per 10 minutes */
    callerProbesPer10Min: number;
    /** open HTTP connections per client address */
    connectionsPerClient: number;
    /** open SMTP connections per client address */
    smtpConnectionsPerClient: number;
    /** ms a client has to send a whole request, body included (slow bodies are cut off with 408) */
    requestTimeoutMs: number;
  };
  integration12345: { secret: string; url: string | null };
  smtp: {
    host: string;
    port: number;
    maxBytes: number;
    enabled: boolean;
    /** PEM files; STARTTLS is offered only when both are set */
    tlsKeyPath?: string;
    tlsCertPath?: string;
  };
  /** Delivery of status updates and returns back to 12345 (src/intake/twelve345). */
  outbox12345: {
    /** appended to integration12345.url */
    path: string;
    pollMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    timeoutMs: number;
  };
  /** Asterisk's CDR file (cdr_custom JSON lines), read to recover calls missed while down. */
  cdrPath: string;
  /** how often the CDR file is checked for fallback calls (ms) */
  cdrPollMs: number;
  /** Where e-mail attachments and other uploaded files are kept. */
  filesDir: string;
  /** When seats are staffed on working days, Shanghai time, e.g. 09:00-17:00 (00:00-24:00 = round the clock). */
  businessHours: string;
  /** Asterisk's recordings folder as the server sees it (a shared volume), listed in backups. */
  recordingsDir: string | null;
  /** Scheduled online backups (src/backup). */
  backup: { dir: string; keepDaily: number; keepMonthly: number; cron: string };
  /** Mail the hotline sends (src/mailout): through SMTP_OUT_URL, or only logged when it is unset (dev). */
  mailOut: {
    /** smtp://[user:pass@]host:port (smtps:// for TLS); null: mail is logged, not sent */
    url: string | null;
    /** the From: of our mail, e.g. "962200 <reply@962200.example>"; its domain carries the reply address */
    from: string;
    pollMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    /** attempts before a mail is given up (failure stays visible on the ticket) */
    maxAttempts: number;
  };
  /** Alerts supervisors must acknowledge (src/alerts). */
  alerts: {
    /** unacknowledged this long, an alert is pushed again and e-mailed to the duty supervisors */
    repeatMs: number;
    /** the duty supervisors' addresses (ALERT_EMAIL_TO, comma-separated) */
    emailTo: string[];
    /** how often unacknowledged alerts are checked */
    checkMs: number;
  };
  /** working days a department has to rework a ticket after an unsatisfied callback (第十六条) */
  reworkDays: number;
  /** minutes the bureau office (市局办公室) has to answer an emergency (第十七条) */
  bureauOfficeEmergencyMinutes: number;
  /** Call recordings and voice messages (src/recordings): kept this many days, then deleted by the retention job. */
  recordings: { retentionDays: number };
  /** Quality inspection (质检, src/quality): the daily draw of answered calls per seat. */
  quality: { sampleRate: number; sampleMinimum: number };
}

export const DEV_12345_SECRET = 'dev-only-12345-secret';
export const DEV_ARI_PASSWORD = 'hotline-dev-secret';

const asteriskHome = process.env.HOTLINE_ASTERISK_HOME ?? '/var/lib/hotline-asterisk';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode = modeOf(env.NODE_ENV);
  // a developer's machine listens on itself only; production on every interface
  const anyHost = mode === 'production' ? '0.0.0.0' : '127.0.0.1';
  const config: Config = {
    env: mode,
    host: env.HOST || anyHost,
    port: intFrom(env.PORT, 3000),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
    dbPath: env.DB_PATH ?? './data/hotline.db',
    dbCheckpointMs: intFrom(env.DB_CHECKPOINT_MS, 1000),
    ari: {
      url: (env.ARI_URL ?? 'http://127.0.0.1:8088').replace(/\/+$/, ''),
      user: env.ARI_USER ?? 'hotline',
      password: env.ARI_PASSWORD ?? DEV_ARI_PASSWORD,
      app: env.ARI_APP ?? 'hotline',
      restLanes: intFrom(env.ARI_REST_LANES, 8),
    },
    jwtSecret: env.JWT_SECRET ?? '',
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || null,
    docsEnabled: env.DOCS_ENABLED ? env.DOCS_ENABLED !== 'false' : mode !== 'production',
    limits: {
      anonymousPerMinute: intFrom(env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, 300),
      callerProbesPer10Min: intFrom(env.RATE_LIMIT_CALLER_PROBES, 60),
      connectionsPerClient: intFrom(env.MAX_CONNECTIONS_PER_CLIENT, 256),
      smtpConnectionsPerClient: intFrom(env.SMTP_MAX_CONNECTIONS_PER_CLIENT, 5),
      requestTimeoutMs: intFrom(env.REQUEST_TIMEOUT_MS, 30_000),
    },
    integration12345: {
      secret: env.INTEGRATION_12345_SECRET ?? DEV_12345_SECRET,
      url: env.INTEGRATION_12345_URL ?? null,
    },
    smtp: {
      host: env.SMTP_HOST || anyHost,
      port: intFrom(env.SMTP_PORT, 2525),
      maxBytes: intFrom(env.SMTP_MAX_BYTES, 10 * 1024 * 1024),
      enabled: env.SMTP_ENABLED !== 'false',
      tlsKeyPath: env.SMTP_TLS_KEY || undefined,
      tlsCertPath: env.SMTP_TLS_CERT || undefined,
    },
    outbox12345: {
      path: env.INTEGRATION_12345_OUTBOX_PATH ?? '/api/962200/order-updates',
      pollMs: intFrom(env.OUTBOX_12345_POLL_MS, 5_000),
      retryBaseMs: intFrom(env.OUTBOX_12345_RETRY_BASE_MS, 5_000),
      retryMaxMs: intFrom(env.OUTBOX_12345_RETRY_MAX_MS, 15 * 60_000),
      timeoutMs: intFrom(env.OUTBOX_12345_TIMEOUT_MS, 10_000),
    },
    cdrPath: env.ASTERISK_CDR_PATH ?? `${asteriskHome}/root/var/log/asterisk/cdr-custom/hotline.jsonl`,
    cdrPollMs: intFrom(env.CDR_POLL_MS, 30_000),
    filesDir: env.FILES_DIR ?? './data/files',
    businessHours: env.BUSINESS_HOURS ?? '09:00-17:00',
    recordingsDir: env.RECORDINGS_DIR || `${asteriskHome}/root/var/spool/asterisk/recording`,
    backup: {
      dir: env.BACKUP_DIR || './data/backups',
      keepDaily: intFrom(env.BACKUP_KEEP_DAILY, 7),
      keepMonthly: intFrom(env.BACKUP_KEEP_MONTHLY, 12),
      // Shanghai time, after the night's daily jobs
      cron: env.BACKUP_CRON || '30 2 * * *',
    },
    mailOut: {
      url: env.SMTP_OUT_URL || null,
      from: env.MAIL_FROM || '962200 社区服务热线 <reply@962200.invalid>',
      pollMs: intFrom(env.MAIL_OUT_POLL_MS, 5_000),
      retryBaseMs: intFrom(env.MAIL_OUT_RETRY_BASE_MS, 30_000),
      retryMaxMs: intFrom(env.MAIL_OUT_RETRY_MAX_MS, 30 * 60_000),
      maxAttempts: intFrom(env.MAIL_OUT_MAX_ATTEMPTS, 12),
    },
    alerts: {
      repeatMs: intFrom(env.ALERT_REPEAT_MS, 3 * 60_000),
      emailTo: (env.ALERT_EMAIL_TO ?? '').split(',').map((a) => a.trim()).filter(Boolean),
      checkMs: intFrom(env.ALERT_CHECK_MS, 15_000),
    },
    reworkDays: intFrom(env.REWORK_DAYS, 5),
    bureauOfficeEmergencyMinutes: intFrom(env.BUREAU_OFFICE_EMERGENCY_MINUTES, 120),
    recordings: { retentionDays: intFrom(env.RECORDING_RETENTION_DAYS, 180) },
    quality: { sampleRate: rateFrom(env.QUALITY_SAMPLE_RATE, 0.05), sampleMinimum: intFrom(env.QUALITY_SAMPLE_MINIMUM, 2) },
    ...overrides,
  };
  return config;
}

/**
 * development and test are named (any case, blanks ignored); anything else, `prod` or a
 * typo included, is production: a mistake must fail safe, never fall back to dev secrets.
 * Unset is development, so the README's commands work with no env.
 */
export function modeOf(nodeEnv: string | undefined): Config['env'] {
  const v = (nodeEnv ?? '').trim().toLowerCase();
  if (v === '' || v === 'development') return 'development';
  if (v === 'test') return 'test';
  return 'production';
}

function trustProxyFrom(value: string | undefined): Config['trustProxy'] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  // `true` would believe any client's X-Forwarded-For: name the hops instead
  if (v === 'true') throw new Error('TRUST_PROXY=true would trust every client; give the number of proxy hops or their addresses');
  return v.split(',').map((x) => x.trim()).filter(Boolean);
}

/** Why a secret is not fit for production, or null when it is. */
export function secretProblem(value: string | undefined | null, minLength: number, published: readonly string[] = []): string | null {
  if (!value) return 'missing';
  if (published.includes(value)) return 'a value published in this repository';
  if (value.length < minLength) return `shorter than ${minLength} characters`;
  if (new Set(value).size < Math.min(8, minLength / 2)) return 'too few distinct characters';
  if (/^(.)\1*$/.test(value) || /^(?:0123456789|abcdefgh|password|changeme|secret)/i.test(value)) return 'guessable';
  return null;
}

/** Production must never run on missing, published or weak secrets. */
export function assertProductionSecrets(config: Config): void {
  if (config.env !== 'production') return;
  const problems: string[] = [];
  const check = (name: string, value: string | null | undefined, min: number, published: readonly string[] = []) => {
    const p = secretProblem(value, min, published);
    if (p) problems.push(`${name} (${p})`);
  };
  check('JWT_SECRET', config.jwtSecret, 32);
  check('INTEGRATION_12345_SECRET', config.integration12345.secret, 32, [DEV_12345_SECRET]);
  check('ARI_PASSWORD', config.ari.password, 16, [DEV_ARI_PASSWORD]);
  if (config.metricsToken !== null) check('METRICS_TOKEN', config.metricsToken, 32);
  if (problems.length) {
    throw new Error(`refusing to start in production with default or weak secrets: ${problems.join(', ')}`);
  }
}
function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got "${value}"`);
  return n;
}

/** A share between 0 and 1 (QUALITY_SAMPLE_RATE=0.05). */
function rateFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`expected a share between 0 and 1, got "${value}"`);
  return n;
}
