import type { FastifyRequest } from 'fastify';
import { scrubLog, scrubUrl } from '../shared/masking.js';

/** Paths pino blanks wherever they occur in a log line's object. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'secret',
  '*.token',
  '*.password',
  '*.secret',
  'callerNumber',
  '*.callerNumber',
  'callerName',
  '*.callerName',
  'callerEmail',
  '*.callerEmail',
];

/**
 * The server's log carries no token and no caller number in clear: request URLs are
 * scrubbed (`?token=`, `?callerNumber=` blanked, phone numbers in paths masked), known
 * secret and caller fields are redacted, and every message text has phone and ID-card
 * numbers masked.
 */
export function loggerOptions(base: object) {
  return {
    ...base,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: typeof req.url === 'string' ? scrubUrl(req.url) : undefined, remoteAddress: req.ip }),
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubLog(a) : a)),
        );
      },
    },
    formatters: {
      log: (obj: Record<string, unknown>) => scrubObject(obj) as Record<string, unknown>,
    },
  };
}

function scrubObject(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrubLog(v);
  if (depth > 6 || !v || typeof v !== 'object' || v instanceof Error) return v;
  if (Array.isArray(v)) return v.map((x) => scrubObject(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrubObject(x, depth + 1);
  return out;
}
