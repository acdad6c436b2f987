import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { waitFor } from './telephony.js';

const repo = new URL('../../', import.meta.url).pathname;

/** A seeded database for a server process (the demo roster and users), built in-process. */
export async function seedDatabase(dir: string, dbPath: string): Promise<void> {
  const app = await buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath, filesDir: join(dir, 'files'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
  await app.ready();
  await seedDemo(app.services.db);
  await app.close();
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** SIGKILL: no shutdown hooks run, like a crash or the OOM killer */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real server (src/server.ts) in its own process, so a test can kill it hard.
 * Its JWT secret is the one kept beside the database, so tokens the test signs in-process
 * (test/helpers/users.ts signFor, on the same database) are accepted.
 */
export async function startServerProcess(opts: { dbPath: string; dir: string; port: number; env?: Record<string, string>; nodeArgs?: string[] }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', join(repo, 'src/server.ts')], {
    cwd: repo,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      DB_PATH: opts.dbPath,
      FILES_DIR: join(opts.dir, 'files'),
      BUSINESS_HOURS: 'always',
      SMTP_ENABLED: 'false',
      CDR_POLL_MS: '500',
      LOG_LEVEL: process.env.HOTLINE_TEST_LOG ? 'debug' : 'warn',
      ...opts.env,
    },
    stdio: ['ignore', process.env.HOTLINE_TEST_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitFor('server process ready (ARI connected)', async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    return (await fetch(`${url}/ready`).catch(() => null))?.status === 200 ? true : null;
  }, 60_000, 200);
  return {
    child,
    url,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
