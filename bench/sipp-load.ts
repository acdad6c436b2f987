/**
 * sipp as the benchmark's load: citizens placing calls at a rate, and one sipp
 * answering as every bench seat (2001-2200 all have their contact on :6100).
 * Times come from sipp's own logs ([timestamp] has epoch microseconds) so they are
 * taken where the SIP messages are sent and received, not in the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { citizenScenario, seatScenario } from '../test/sipp/scenarios.js';

export const SEAT_PORT = 6100;
export const BENCH_SEATS = Array.from({ length: 200 }, (_, i) => String(2001 + i));

interface Exit {
  code: number | null;
  stderr: string;
}

function run(args: string[], cwd: string, timeoutMs: number): { done: Promise<Exit>; signal(sig: NodeJS.Signals): void } {
  const child = spawn('sipp', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
  return { done, signal: (sig) => child.kill(sig) };
}

/** "<date>\t<time>\t<epoch.micros>" -> epoch ms */
const epochMs = (stamp: string) => Number(stamp.trim().split(/\s+/).pop()) * 1000;

export interface SeatInvite {
  seat: string;
  caller: string;
  at: number;
}

/** One sipp answering at once as every bench seat; it hangs up when the caller does. */
export function startSeats(dir: string): { stop(): Promise<SeatInvite[]> } {
  // a seat sipp left over from an interrupted run would hold the port
  spawnSync('pkill', ['-9', '-f', `sipp .*-p ${SEAT_PORT} `]);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'seat.xml');
  writeFileSync(file, seatScenario({ ringMs: 0, logInvites: true }));
  const log = join(dir, 'seats.log');
  const p = run(
    ['-sf', file, '-i', '127.0.0.1', '-p', String(SEAT_PORT), '-mi', '127.0.0.1', '-mp', '42000', '-m', '10000000', '-l', '100000', '-nostdin', '-trace_logs', '-log_file', log],
    dir,
    6 * 3600_000,
  );
  return {
    async stop() {
      p.signal('SIGTERM');
      // sipp may wait on a call that never ends (a BYE lost under overload): do not wait with it
      const hard = setTimeout(() => p.signal('SIGKILL'), 5000);
      await p.done;
      clearTimeout(hard);
      if (!existsSync(log)) return [];
      const invites: SeatInvite[] = [];
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const m = /^invite .*sip:(\d+)@.* \| .*sip:([^@>;]+)@.* \| (.*)$/.exec(line);
        if (m) invites.push({ seat: m[1], caller: m[2], at: epochMs(m[3]) });
      }
      return invites;
    },
  };
}

export interface LoadResult {
  callers: string[];
  /** INVITE -> 200 OK per call, ms */
  setupMs: number[];
  /** caller -> when the digit was sent (epoch ms) */
  dtmfAt: Map<string, number>;
  successful: number;
  failed: number;
  /** highest number of calls up at once, sampled every second */
  maxConcurrent: number;
  elapsedMs: number;
}

let runs = 0;
let mediaBase = 32000;

/** `calls` citizens at `rate` per second dial `to`, press 0 after 300 ms, hang up `holdMs` later. */
export async function citizens(opts: { dir: string; to: string; rate: number; calls: number; holdMs: number; digit?: string }): Promise<LoadResult> {
  const dir = join(opts.dir, `run-${++runs}`);
  mkdirSync(dir, { recursive: true });
  // fresh numbers per run: calls are matched by caller number in the server's DB and in CDRs
  const prefix = `1${String(Date.now()).slice(-5)}${String(runs % 10)}`;
  const callers = Array.from({ length: opts.calls }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
  writeFileSync(join(dir, 'callers.csv'), 'SEQUENTIAL\n' + callers.join('\n') + '\n');
  writeFileSync(
    join(dir, 'citizen.xml'),
    citizenScenario({ from: '[field0]', to: opts.to, steps: [{ pause: 300 }, { mark: 'dtmf' }, { dtmf: opts.digit ?? '0' }, { pause: opts.holdMs }] }),
  );
  // outside Asterisk's RTP range (rtp.conf 20000-30000) and the seats' 42000
  mediaBase = mediaBase >= 40000 ? 32000 : mediaBase + 1000;
  const started = Date.now();
  const p = run(
    [
      '-sf', 'citizen.xml', '-inf', 'callers.csv', '-r', String(opts.rate), '-rp', '1000', '-m', String(opts.calls), '-l', '100000',
      '-i', '127.0.0.1', '-p', String(16000 + (runs % 100)), '-mi', '127.0.0.1', '-mp', String(mediaBase),
      '-nostdin', '-recv_timeout', '30000',
      '-trace_rtt', '-rtt_freq', '1', '-trace_stat', '-fd', '1', '-stf', 'stat.csv', '-trace_logs', '-log_file', 'citizens.log',
      '127.0.0.1:5060',
    ],
    dir,
    opts.calls / opts.rate * 1000 + opts.holdMs + 120_000,
  );
  const exit = await p.done;
  const elapsedMs = Date.now() - started;
  const setupMs: number[] = [];
  const rtt = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (rtt) {
    for (const line of readFileSync(join(dir, rtt), 'utf8').split('\n').slice(1)) {
      const [, value] = line.split(';');
      if (value) setupMs.push(Number(value));
    }
  }
  const dtmfAt = new Map<string, number>();
  if (existsSync(join(dir, 'citizens.log'))) {
    for (const line of readFileSync(join(dir, 'citizens.log'), 'utf8').split('\n')) {
      const m = /^dtmf (\S+) (.*)$/.exec(line);
      if (m) dtmfAt.set(m[1], epochMs(m[2]));
    }
  }
  const { successful, failed, maxConcurrent } = readStat(join(dir, 'stat.csv'));
  if (exit.code !== 0 && exit.code !== 1) throw new Error(`sipp citizens exited ${exit.code}: ${exit.stderr.slice(0, 500)}`);
  return { callers, setupMs, dtmfAt, successful, failed, maxConcurrent, elapsedMs };
}

function readStat(file: string): { successful: number; failed: number; maxConcurrent: number } {
  if (!existsSync(file)) return { successful: 0, failed: 0, maxConcurrent: 0 };
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(';'));
  const head = rows[0];
  const col = (name: string) => head.indexOf(name);
  const last = rows[rows.length - 1];
  const current = col('CurrentCall');
  return {
    successful: Number(last[col('SuccessfulCall(C)')]),
    failed: Number(last[col('FailedCall(C)')]),
    maxConcurrent: Math.max(0, ...rows.slice(1).map((r) => Number(r[current]) || 0)),
  };
}
