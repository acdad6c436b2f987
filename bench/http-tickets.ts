/**
 * The tickets API over HTTP on a year of data: 1,000,000 tickets (bench/tickets-data.ts),
 * the real server (buildApp, no telephony, no jobs, no logger) in a child process and
 * autocannon in this one, so the load generator does not share the server's event loop
 * (the machine has 2 cores: one for each, more or less; `…OtherCpu` says how much the
 * rest of the machine took during a case, `…ServerCpu` the server's own share).
 *
 * Each read case runs for 20 s at a fixed 1,000 requests/s (autocannon's overallRate,
 * 10 connections), as operator op1 (seat 1001, so some tickets show the caller in clear
 * and are audited) unless it says supervisor (every ticket in clear: 50 audit rows per
 * page). Target: p99 under 25 ms at 1,000 requests/s.
 *
 * - list: the first page (50, newest first); listStatus / listKind: one status or kind;
 *   listPeriod: a day, a week or a month of the year; listCombined: kind + status in the
 *   last month, or kind + status + period; listSupervisor: the first page as supervisor.
 * - callerLookup: the desk's screen pop, ?callerNumber=…&limit=20 (web/js/desk.js).
 * - detail: GET /api/tickets/:id (events and call included), recent tickets likelier.
 * - search: ?q= a word of the tickets' texts (two characters mostly, some longer, a street,
 *   a word no ticket has); searchCombined: q with a status, kind or period; searchSupervisor:
 *   q as supervisor (the full text, masked parts included).
 * - inbox: the desk's inbox, ?open=true&sort=deadline (overdue first, then the nearest
 *   deadline) with its counts per status, the first pages.
 * - mixed: 30 % caller lookups, 30 % details, 40 % list pages of the kinds above.
 *
 * autocannon's rate limit: each connection may send rate/connections requests per
 * one-second window and sends them back to back (one in flight per connection) as soon
 * as the window opens. So a second's 1,000 requests come as a burst with up to 10 in
 * flight: latencies include queueing behind up to 9 others, more than evenly spaced
 * arrivals would see; a case the server cannot serve at 1,000/s shows as fewer req/s.
 *
 * Then manual ticket creation (POST /api/tickets, classified: create + classify, two
 * events) as fast as 10 connections go for 10 s; the rows are counted afterwards.
 *
 * Env: BENCH_TICKETS (1e6), BENCH_RATE (1000), BENCH_SECONDS (20), BENCH_CREATE_SECONDS
 * (10), BENCH_CASES (comma list: run only those cases; `create` is the POST case),
 * BENCH_CPU_PROF=1 (profile the server into bench/out/prof/).
 */
import Database from 'better-sqlite3';
import autocannon, { type Request } from 'autocannon';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { shanghaiDate } from '../src/shared/time.js';
import { KINDS } from '../src/tickets/lifecycle.js';
import { startServer, type BenchServer } from './server.js';
import { callerIndex, callerPool, ivrTargets, rng, ticketsDatabase, type DataMarker } from './tickets-data.js';
import { machineBusySeconds, ms, percentile } from './stats.js';
import type { Figures, Progress } from './run.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CREATE_SECONDS = Number(process.env.BENCH_CREATE_SECONDS ?? 10);
const CONNECTIONS = 10;
const TARGET_P99_MS = 25;
const DAY = 86_400_000;

interface Case {
  name: string;
  role: 'operator' | 'supervisor';
  /** the next request's path */
  path: () => string;
}

