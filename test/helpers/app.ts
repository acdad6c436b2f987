import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.js';
import type { Actor } from '../../src/shared/actor.js';

export interface TestApp {
  app: FastifyInstance;
  dir: string;
  /** a bearer token for an actor (no user row needed) */
  token(actor: Partial<Actor> & { role: Actor['role'] }): string;
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
  const token = (actor: Partial<Actor> & { role: Actor['role'] }) =>
    app.signToken({ name: actor.name ?? `${actor.role}-${++n}`, userId: actor.userId ?? 100000 + n, ...actor });
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
