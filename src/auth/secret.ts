import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';

/**
 * The JWT signing secret. JWT_SECRET when set (production requires it, config.ts checks
 * its strength); otherwise, for development and tests, a random one made at first start
 * and kept beside the database (`jwt-secret`, mode 600), so tokens survive a restart and
 * a token signed with any value printed in this repository never works.
 */
export function resolveJwtSecret(config: Config): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.env === 'production') return '';
  if (config.dbPath === ':memory:') return randomBytes(48).toString('base64url');
  const file = join(dirname(config.dbPath), 'jwt-secret');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const made = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}
