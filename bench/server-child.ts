/**
 * Bench only: the real app (buildApp, no telephony, no jobs, no logger) listening on
 * 127.0.0.1 in its own process, so the load generator in the parent does not share
 * its event loop. Started by bench/server.ts with fork(); talks over IPC:
 *
 *   → parent  { type: 'ready', port, tokens }              once listening
 *   → parent  { type: 'seat.changed', at, seatId, state }  each seat change, `at` taken
 *                                                          when the bus event fires (ms, timeOrigin-based)
 *   → parent  { type: 'fanout', kind, first, last, sockets } (BENCH_SEED=1) each websocket
 *                                                          broadcast: its first and last send
 *   ← parent  { type: 'cpu' } → { type: 'cpu', user, system, rss }
 *   ← parent  { type: 'stop' } → closes the app and exits (a --cpu-prof is written then)
 *
 * BENCH_DB: the database file. BENCH_SEED=1: seed the demo users and seats and load the
 * call-flow config, so /ws/supervisor has seats and queues to report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadCallflow } from '../src/calls/callflow-config.js';
import { seedDemo } from '../src/seed/demo.js';
import { ensureUser } from '../test/helpers/users.js';

const send = (msg: object) => process.send?.(msg);
const dbPath = process.env.BENCH_DB;
if (!dbPath || !process.send) throw new Error('bench/server-child.ts is forked by the benchmarks with BENCH_DB set');

const app = await buildApp({
  telephony: false,
  jobs: false,
  logger: false,
  config: {
    dbPath,
    filesDir: mkdtempSync(join(tmpdir(), 'bench-files-')),
    logLevel: 'warn',
    smtp: { host: '127.0.0.1', port: 0, maxBytes: 10 * 1024 * 1024, enabled: false },
    // the load generators are one address making thousands of requests and sockets
    limits: { ...loadConfig().limits, anonymousPerMinute: 10_000_000, callerProbesPer10Min: 100_000_000, connectionsPerClient: 100_000 },
  },
});
const s = app.services;
if (process.env.BENCH_SEED === '1') {
  await seedDemo(s.db);
  s.seats.reload();
  s.callflow = loadCallflow();
  timeFanOut();
}
await app.listen({ host: '127.0.0.1', port: 0 });

const userId = (username: string) => (s.db.$client.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number } | undefined)?.id;
// op1 as the generated tickets know it (user 101 at seat 1001), the seeded supervisor
const tokens = {
  operator: app.signToken(ensureUser(s.db, { name: 'op1', role: 'operator', userId: 101, seatId: '1001' })),
  supervisor: app.signToken(ensureUser(s.db, { name: 'supervisor', role: 'supervisor', userId: userId('supervisor') ?? 2 })),
};

/**
 * How long the server takes to hand one update to every socket: ws's send is wrapped to
 * note the first and last send of each message (a broadcast sends one buffer to all clients
 * in one synchronous loop), reported as { type: 'fanout', kind, first, last, sockets }.
 */
function timeFanOut() {
  const send = WebSocket.prototype.send;
  let current: { text: unknown; first: number; last: number; sockets: number } | null = null;
  const report = () => {
    if (!current) return;
    // a broadcast sends one Buffer (the same object) to every socket
    const head = Buffer.isBuffer(current.text) ? current.text.subarray(0, 40).toString() : typeof current.text === 'string' ? current.text : '';
    const kind = /^\{"type":"(\w+)"/.exec(head)?.[1] ?? '?';
    if (current.sockets > 1) process.send?.({ type: 'fanout', kind, first: current.first, last: current.last, sockets: current.sockets });
    current = null;
  };
  WebSocket.prototype.send = function (this: WebSocket, ...args: Parameters<WebSocket['send']>) {
    const at = performance.timeOrigin + performance.now();
    if (current?.text !== args[0]) {
      report();
      current = { text: args[0], first: at, last: at, sockets: 0 };
      setImmediate(report);
    }
    send.apply(this, args);
    current!.last = performance.timeOrigin + performance.now();
    current!.sockets++;
  } as WebSocket['send'];
}

s.bus.on('seat.changed', (e) => send({ type: 'seat.changed', at: performance.timeOrigin + performance.now(), seatId: e.seatId, state: e.state }));

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    send({ type: 'cpu', user, system, rss: process.memoryUsage().rss });
  } else if (msg.type === 'stop') {
    void app.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', port: (app.server.address() as { port: number }).port, tokens });
