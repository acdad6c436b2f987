/**
 * The call path, side by side on the same Asterisk with the same sipp load:
 *   server:  962200 -> Stasis -> the server's IVR, holding bridge (music), longest-idle seat,
 *            2-party bridge, recorded by MixMonitor on the seat leg
 *   native:  962299 -> dialplan Background(ivr/welcome) -> app_queue (music, leastrecent,
 *            autofill, monitor-format: MixMonitor on the answered call)
 * Both play the same welcome, take the same digit (0), play hold music while the seat
 * rings, ring the same 200 bench seats (one sipp on :6100, talking PCMU once answered)
 * and record every answered call: each run counts the recording files and their length
 * on both sides, and a run missing recordings is not a result. Also: routing (seat ready
 * -> its phone rung) and memory over 10,000 calls. Run alone: nothing else may use
 * Asterisk or the ARI app meanwhile.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import type { Figures, Progress } from './run.js';
import { BENCH_SEATS, citizens, startSeats, type LoadResult, type SeatInvite } from './sipp-load.js';
import { PRODUCTION_NODE_FLAGS } from './server.js';
import { percentile, sleep, sortedCopy } from './stats.js';
import { seedDatabase, startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { loadConfig } from '../src/config.js';
import { signFor } from '../test/helpers/users.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('out/call-path/', import.meta.url));
const PORT = 3990;
/** after the digit the caller stays this long: the seat answers at once, so this is talk time */
const HOLD_MS = 1500;
// BENCH_QUICK=1: a short pass to try the harness, not for the figures
const QUICK = process.env.BENCH_QUICK === '1';
const LATENCY_RATE = 20;
const LATENCY_SECONDS = QUICK ? 5 : 15;
// 20/s steps up to 200/s; where a side first fails, the 10/s step below is tried too
const LADDER = QUICK ? [20] : [20, 40, 60, 80, 100, 120, 140, 160, 180, 200];
const STEP_SECONDS = QUICK ? 5 : 10;
// Both sides first take 500 calls at 20/s, not measured. A hotline server runs for days;
// V8 optimises its call path only after some hundreds of calls (server CPU per call was
// 11.7 ms after 50 warm-up calls, 9.5 ms after 500, same run otherwise).
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 25);
/** a rate counts as held only with INVITE->200 p95 at most this */
const SETUP_P95_LIMIT_MS = 100;
/** ... and digit -> seat ring p95 at most this many times the side's own figure at 20/s */
const DTMF_TO_RING_LIMIT = 1.5;

type System = 'server' | 'native';

