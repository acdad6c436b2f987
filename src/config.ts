// Everything the server reads from its environment, in one place (README lists each).
export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  dbPath: string;
  ari: { url: string; user: string; password: string; app: string };
  jwtSecret: string;
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
}

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me';
export const DEV_12345_SECRET = 'dev-only-12345-secret';
export const DEV_ARI_PASSWORD = 'hotline-dev-secret';

const asteriskHome = process.env.HOTLINE_ASTERISK_HOME ?? '/var/lib/hotline-asterisk';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const config: Config = {
    env: mode,
    host: env.HOST ?? '0.0.0.0',
    port: intFrom(env.PORT, 3000),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
    dbPath: env.DB_PATH ?? './data/hotline.db',
    ari: {
      url: (env.ARI_URL ?? 'http://127.0.0.1:8088').replace(/\/+$/, ''),
      user: env.ARI_USER ?? 'hotline',
      password: env.ARI_PASSWORD ?? DEV_ARI_PASSWORD,
      app: env.ARI_APP ?? 'hotline',
    },
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    integration12345: {
      secret: env.INTEGRATION_12345_SECRET ?? DEV_12345_SECRET,
      url: env.INTEGRATION_12345_URL ?? null,
    },
    smtp: {
      host: env.SMTP_HOST ?? '0.0.0.0',
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
    ...overrides,
  };
  return config;
}

/** Production must never run on the secrets printed in this repo. */
export function assertProductionSecrets(config: Config): void {
  if (config.env !== 'production') return;
  const weak: string[] = [];
  if (config.jwtSecret === DEV_JWT_SECRET || config.jwtSecret.length < 32) weak.push('JWT_SECRET');
  if (config.integration12345.secret === DEV_12345_SECRET) weak.push('INTEGRATION_12345_SECRET');
  if (config.ari.password === DEV_ARI_PASSWORD) weak.push('ARI_PASSWORD');
  if (weak.length) {
    throw new Error(`refusing to start in production with default or weak secrets: ${weak.join(', ')}`);
  }
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got "${value}"`);
  return n;
}
