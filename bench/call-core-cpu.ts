/**
 * Server CPU per call, in-process, on the in-memory Asterisk of test/calls (no real
 * Asterisk, no network): each call dials, presses 0, the seat picks up and the caller
 * hangs up. After a warm-up, N calls run one after another and the process's CPU is
 * divided by N. The double and this loop are in the figure too (small next to the call
 * path); BENCH_CPU_PROF=1 also profiles the measured calls and prints the self time per
 * package (drizzle-orm's share) and per file, the profile in bench/out/prof/.
 * BENCH_SQL=1 counts the SQL statements run per call instead, by statement (the count
 * wraps every statement: the CPU figure of such a run is not the call path's).
 *
 *   bash scripts/with-node.sh npx tsx bench/call-core-cpu.ts [calls=1000] [warmup=300] [rounds=5]
 *
 * Each round of `calls` is measured apart and the median printed: the machine is shared,
 * and a neighbour's burst shows as one slow round.
 *
 * Not part of npm test nor of bench/run.ts: a figure for one change, read by a person.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { callLab, fastCallflow, type Lab } from '../test/calls/harness.js';

const calls = Number(process.argv[2] ?? 1000);
const warmup = Number(process.argv[3] ?? 300);
const rounds = Number(process.argv[4] ?? 5);
const SEATS = 8;

/** statements run while `counting`, by SQL text: wraps prepare() before the lab prepares its statements */
const statements = new Map<string, number>();
let counting = false;
if (process.env.BENCH_SQL === '1') {
  const proto = Database.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, source: string, ...rest: unknown[]) {
    const st = prepare.call(this, source, ...rest) as Record<string, (...a: unknown[]) => unknown>;
    for (const m of ['run', 'get', 'all', 'iterate']) {
      const run = st[m];
      st[m] = function (this: unknown, ...a: unknown[]) {
        if (counting) statements.set(source, (statements.get(source) ?? 0) + 1);
        return run.apply(this, a);
      };
    }
    return st;
  } as (typeof proto)['prepare'];
  const exec = proto.exec;
  proto.exec = function (this: unknown, source: string) {
    if (counting) statements.set(source, (statements.get(source) ?? 0) + 1);
    return exec.call(this, source);
  } as (typeof proto)['exec'];
}

const lab = await callLab({
  seats: Array.from({ length: SEATS }, (_, i) => ({ id: `10${String(i).padStart(2, '0')}`, state: 'ready', idleFor: 1000 * (SEATS - i) })),
  callflow: fastCallflow((c) => {
    c.queues.seats.wrapUpSeconds = 0.001;
  }),
});

/** lets the event loop run until `fn` holds (the double's events, REST replies, timers) */
async function until<T>(lab: Lab, what: string, fn: () => T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 10_000; i++) {
    await lab.settle();
    const v = fn();
    if (v) return v;
    if (i > 20) await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let n = 0;
async function oneCall(): Promise<void> {
  const id = lab.ari.dial(`1380013${String(n++ % 10_000).padStart(4, '0')}`)!;
  await until(lab, 'in the IVR', () => lab.calls.query.get(id)?.state === 'ivr');
  lab.ari.press(id, '0');
  const leg = await until(lab, 'a seat rings', () => lab.ari.ringingLegs()[0]);
  lab.ari.pickUp(leg);
  await until(lab, 'connected', () => lab.calls.query.get(id)?.state === 'connected');
  lab.ari.hangUp(id);
  await until(lab, 'ended', () => !lab.calls.query.get(id));
}

for (let i = 0; i < warmup; i++) await oneCall();

const profile = process.env.BENCH_CPU_PROF === '1';
const session = profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const perRound: number[] = [];
counting = true;
for (let r = 0; r < rounds; r++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await oneCall();
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  perRound.push((cpu.user + cpu.system) / 1000 / calls);
  console.log(`round ${r + 1}: ${calls} calls, CPU ${perRound[r].toFixed(3)} ms per call (user ${(cpu.user / 1000 / calls).toFixed(3)}, system ${(cpu.system / 1000 / calls).toFixed(3)}), wall ${(wall / calls).toFixed(2)} ms per call`);
}
counting = false;
if (statements.size) {
  const per = (v: number) => (v / (calls * rounds)).toFixed(2).padStart(6);
  for (const [source, v] of [...statements].sort((a, b) => b[1] - a[1])) console.log(per(v), source.replace(/\s+/g, ' ').slice(0, 200));
  console.log(`SQL statements per call: ${per([...statements.values()].reduce((a, b) => a + b, 0)).trim()}`);
}
const sorted = [...perRound].sort((a, b) => a - b);
console.log(`server CPU per call (median of ${rounds} rounds of ${calls}, after ${warmup} warm-up): ${sorted[Math.floor(rounds / 2)].toFixed(3)} ms; best ${sorted[0].toFixed(3)} ms`);

if (session) {
  const { profile: p } = await session.post('Profiler.stop');
  session.disconnect();
  const dir = join(import.meta.dirname, 'out/prof');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `call-core-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(p));
  const selfUs = new Map<number, number>();
  p.samples!.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas![i] ?? 0)));
  const where = (url: string): string => {
    if (!url) return '(native)';
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return `npm:${nm[1]}`;
    if (url.startsWith('node:')) return url;
    return /\/((?:src|bench|test)\/.*)$/.exec(url)?.[1] ?? url;
  };
  const byFile = new Map<string, number>();
  for (const node of p.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const f = node.callFrame.functionName === '(idle)' ? '(idle)' : where(node.callFrame.url);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
  }
  console.log(`profile: ${file}\nself time per call by file / package (idle left out):`);
  for (const [f, us] of [...byFile].filter(([f]) => f !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(us / 1000 / (calls * rounds)).toFixed(3).padStart(8)} ms  ${f}`);
  }
}
lab.close();
