import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { citizenScenario, seatScenario, writeScenario, type CitizenStep } from '../sipp/scenarios.js';
import { signFor } from './users.js';

const repo = new URL('../../', import.meta.url).pathname;

/** Starts the repo's Asterisk if it isn't running (idempotent, seconds when cached). */
export function ensureAsterisk(): void {
  const status = spawnSync('bash', [join(repo, 'scripts/asterisk.sh'), 'status'], { encoding: 'utf8' });
  if (status.status === 0) return;
  const r = spawnSync('bash', [join(repo, 'scripts/asterisk.sh'), 'start'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not start Asterisk');
}

export function asteriskCli(command: string): string {
  return spawnSync('bash', [join(repo, 'scripts/asterisk.sh'), 'cli', command], { encoding: 'utf8' }).stdout;
}

export function asterisk(action: 'start' | 'stop' | 'restart' | 'crash'): void {
  const r = spawnSync('bash', [join(repo, 'scripts/asterisk.sh'), action], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`asterisk ${action} failed`);
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface Hotline {
  app: FastifyInstance;
  dir: string;
  dbPath: string;
  /** Authorization header of a supervisor (sees caller numbers in clear) */
  supervisor: { authorization: string };
  close(): Promise<void>;
}

/** The whole server on a temp DB (or `dbPath`), connected to the local Asterisk. */
export async function startHotline(opts: { dbPath?: string; waitReady?: boolean; businessHours?: string; env?: Record<string, string> } = {}): Promise<Hotline> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-e2e-'));
  const dbPath = opts.dbPath ?? join(dir, 'hotline.db');
  const saved = { ...process.env };
  Object.assign(process.env, opts.env ?? {});
  const app = await buildApp({
    logger: process.env.HOTLINE_TEST_LOG ? { level: 'debug' } : false,
    jobs: false,
    // the tests run at any hour: open round the clock unless a test says otherwise
    config: { dbPath, filesDir: join(dir, 'files'), host: '127.0.0.1', port: 0, logLevel: 'warn', cdrPollMs: 500, businessHours: opts.businessHours ?? 'always', smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, enabled: false } },
  });
  process.env = saved;
  // the demo roster: seats 1001-1010 (all logged out) and the street seats
  await seedDemo(app.services.db);
  app.services.seats.reload();
  await app.listen({ host: '127.0.0.1', port: 0 });
  if (opts.waitReady !== false) await waitFor('ARI connected', async () => (await app.inject('/ready')).statusCode === 200);
  const supervisor = { authorization: `Bearer ${signFor(app, { name: 'test-supervisor', role: 'supervisor', userId: 1 })}` };
  return {
    app,
    dir,
    dbPath,
    supervisor,
    close: async () => {
      await app.close();
      if (!opts.dbPath) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let nextSipPort = 15000 + (process.pid % 2000) * 2;
let nextMediaPort = 32000 + (process.pid % 1000) * 8;

export interface SippResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runSipp(args: string[], timeoutMs: number): { done: Promise<SippResult>; kill(): void } {
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<SippResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { done, kill: () => child.kill('SIGTERM') };
}

/** Places one real SIP call into Asterisk as a citizen; resolves when the call is over. */
export function placeCall(opts: { from: string; to?: string; steps: CitizenStep[]; headers?: string[]; timeoutMs?: number }): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const file = writeScenario(join(dir, 'citizen.xml'), citizenScenario(opts));
  const port = nextSipPort++;
  const mediaPort = (nextMediaPort += 8);
  const run = runSipp(
    ['127.0.0.1:5060', '-sf', file, '-m', '1', '-l', '1', '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-timeout', '120s', '-timeout_error', '-nostdin', '-trace_err', '-error_file', join(dir, 'err.log')],
    opts.timeoutMs ?? 120_000,
  );
  return run.done.finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Resolves once something listens on UDP `port` (from /proc/net/udp), at most 3 s: a seat
 * made ready while callers wait is dialled at once, and an INVITE to a port sipp has not
 * bound yet is refused (ICMP) rather than retransmitted.
 */
async function udpBound(port: number): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (let i = 0; i < 60; i++) {
    if (readFileSync('/proc/net/udp', 'utf8').includes(hex)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A seat's phone listening on its static contact port (1001 -> 6001). Answers
 * `calls` calls as told, then exits.
 */
export function seatPhone(opts: { port: number; calls?: number; ringMs?: number; reject?: number; noAnswer?: boolean; talkMs?: number; timeoutMs?: number; press?: { afterMs: number; digit: string } }): { done: Promise<SippResult>; stop(): void; listening: Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-seat-'));
  const file = writeScenario(join(dir, 'seat.xml'), seatScenario(opts));
  const mediaPort = (nextMediaPort += 8);
  const run = runSipp(
    ['-sf', file, '-m', String(opts.calls ?? 1), '-i', '127.0.0.1', '-p', String(opts.port), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-timeout', '120s', '-nostdin', '-trace_err', '-error_file', join(dir, 'err.log')],
    opts.timeoutMs ?? 120_000,
  );
  return { done: run.done.finally(() => rmSync(dir, { recursive: true, force: true })), stop: run.kill, listening: udpBound(opts.port) };
}