function cases(marker: DataMarker): Case[] {
  const r = rng(12345);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const weighted = <T>(pairs: Array<[T, number]>) => {
    const total = pairs.reduce((a, [, w]) => a + w, 0);
    return () => {
      let x = r() * total;
      for (const [v, w] of pairs) if ((x -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    };
  };
  const pool = callerPool();
  const status = weighted<string>([['open', 30], ['routed', 12], ['accepted', 6], ['in_progress', 14], ['resolved', 8], ['called_back', 3], ['in_review', 5], ['dispatched', 2], ['supervising', 3], ['bounced', 2], ['closed', 15]]);
  const day = (msAgo: number) => shanghaiDate(marker.now - msAgo);
  /** a day, a week or a month somewhere in the year, recent ones likelier */
  const period = () => {
    const ago = Math.floor(365 * r() ** 2) * DAY;
    const len = weighted<number>([[0, 5], [6, 3], [29, 2]])();
    return `from=${day(ago + len * DAY)}&to=${day(ago)}`;
  };
  // words the desk searches for: common two-character ones, longer ones, streets and roads, a few nobody wrote
  const word = weighted<string>([
    ...['低保', '救助', '津贴', '养老', '维修', '漏水', '物业', '噪音', '空调', '投诉', '补贴', '婚姻', '收养', '殡葬', '家政', '电梯'].map((w): [string, number] => [w, 4]),
    ...['最低生活保障', '高龄老人', '结婚登记', '抚恤金', '居家照护', '下水道堵塞', '服务态度'].map((w): [string, number] => [w, 3]),
    ...['田林路', '控江路', '顾村镇', '南京西路'].map((w): [string, number] => [w, 2]),
    ...['火箭', '区块链', '外星人'].map((w): [string, number] => [w, 1]),
  ]);
  const detail = () => `/api/tickets/${marker.tickets - Math.floor(marker.tickets * r() ** 4)}`;
  const q = (params: Record<string, string | undefined>) =>
    '/api/tickets?' + Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');
  const cases: Case[] = [
    { name: 'list', role: 'operator', path: () => '/api/tickets' },
    { name: 'listStatus', role: 'operator', path: () => q({ status: status() }) },
    { name: 'listKind', role: 'operator', path: () => q({ kind: pick(KINDS) }) },
    { name: 'listPeriod', role: 'operator', path: () => `/api/tickets?${period()}` },
    {
      name: 'listCombined',
      role: 'operator',
      // this month's routed tickets at one step, or one kind in a period
      path: () => (r() < 0.5 ? q({ kind: 'routed', status: pick(['routed', 'accepted', 'in_progress', 'resolved']), from: day(30 * DAY), to: day(0) }) : `${q({ kind: pick(KINDS), status: status() })}&${period()}`),
    },
    // the desk's screen pop: the caller's earlier tickets (web/js/desk.js asks for 20)
    { name: 'callerLookup', role: 'operator', path: () => q({ callerNumber: pool[callerIndex(r())], limit: '20' }) },
    // recent tickets are looked at far more than old ones
    { name: 'detail', role: 'operator', path: detail },
    { name: 'listSupervisor', role: 'supervisor', path: () => '/api/tickets' },
    { name: 'search', role: 'operator', path: () => q({ q: word() }) },
    { name: 'searchCombined', role: 'operator', path: () => (r() < 0.5 ? q({ q: word(), status: status() }) : r() < 0.5 ? q({ q: word(), kind: pick(KINDS) }) : `${q({ q: word() })}&${period()}`) },
    { name: 'searchSupervisor', role: 'supervisor', path: () => q({ q: word() }) },
    { name: 'inbox', role: 'operator', path: () => q({ open: 'true', sort: 'deadline', offset: String(50 * Math.floor(4 * r() ** 3)) }) },
  ];
  // a desk-like blend: screen pops and ticket details, and list pages of every kind above
  const byName = new Map(cases.map((c) => [c.name, c]));
  const blend = weighted<string>([['callerLookup', 30], ['detail', 30], ['list', 8], ['listStatus', 8], ['listKind', 8], ['listPeriod', 8], ['listCombined', 8]]);
  cases.push({ name: 'mixed', role: 'operator', path: () => byName.get(blend())!.path() });
  return cases;
}

interface Run {
  latencies: Float64Array;
  completed: number;
  seconds: number;
  errors: number;
  non2xx: number;
  serverCpu: number;
  /** cores' worth of CPU used by other processes than the server and this one (noise) */
  otherCpu: number;
}

async function drive(server: BenchServer, opts: { seconds: number; rate?: number; connections: number; requests: Request[]; headers: Record<string, string> }): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const cpu0 = await server.cpuMs();
  const busy0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const instance = autocannon({
    url: server.base,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    timeout: 10,
    headers: opts.headers,
    requests: opts.requests,
  });
  instance.on('response', (_c, status, _bytes, time) => {
    latencies.push(time);
    if (status < 200 || status > 299) non2xx++;
  });
  instance.on('reqError', () => errors++);
  await instance;
  const seconds = (performance.now() - t0) / 1000;
  // CPU shares over the same window for all three: the server answers `cpu` only once free
  const cpu1 = await server.cpuMs();
  const busy1 = machineBusySeconds();
  const self = process.cpuUsage(self0);
  const window = (performance.now() - t0) / 1000;
  const serverCpu = (cpu1.cpuMs - cpu0.cpuMs) / 1000 / window;
  const otherCpu = (busy1 - busy0) / window - serverCpu - (self.user + self.system) / 1e6 / window;
  return { latencies: Float64Array.from(latencies).sort(), completed: latencies.length, seconds, errors, non2xx, serverCpu, otherCpu: Math.max(0, otherCpu) };
}

export async function httpTickets(progress: Progress): Promise<Figures> {
  const { path, marker, built } = await ticketsDatabase(TICKETS, progress);
  const only = process.env.BENCH_CASES?.split(',').map((s) => s.trim());
  const wanted = (name: string) => !only || only.includes(name);
  const server = await startServer({ BENCH_DB: path });
  progress(`server pid ${server.child.pid} on ${server.base}`);
  const auth = (role: 'operator' | 'supervisor') => ({ authorization: `Bearer ${server.tokens[role]}` });
  const figures: Figures = {
    tickets: marker.tickets,
    ticketEvents: marker.events,
    calls: marker.calls,
    callerPool: marker.callerPool,
    dbSizeMB: marker.sizeMB,
    dbBuildSeconds: marker.buildSeconds,
    dbBuiltThisRun: built,
    cores: cpus().length,
    ratePerSecond: RATE,
    connections: CONNECTIONS,
    secondsPerCase: SECONDS,
    targetP99Ms: TARGET_P99_MS,
  };
  try {
    const all = cases(marker);
    // warm-up over every kind of request but the blend of them
    const get = (c: Case): Request => ({ method: 'GET', headers: auth(c.role), setupRequest: (req) => ({ ...req, path: c.path() }) });

    progress('warm-up: 6 s at 500/s over every case');
    await drive(server, { seconds: 6, rate: 500, connections: CONNECTIONS, requests: all.filter((c) => c.name !== 'mixed').map(get), headers: {} });

    const p99s: number[] = [];
    for (const c of all.filter((c) => wanted(c.name))) {
      progress(`${c.name}: ${SECONDS} s at ${RATE}/s as ${c.role}, e.g. ${c.path()}`);
      const run = await drive(server, { seconds: SECONDS, rate: RATE, connections: CONNECTIONS, requests: [get(c)], headers: {} });
      const p99 = percentile(run.latencies, 99);
      p99s.push(p99);
      Object.assign(figures, {
        [`${c.name}P50Ms`]: ms(percentile(run.latencies, 50)),
        [`${c.name}P99Ms`]: ms(p99),
        [`${c.name}P999Ms`]: ms(percentile(run.latencies, 99.9)),
        [`${c.name}MaxMs`]: ms(run.latencies[run.latencies.length - 1]),
        [`${c.name}Rps`]: Math.round(run.completed / run.seconds),
        [`${c.name}Errors`]: run.errors,
        [`${c.name}Non2xx`]: run.non2xx,
        [`${c.name}ServerCpu`]: Math.round(run.serverCpu * 100) / 100,
        [`${c.name}OtherCpu`]: Math.round(run.otherCpu * 100) / 100,
      });
      progress(`${c.name}: p50 ${ms(percentile(run.latencies, 50))} p99 ${ms(p99)} p999 ${ms(percentile(run.latencies, 99.9))} ms, ${Math.round(run.completed / run.seconds)}/s, ${run.errors} errors, ${run.non2xx} non-2xx, server CPU ${Math.round(run.serverCpu * 100)} %, other processes ${Math.round(run.otherCpu * 100)} %`);
    }
    if (p99s.length) {
      figures.worstReadP99Ms = ms(Math.max(...p99s));
      figures.meetsTarget = Math.max(...p99s) < TARGET_P99_MS;
    }

    if (wanted('create')) {
      const reader = new Database(path, { readonly: true });
      const before = reader.prepare('SELECT max(id) AS id FROM tickets').get() as { id: number };
      const r = rng(4242);
      const pool = callerPool();
      const targets = ivrTargets().filter((t) => t.category !== 'emergency');
      const body = () => {
        const t = targets[Math.floor(r() * targets.length)];
        return JSON.stringify({
          kind: r() < 0.75 ? 'immediate' : 'routed',
          category: t.category,
          ...(t.subcategory ? { subcategory: t.subcategory } : {}),
          callerNumber: pool[callerIndex(r())],
          callerName: r() < 0.5 ? '王女士' : '李先生',
          address: '徐汇区田林街道田林路200弄5号302室',
          street: 'xuhui-tianlin',
          district: '徐汇区',
          title: '来电咨询',
          content: `市民来电反映情况，话务员手工登记工单（第${Math.floor(r() * 1e6)}号记录），请相关部门跟进处理。`,
        });
      };
      progress(`create: POST /api/tickets as fast as ${CONNECTIONS} connections go for ${CREATE_SECONDS} s`);
      const run = await drive(server, {
        seconds: CREATE_SECONDS,
        connections: CONNECTIONS,
        headers: {},
        requests: [{ method: 'POST', path: '/api/tickets', headers: { ...auth('operator'), 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }],
      });
      const written = reader.prepare(`SELECT count(*) AS n, sum(kind IS NOT NULL) AS classified FROM tickets WHERE id > ? AND source = 'manual'`).get(before.id) as { n: number; classified: number };
      const events = reader.prepare('SELECT count(*) AS n FROM ticket_events WHERE ticket_id > ?').get(before.id) as { n: number };
      reader.close();
      const created = run.completed - run.non2xx;
      Object.assign(figures, {
        createPerSecond: Math.round(created / run.seconds),
        createP50Ms: ms(percentile(run.latencies, 50)),
        createP99Ms: ms(percentile(run.latencies, 99)),
        createP999Ms: ms(percentile(run.latencies, 99.9)),
        createErrors: run.errors,
        createNon2xx: run.non2xx,
        createServerCpu: Math.round(run.serverCpu * 100) / 100,
        createOtherCpu: Math.round(run.otherCpu * 100) / 100,
        createRowsWritten: written.n,
        createRowsClassified: written.classified,
        createEventsWritten: events.n,
        // requests still in flight when autocannon stops are written but not counted as 201s
        createRowsAccountedFor: written.n >= created && written.n <= created + CONNECTIONS,
      });
      progress(`create: ${Math.round(created / run.seconds)} tickets/s, p99 ${ms(percentile(run.latencies, 99))} ms, ${written.n} rows written for ${created} 201s, ${events.n} events`);
    }
    const mem = await server.cpuMs();
    figures.serverRssMB = mem.rssMB;
  } finally {
    await server.stop();
    // the run's copy (the kept database stays in bench/out/ for the next run)
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  return figures;
}