function asterisk(...args: string[]): string {
  const r = spawnSync('bash', [join(repo, 'scripts/asterisk.sh'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`asterisk ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** user + system CPU of a process so far, ms (Linux clock ticks are 10 ms) */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The context switches of a process's main thread: `slept` (voluntary: it waited in
 * epoll, so a wake-up follows) and `preempted` (involuntary: another thread took its CPU).
 * Each is a cold start on this machine (wakeCost below); the server's main thread is
 * where its call path runs.
 */
function mainThreadSwitches(pid: number): { slept: number; preempted: number } {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  const n = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { slept: n('voluntary_ctxt_switches'), preempted: n('nonvoluntary_ctxt_switches') };
}

/**
 * What one wake-up costs a node process on this machine, in µs of its CPU: an empty
 * timer after 10 ms asleep (cold: the other processes ran meanwhile) against a
 * setImmediate turn (hot). Measured in a child of its own before the load starts; with
 * mainThreadSwitches, it tells how much of the server's CPU per call is wake-ups.
 */
function wakeCost(): { coldUs: number; hotUs: number } {
  const script = `
    const per = async (n, next) => { const c = process.cpuUsage(); for (let i = 0; i < n; i++) await new Promise(next); const u = process.cpuUsage(c); return (u.user + u.system) / n; };
    (async () => {
      await per(50, (r) => setImmediate(r));
      const hot = await per(2000, (r) => setImmediate(r));
      const cold = await per(200, (r) => setTimeout(r, 10));
      console.log(JSON.stringify({ coldUs: Math.round(cold), hotUs: Math.round(hot * 10) / 10 }));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { coldUs: number; hotUs: number };
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

const ari = loadConfig().ari;
async function channelsUp(): Promise<number> {
  // Asterisk may be reloading its HTTP server right after `asterisk.sh start`
  const r = await fetch(`${ari.url}/ari/channels`, { headers: { authorization: `Basic ${Buffer.from(`${ari.user}:${ari.password}`).toString('base64')}` } });
  return ((await r.json()) as unknown[]).length;
}

/** between runs: every call and seat leg gone (the hold music announcer may stay) */
async function drained(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await channelsUp().catch(() => Infinity)) <= 1) return;
    await sleep(100);
  }
}

/**
 * Asterisk back to idle (under 5% of a core for a second, at most 30 s): after a ladder
 * step it still closes recordings and frees channels for a while, and a run started
 * then measures that work too.
 */
async function settled(astPid: number): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const before = cpuMs(astPid);
    await sleep(1000);
    if (cpuMs(astPid) - before < 50) return;
  }
}

const recordingsDir = loadConfig().recordingsDir ?? join(repo, 'no-recordings');
/** where app_queue's monitor-format puts the native side's recordings */
const monitorDir = join(recordingsDir, '..', 'monitor');

/**
 * Recording files written since `since` (ms), with their length: Asterisk writes 8 kHz
 * 16-bit WAV, 16,000 bytes a second after the 44-byte header. Server: the seat leg's
 * MixMonitor into the ARI recordings (call-*.wav); native: app_queue's into monitor/.
 */
function recordingsSince(system: System, since: number): number[] {
  const dir = system === 'server' ? recordingsDir : monitorDir;
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.wav') || (system === 'server' && !f.startsWith('call-'))) continue;
    const st = statSync(join(dir, f));
    if (st.mtimeMs >= since) out.push(Math.max(0, st.size - 44) / 16000);
  }
  return out;
}

interface Bench {
  dir: string;
  dbPath: string;
  server: ServerProcess | null;
}

