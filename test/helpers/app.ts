import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.js';
import type { Actor } from '../../src/shared/actor.js';
import { signFor } from './users.js';

export interface TestApp {
  app: FastifyInstance;
  dir: string;
  /** a bearer token for an actor; its user row is made (or brought in line) first, see users.ts */
  token(actor: Partial<Actor> & { role: Actor['role'] }, opts?: { expiresIn?: string | number }): string;
  /** Authorization header for an actor */
  auth(actor: Partial<Actor> & { role: Actor['role'] }): { authorization: string };
  close(): Promise<void>;
}

/** An app on a fresh database in a temp dir, without telephony or jobs unless asked. */
export async function makeApp(opts: BuildOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-test-'));
  const app = await buildApp({
    telephony: false,
    jobs: false,
    logger: false,
    ...opts,
    config: { dbPath: join(dir, 'hotline.db'), filesDir: join(dir, 'files'), logLevel: 'warn', smtp: { host: '127.0.0.1', port: 0, maxBytes: 10 * 1024 * 1024, enabled: false }, ...(opts.config ?? {}) },
  });
  await app.ready();
  let n = 0;
  const token = (actor: Partial<Actor> & { role: Actor['role'] }, opts?: { expiresIn?: string | number }) => {
    // a token for a given id without a name is that user's (made under a name of its own)
    const known = actor.userId !== undefined && !actor.name ? (app.services.users.get(actor.userId)?.username ?? `${actor.role}-u${actor.userId}`) : undefined;
    return signFor(app, { ...actor, name: actor.name ?? known ?? `${actor.role}-${++n}`, userId: actor.userId ?? 100000 + n }, opts);
  };
  return {
    app,
    dir,
    token,
    auth: (actor) => ({ authorization: `Bearer ${token(actor)}` }),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