async function startHotlineServer(b: Bench, seatState: 'ready' | 'not_ready', extraNodeArgs: string[] = []): Promise<ServerProcess> {
  rmSync(b.dir, { recursive: true, force: true });
  mkdirSync(b.dir, { recursive: true });
  await seedDatabase(b.dir, b.dbPath);
  // the bench seats, with every skill, as center seats dialled at their PJSIP endpoint
  const db = new Database(b.dbPath);
  const insert = db.prepare("insert or replace into seats (id, name, kind, dial, skills, state, state_since, missed_in_row) values (?, ?, 'center', ?, ?, ?, ?, 0)");
  const skills = JSON.stringify(['general', 'consultation', 'community_life', 'complaint']);
  db.transaction(() => BENCH_SEATS.forEach((id, i) => insert.run(id, `bench ${id}`, `PJSIP/${id}`, skills, seatState, Date.now() - 100_000 + i)))();
  db.close();
  return startServerProcess({
    dbPath: b.dbPath,
    dir: b.dir,
    port: PORT,
    env: { QUEUES_CONFIG: join(repo, 'bench/queues-bench.json'), LOG_LEVEL: 'error', CDR_POLL_MS: '30000' },
    // BENCH_CPU_PROF=1: a CPU profile of the server into bench/out/prof/ (open in Chrome DevTools);
    // BENCH_SERVER_NODE_ARGS: more node flags for it (as bench/server.ts), e.g. --perf-basic-prof for perf
    nodeArgs: [...PRODUCTION_NODE_FLAGS, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...extraNodeArgs, ...(process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(repo, 'bench/out/prof')}`] : [])],
  });
}

/** per caller: when it joined the queue (server: its call row; native: the CDR userfield) */
function enqueuedAt(system: System, b: Bench, callers: Set<string>): Map<string, number> {
  const at = new Map<string, number>();
  if (system === 'server') {
    const db = new Database(b.dbPath, { readonly: true });
    for (const r of db.prepare('select t.caller_number c, k.enqueued_at e from calls k join tickets t on t.id = k.ticket_id where k.enqueued_at is not null').iterate() as Iterable<{ c: string; e: number }>) {
      if (callers.has(r.c)) at.set(r.c, r.e);
    }
    db.close();
  } else {
    const cdr = loadConfig().cdrPath;
    for (const line of readFileSync(cdr, 'utf8').split('\n')) {
      if (!line.includes('bench-native:')) continue;
      const row = JSON.parse(line) as { src: string; userfield: string };
      if (callers.has(row.src) && !at.has(row.src)) at.set(row.src, Number(row.userfield.split(':')[1]) * 1000);
    }
  }
  return at;
}

function dist(prefix: string, xs: number[]): Figures {
  const s = sortedCopy(xs);
  const r = (p: number) => (s.length ? Math.round(percentile(s, p) * 10) / 10 : null);
  return { [`${prefix}P50Ms`]: r(50), [`${prefix}P95Ms`]: r(95), [`${prefix}P99Ms`]: r(99) };
}

/** One load run against one system, with its timings split along the call path. */
async function measure(system: System, b: Bench, rate: number, seconds: number, progress: Progress) {
  await drained();
  const astPid = Number(asterisk('pid'));
  await settled(astPid);
  const seats = startSeats(join(OUT, 'seats'));
  await sleep(300);
  const srvPid = b.server?.child.pid;
  const startedAt = Date.now();
  const requests0 = b.server ? await ariRequests(b.server.url) : null;
  const cpu0 = { ast: cpuMs(astPid), srv: srvPid ? cpuMs(srvPid) : 0 };
  const switches0 = srvPid ? mainThreadSwitches(srvPid) : null;
  let load: LoadResult;
  let cpu1: typeof cpu0;
  let switches1: typeof switches0 = null;
  let invites: SeatInvite[] = [];
  try {
    load = await citizens({ dir: join(OUT, system), to: system === 'server' ? '962200' : '962299', rate, calls: rate * seconds, holdMs: HOLD_MS });
    await drained();
    cpu1 = { ast: cpuMs(astPid), srv: srvPid ? cpuMs(srvPid) : 0 };
    switches1 = srvPid ? mainThreadSwitches(srvPid) : null;
  } finally {
    invites = await seats.stop();
  }
  const requests1 = b.server ? await ariRequests(b.server.url) : null;
  // MixMonitor closes its file just after the channel is gone
  await sleep(500);
  const recordings = recordingsSince(system, startedAt - 1000);
  const callers = new Set(load.callers);
  const rung = new Map<string, SeatInvite>();
  for (const i of invites) if (callers.has(i.caller) && !rung.has(i.caller)) rung.set(i.caller, i);
  const queued = enqueuedAt(system, b, callers);
  const dtmfToQueue: number[] = [];
  const queueToSeat: number[] = [];
  // the digit to the seat's phone ringing, per call: what the caller waits through
  const dtmfToRing: number[] = [];
  for (const c of load.callers) {
    const d = load.dtmfAt.get(c);
    const q = queued.get(c);
    const s = rung.get(c)?.at;
    if (d !== undefined && q !== undefined) dtmfToQueue.push(q - d);
    if (q !== undefined && s !== undefined) queueToSeat.push(s - q);
    if (d !== undefined && s !== undefined) dtmfToRing.push(s - d);
  }
  const calls = load.callers.length;
  const notServed = calls - rung.size;
  const failed = load.failed + notServed;
  // a recording of about the talk: the seat answers at once and the caller hangs up HOLD_MS after the digit
  const talkSeconds = recordings.filter((sec) => sec >= 0.5 && sec <= HOLD_MS / 1000 + 1);
  const answered = rung.size;
  const recordingsPerAnsweredCall = answered ? round(talkSeconds.length / answered) : 0;
  progress(
    `${system} ${rate}/s: ${calls} calls, ${load.failed} SIP failures, ${notServed} never reached a seat, max ${load.maxConcurrent} up at once, ` +
      `setup p95 ${dist('x', load.setupMs).xP95Ms} ms, ${talkSeconds.length}/${answered} recordings of the talk (${recordings.length} files)`,
  );
  return {
    answered,
    recordings: recordings.length,
    recordingsPerAnsweredCall,
    recordingSecondsP50: recordings.length ? round(percentile(sortedCopy(recordings), 50)) : null,
    dtmfToRing,
    ariRequestsPerCall: requests0 && requests1 ? round((requests1.requests - requests0.requests) / calls) : null,
    // of those, the ones HTTP carried (every websocket lane busy, or none open)
    ariRequestsOverHttpPerCall: requests0 && requests1 ? round((requests1.overHttp - requests0.overHttp) / calls) : null,
    ariEventsPerCall: requests0 && requests1 ? round((requests1.events - requests0.events) / calls) : null,
    calls,
    failed,
    sipFailed: load.failed,
    notServed,
    maxConcurrent: load.maxConcurrent,
    setup: load.setupMs,
    dtmfToQueue,
    queueToSeat,
    cpuPerCallMs: { asterisk: (cpu1.ast - cpu0.ast) / calls, server: (cpu1.srv - cpu0.srv) / calls },
    serverSwitchesPerCall: switches0 && switches1 ? { slept: (switches1.slept - switches0.slept) / calls, preempted: (switches1.preempted - switches0.preempted) / calls } : null,
  };
}

/** Whether a ladder step counts as held: no failed call, set-up p95 and digit -> ring p95 within limits, every answered call recorded. */
function held(step: Awaited<ReturnType<typeof measure>>, ownDtmfToRingP95: number): { ok: boolean; why: string } {
  const setupP95 = Number(dist('x', step.setup).xP95Ms);
  const ringP95 = Number(dist('x', step.dtmfToRing).xP95Ms);
  if (step.failed > 0) return { ok: false, why: `${step.failed} failed calls` };
  if (!(setupP95 <= SETUP_P95_LIMIT_MS)) return { ok: false, why: `INVITE->200 p95 ${setupP95} ms > ${SETUP_P95_LIMIT_MS} ms` };
  if (!(ringP95 <= DTMF_TO_RING_LIMIT * ownDtmfToRingP95)) return { ok: false, why: `digit->ring p95 ${ringP95} ms > ${DTMF_TO_RING_LIMIT} x ${ownDtmfToRingP95} ms` };
  if (step.recordingsPerAnsweredCall < 1) return { ok: false, why: `recordings ${step.recordingsPerAnsweredCall} per answered call` };
  return { ok: true, why: '' };
}

/**
 * A side's figures: latency at 20/s, then the ladder. `rates` given: exactly those rates
 * (the server at the native side's steps, so both are measured at the native knee);
 * otherwise up the ladder until a step is not held, then the 10/s step below it.
 */
async function systemFigures(system: System, b: Bench, progress: Progress, rates?: number[], compareAt?: number): Promise<{ f: Figures; steps: number[] }> {
  // not measured: a freshly started server compiles its call path on the first calls (WARMUP_SECONDS)
  progress(`${system}: warm-up, ${WARMUP_SECONDS * 20} calls`);
  await measure(system, b, 20, WARMUP_SECONDS, progress);
  progress(`${system}: latency at ${LATENCY_RATE} calls/s for ${LATENCY_SECONDS} s`);
  const m = await measure(system, b, LATENCY_RATE, LATENCY_SECONDS, progress);
  const own = dist('x', m.dtmfToRing);
  const f: Figures = {
    [`${system}.calls`]: m.calls,
    [`${system}.failedCalls`]: m.failed,
    ...prefixed(system, dist('setup', m.setup)),
    ...prefixed(system, dist('dtmfToQueue', m.dtmfToQueue)),
    ...prefixed(system, dist('queueToSeat', m.queueToSeat)),
    ...prefixed(system, dist('dtmfToRing', m.dtmfToRing)),
    [`${system}.asteriskCpuMsPerCall`]: round(m.cpuPerCallMs.asterisk),
    [`${system}.serverCpuMsPerCall`]: round(m.cpuPerCallMs.server),
    [`${system}.recordingsPerAnsweredCall`]: m.recordingsPerAnsweredCall,
    [`${system}.recordingSecondsP50`]: m.recordingSecondsP50,
    ...(system === 'server' ? { 'server.ariRequestsPerCall': m.ariRequestsPerCall, 'server.ariRequestsOverHttpPerCall': m.ariRequestsOverHttpPerCall, 'server.ariEventsPerCall': m.ariEventsPerCall } : {}),
    ...(m.serverSwitchesPerCall ? { 'server.mainThreadSleepsPerCall': round(m.serverSwitchesPerCall.slept), 'server.mainThreadPreemptionsPerCall': round(m.serverSwitchesPerCall.preempted) } : {}),
  };
  const ownRingP95 = Number(own.xP95Ms);
  let capacity = 0;
  let maxConcurrent = 0;
  let firstNotHeld: number | null = null;
  const steps: number[] = [];
  const runStep = async (rate: number) => {
    progress(`${system}: capacity step ${rate} calls/s for ${STEP_SECONDS} s`);
    const step = await measure(system, b, rate, STEP_SECONDS, progress);
    steps.push(rate);
    const h = held(step, ownRingP95);
    f[`${system}.setupP95MsAt${rate}`] = dist('x', step.setup).xP95Ms;
    f[`${system}.dtmfToRingP95MsAt${rate}`] = dist('x', step.dtmfToRing).xP95Ms;
    f[`${system}.failedCallsAt${rate}`] = step.failed;
    f[`${system}.recordingsPerAnsweredCallAt${rate}`] = step.recordingsPerAnsweredCall;
    if (!h.ok) progress(`${system} ${rate}/s not held: ${h.why}`);
    if (h.ok && rate > capacity && (firstNotHeld === null || rate < firstNotHeld)) {
      capacity = rate;
      maxConcurrent = Math.max(maxConcurrent, step.maxConcurrent);
    }
    if (!h.ok && (firstNotHeld === null || rate < firstNotHeld)) {
      firstNotHeld = rate;
      f[`${system}.firstNotHeldRate`] = rate;
      f[`${system}.firstNotHeldBecause`] = h.why;
    }
    return { ...h, failed: step.failed, calls: step.calls };
  };
  if (rates) {
    // the native side's rates, rising, until one is not held; then at once the 10/s step
    // below it, as the native ladder does: that step follows one overload step on both
    // sides, not several (run after 70 and 80/s, a server's 50/s step measured their backlog)
    for (const rate of rates) {
      if (firstNotHeld !== null) break;
      await runStep(rate);
    }
    const between = firstNotHeld === null ? null : firstNotHeld - 10;
    if (between !== null && between > capacity && !steps.includes(between)) await runStep(between);
    // last, the native capacity rate if it was not reached: setupP95RatioAtNativeKnee is read there
    if (compareAt && !steps.includes(compareAt)) await runStep(compareAt);
  } else {
    let last = 0;
    for (const rate of LADDER) {
      const r = await runStep(rate);
      if (!r.ok) {
        if (rate - last > 10) await runStep(rate - 10);
        break;
      }
      last = rate;
    }
  }
  f[`${system}.capacityCallsPerSecond`] = capacity;
  f[`${system}.maxConcurrentAtCapacity`] = maxConcurrent;
  return { f, steps };
}

/** ARI requests made and events received so far, from the server's /metrics */
async function ariRequests(url: string): Promise<{ requests: number; events: number; overHttp: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let requests = 0;
  let events = 0;
  let overHttp = 0;
  for (const line of text.split('\n')) {
    const h = /^hotline_ari_requests_over_http_total(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (h) overHttp += Number(h[1]);
    const r = /^hotline_ari_request_seconds_count\{[^}]*\} (\S+)$/.exec(line);
    if (r) requests += Number(r[1]);
    const e = /^hotline_ari_events_total\{[^}]*\} (\S+)$/.exec(line);
    if (e) events += Number(e[1]);
  }
  return { requests, events, overHttp };
}

/** mean ARI request time per route from the server's /metrics, for finding slow steps */
async function ariLatency(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^hotline_ari_request_seconds_(sum|count)\{.*method="(\w+)",route="([^"]+)".*\} (\S+)$/.exec(line);
    if (!m) continue;
    const key = `${m[2]} ${m[3]}`;
    const map = m[1] === 'sum' ? sum : count;
    map.set(key, (map.get(key) ?? 0) + Number(m[4]));
  }
  return [...count].map(([k, n]) => `${k}: ${n} x ${((sum.get(k)! / n) * 1000).toFixed(1)} ms`).join('\n');
}

const round = (x: number) => Math.round(x * 100) / 100;
const prefixed = (p: string, f: Figures): Figures => Object.fromEntries(Object.entries(f).map(([k, v]) => [`${p}.${k}`, v]));

function bench(name: string): Bench {
  const dir = join(OUT, name);
  return { dir, dbPath: join(dir, 'hotline.db'), server: null };
}

function preflight(): void {
  asterisk('start');
  if (!existsSync(loadConfig().cdrPath)) throw new Error(`no CDR file at ${loadConfig().cdrPath}`);
}

export async function callPath(progress: Progress): Promise<Figures> {
  preflight();
  rmSync(OUT, { recursive: true, force: true });
  const wake = wakeCost();
  progress(`a node process's wake-up here: ${wake.coldUs} µs of CPU after 10 ms asleep, ${wake.hotUs} µs hot`);
  // native first, with the server not running, so nothing else takes CPU
  // (BENCH_SYSTEMS=server runs one side only, while working on it; BENCH_RATES=20,40 its steps)
  const only = process.env.BENCH_SYSTEMS;
  const nativeRun = only === 'server' ? { f: {} as Figures, steps: [] as number[] } : await systemFigures('native', bench('native'), progress);
  const native = nativeRun.f;
  if (only === 'native') return native;
  const b = bench('server');
  b.server = await startHotlineServer(b, 'ready');
  let server: Figures;
  try {
    const rates = process.env.BENCH_RATES ? process.env.BENCH_RATES.split(',').map(Number) : nativeRun.steps.length ? [...new Set(nativeRun.steps)].sort((x, y) => x - y) : undefined;
    const knee = native['native.capacityCallsPerSecond'];
    server = (await systemFigures('server', b, progress, rates, typeof knee === 'number' && knee > 0 ? knee : undefined)).f;
  } finally {
    if (process.env.BENCH_ARI_LATENCY === '1') progress(await ariLatency(b.server.url));
    await b.server.stop();
  }
  const ratio = (a: unknown, c: unknown) => (typeof a === 'number' && typeof c === 'number' && c > 0 ? round(a / c) : null);
  const nativeKnee = native['native.capacityCallsPerSecond'];
  const complete = (x: unknown) => typeof x === 'number' && x >= 1;
  return {
    asteriskCpuRatio: ratio(server['server.asteriskCpuMsPerCall'], native['native.asteriskCpuMsPerCall']),
    totalCpuRatio: ratio(Number(server['server.asteriskCpuMsPerCall']) + Number(server['server.serverCpuMsPerCall']), native['native.asteriskCpuMsPerCall']),
    capacityRatio: ratio(server['server.capacityCallsPerSecond'], nativeKnee),
    setupP95RatioAtNativeKnee: typeof nativeKnee === 'number' ? ratio(server[`server.setupP95MsAt${nativeKnee}`], native[`native.setupP95MsAt${nativeKnee}`]) : null,
    setupP95Ratio: ratio(server['server.setupP95Ms'], native['native.setupP95Ms']),
    setupP99Ratio: ratio(server['server.setupP99Ms'], native['native.setupP99Ms']),
    dtmfToSeatP95Ratio: ratio(server['server.dtmfToRingP95Ms'], native['native.dtmfToRingP95Ms']),
    nativeRecordingsPerAnsweredCall: native['native.recordingsPerAnsweredCall'] ?? null,
    serverRecordingsPerAnsweredCall: server['server.recordingsPerAnsweredCall'] ?? null,
    // both sides recorded every answered call at 20/s: otherwise the comparison is not a result
    comparable: complete(native['native.recordingsPerAnsweredCall']) && complete(server['server.recordingsPerAnsweredCall']),
    ariRequestsPerCall: server['server.ariRequestsPerCall'] ?? null,
    ariRequestsOverHttpPerCall: server['server.ariRequestsOverHttpPerCall'] ?? null,
    ariEventsPerCall: server['server.ariEventsPerCall'] ?? null,
    // why the server's CPU per call is what it is: cold starts of its main thread (see README)
    nodeWakeCpuUsCold: wake.coldUs,
    nodeWakeCpuUsHot: wake.hotUs,
    targets: 'asteriskCpuRatio <= 1.1, totalCpuRatio <= 1.2, capacityRatio >= 0.95, setupP95RatioAtNativeKnee <= 1.5, server CPU <= 4 ms/call',
    capacityRule: `highest rate with 0 failed calls, INVITE->200 p95 <= ${SETUP_P95_LIMIT_MS} ms, digit->ring p95 <= ${DTMF_TO_RING_LIMIT} x its own at ${LATENCY_RATE}/s, every answered call recorded`,
    latencyRate: LATENCY_RATE,
    warmUpCalls: WARMUP_SECONDS * 20,
    stepSeconds: STEP_SECONDS,
    holdMs: HOLD_MS,
    seats: BENCH_SEATS.length,
    ...native,
    ...server,
  };
}

/** A supervisor's bearer token the server accepts: signed with the secret kept beside its database, for a user row in it. */
async function supervisorAuth(b: Bench): Promise<Record<string, string>> {
  const { buildApp } = await import('../src/app.js');
  const signer = await buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath: b.dbPath, filesDir: join(b.dir, 'f'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
  const token = signFor(signer, { name: 'bench', role: 'supervisor', userId: 1 });
  await signer.close();
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** Seat made ready -> its phone rung, with callers waiting: the server's dispatch path. */
export async function routing(progress: Progress): Promise<Figures> {
  preflight();
  const b = bench('routing');
  b.server = await startHotlineServer(b, 'not_ready');
  const auth = await supervisorAuth(b);
  const samples = 100;
  // the first seats made ready run the path cold (V8 has not compiled it yet): a server
  // runs for days, so these are rung but not measured, as callPath warms up too
  const warmUp = 20;
  const seats = startSeats(join(OUT, 'routing-seats'));
  const readyAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  try {
    // callers who will wait: nobody is ready
    const load = citizens({ dir: join(OUT, 'routing'), to: '962200', rate: 20, calls: warmUp + samples, holdMs: 30_000 });
    for (let i = 0; i < 300; i++) {
      const q = (await (await fetch(`${b.server.url}/api/queues`, { headers: auth })).json()) as { items: Array<{ id: string; waiting: number }> };
      if (q.items.find((x) => x.id === 'operator')!.waiting >= warmUp + samples) break;
      await sleep(100);
    }
    progress(`${warmUp + samples} callers waiting; making seats ready one by one (${warmUp} to warm up)`);
    // one kept-alive connection, as a seat's page has, through undici's request(): fetch()
    // builds Request and Response objects in this process first, which put about 1 ms of
    // the bench's own work into the figure (p50 6.9 -> 5.7 ms, same server)
    const client = new Pool(b.server.url, { connections: 1 });
    await (await client.request({ method: 'GET', path: '/api/queues', headers: auth })).body.dump();
    for (const [i, id] of BENCH_SEATS.slice(0, warmUp + samples).entries()) {
      const t0 = performance.timeOrigin + performance.now();
      if (i >= warmUp) readyAt.set(id, t0);
      const r = await client.request({ method: 'POST', path: `/api/seats/${id}/state`, headers: auth, body: JSON.stringify({ state: 'ready' }) });
      await r.body.dump();
      if (r.statusCode !== 200) throw new Error(`seat ${id}: ${r.statusCode}`);
      // the server picks the caller and sends the originate before it answers the request
      if (i >= warmUp) answeredAt.set(id, performance.timeOrigin + performance.now());
      await sleep(100);
    }
    await client.close();
    await load;
  } finally {
    await b.server.stop();
  }
  const invites = await seats.stop();
  const delays: number[] = [];
  const inServer: number[] = [];
  const inAsterisk: number[] = [];
  for (const i of invites) {
    const t0 = readyAt.get(i.seat);
    const t1 = answeredAt.get(i.seat);
    if (t0 === undefined || t1 === undefined) continue;
    delays.push(i.at - t0);
    // split: the HTTP request, dispatch and originate sent | Asterisk's originate to the INVITE on the wire
    inServer.push(t1 - t0);
    inAsterisk.push(i.at - t1);
  }
  progress(`${delays.length} of ${samples} seats rung`);
  return {
    samples,
    warmUp,
    rung: delays.length,
    ...dist('readyToRing', delays),
    readyToRingMaxMs: delays.length ? Math.round(Math.max(...delays) * 10) / 10 : null,
    ...dist('readyRequest', inServer),
    ...dist('responseToInvite', inAsterisk),
  };
}

/** least-squares slope of y over x */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  return points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
}

/** The server's V8 heap in use, from its /metrics (prom-client's default metrics). */
async function heapUsedMB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text);
  return m ? Number(m[1]) / 1048576 : NaN;
}

/** Server RSS over 10,000 calls: after the run, and its slope over the second half. */
export async function memory(progress: Progress): Promise<Figures> {
  preflight();
  const b = bench('memory');
  // a full collection on SIGUSR2, so the soak reads the live heap (bench/gc-on-signal.mjs)
  b.server = await startHotlineServer(b, 'ready', ['--expose-gc', '--import', join(repo, 'bench/gc-on-signal.mjs')]);
  const pid = b.server.child.pid!;
  const url = b.server.url;
  const seats = startSeats(join(OUT, 'memory-seats'));
  const total = 10_000;
  // below the 40 calls/s the server holds with zero failures here (see callPath capacity)
  const rate = 30;
  const rss: Array<[number, number]> = [];
  const live: Array<[number, number]> = [];
  const liveHeap = async () => {
    process.kill(pid, 'SIGUSR2');
    await sleep(300);
    return heapUsedMB(url);
  };
  let load: LoadResult;
  try {
    const warm = await citizens({ dir: join(OUT, 'memory'), to: '962200', rate, calls: 500, holdMs: 500 });
    await drained();
    const rssStart = rssMB(pid);
    const heapStart = await liveHeap();
    const started = Date.now();
    const rssSampler = setInterval(() => rss.push([Date.now() - started, rssMB(pid)]), 2000);
    const heapSampler = setInterval(() => void liveHeap().then((mb) => live.push([Date.now() - started, mb]), () => undefined), 10_000);
    load = await citizens({ dir: join(OUT, 'memory'), to: '962200', rate, calls: total, holdMs: 500 });
    await drained();
    clearInterval(rssSampler);
    clearInterval(heapSampler);
    await sleep(2000);
    const rssEnd = rssMB(pid);
    const heapEnd = await liveHeap();
    progress(`RSS ${rssStart} MB -> ${rssEnd} MB, live heap ${round(heapStart)} MB -> ${round(heapEnd)} MB over ${total} calls (+${warm.callers.length} warm-up)`);
    // MB per 1000 calls (calls go in at a steady rate), least squares over the whole soak
    const perThousandCalls = (slopePerMs: number) => round((slopePerMs / (rate / 1000)) * 1000);
    const liveSlope = perThousandCalls(slope(live));
    progress(`live heap every 10 s: ${live.map(([, mb]) => round(mb)).join(' ')} MB`);
    return {
      calls: total,
      ratePerSecond: rate,
      failedCalls: load.failed,
      rssStartMB: rssStart,
      rssAfterMB: rssEnd,
      rssPeakMB: Math.max(...rss.map(([, mb]) => mb)),
      liveHeapStartMB: round(heapStart),
      liveHeapAfterMB: round(heapEnd),
      liveHeapSlopeMBPer1000Calls: liveSlope,
      rssSecondHalfSlopeMBPer1000Calls: perThousandCalls(slope(rss.slice(Math.floor(rss.length / 2)))),
      // RSS saw-tooths with collections and allocator caches; a leak shows as live heap rising
      flat: Math.abs(liveSlope) < 0.5 && rssEnd <= rssStart * 1.1,
    };
  } finally {
    await b.server.stop();
    await seats.stop();
  }
}
