/**
 * The supervisors' wallboard websocket under 1,000 connected clients: how long after a
 * seat changes does each client hear of it? Target: p99 under 100 ms.
 *
 * The real server (buildApp, no telephony, no jobs; demo seats and users, the call-flow
 * config so `queues` lists the five queues) runs in a child process; the 1,000 `ws`
 * clients (/ws/supervisor?token=<supervisor token>) are split over 2 more processes
 * (bench/ws-clients.ts; BENCH_WS_PROCS), this one drives the changes. A change is a
 * real one: POST /api/seats/:id/state as the supervisor, alternating seats and states
 * so every change changes something; the server emits seat.changed and the websocket
 * sends `queues` and `seats`. The child reports the instant the bus event fired; each
 * client stamps a message the moment its handler runs (performance.timeOrigin + now(),
 * one machine, one clock).
 *
 * - spaced changes: 50 changes 600 ms apart (more than the 250 ms throttle window), so
 *   each is its own update and a client's j-th `seats` message is change j's (client 0's
 *   copies are checked to show that change: orderChecked). Over all client × change
 *   samples: delay (change → `seats` received), held (change → the message's own `at`:
 *   what the server's throttle deliberately waited plus building the message) and
 *   delivery (received − `at`: the delay minus the deliberate wait, i.e. fan-out to
 *   1,000 sockets, the network and the client processes). queuesDelay: the same for `queues`
 *   (sent first). serverFanOut: how long the server's loop took to hand one update to all
 *   sockets (the child times ws's send; bench/server-child.ts).
 * - bursts: 10 bursts of 3 changes to 3 seats in a row (as fast as the HTTP calls go),
 *   1.5 s apart: the delay from the burst's last change to the first update showing all
 *   three. This is where the throttle batches.
 * Lost: `seats` messages a client should have had and did not; extra: more than that.
 *
 * A client process receives its 500 copies of a message one after another, so the last
 * client's stamp includes its process working through the others first, and the 2 cores
 * are shared by the server and both client processes: delivery figures are an upper
 * bound of what separate browsers would see (serverFanOut is the server's own part).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';
import { machineBusySeconds, ms, percentile, sleep } from './stats.js';
import type { Figures, Progress } from './run.js';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 1000);
const CHANGES = Number(process.env.BENCH_WS_CHANGES ?? 50);
const SPACING_MS = 600;
const BURSTS = 10;
const BURST_SPACING_MS = 1500;
const TARGET_P99_MS = 100;
const clock = () => performance.timeOrigin + performance.now();
/** processes the clients are split over (bench/ws-clients.ts) */
const PROCS = Number(process.env.BENCH_WS_PROCS ?? 1);

/** the next IPC message of this type from a child */
function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a websocket client process exited (${code})`));
    const on = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', on);
      child.off('exit', onExit);
      resolve(m);
    };
    child.on('message', on);
    child.once('exit', onExit);
  });
}

interface Receipt {
  at: number;
  /** 's' seats, 'q' queues, 'c' calls, 'e' emergency */
  type: string;
  /** the seats message's text, kept for client 0 only (to read `at` and the states) */
  text?: string;
}

export async function supervisorWs(progress: Progress): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-'));
  const server = await startServer({ BENCH_DB: join(dir, 'ws.db'), BENCH_SEED: '1' });
  const changes: number[] = [];
  const fanOuts: Array<{ kind: string; first: number; last: number; sockets: number }> = [];
  server.child.on('message', (m: { type: string; at: number; kind: string; first: number; last: number; sockets: number }) => {
    if (m.type === 'seat.changed') changes.push(m.at);
    if (m.type === 'fanout') fanOuts.push(m);
  });
  const procs: ChildProcess[] = [];
  let receipts: Receipt[][] = [];
  let open: boolean[] = [];
  try {
    // ---- connect: the clients split over PROCS processes (bench/ws-clients.ts)
    const url = `ws://127.0.0.1:${server.port}/ws/supervisor?token=${server.tokens.supervisor}`;
    const tc = clock();
    const shares = Array.from({ length: PROCS }, (_, p) => Math.floor(CLIENTS / PROCS) + (p < CLIENTS % PROCS ? 1 : 0));
    const hello = await Promise.all(
      shares.map((count, p) => {
        const child = fork(fileURLToPath(new URL('ws-clients.ts', import.meta.url)), [], {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, BENCH_WS_URL: url, BENCH_WS_COUNT: String(count), BENCH_WS_KEEP_TEXT: p === 0 ? '1' : '0' },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        procs.push(child);
        return reply<{ connected: number; refused: number; connectTimes: number[]; cpuMs: number }>(child, 'connected');
      }),
    );
    const connected = hello.reduce((a, h) => a + h.connected, 0);
    const refused = hello.reduce((a, h) => a + h.refused, 0);
    const connectTimes = hello.flatMap((h) => h.connectTimes);
    const connectSeconds = (clock() - tc) / 1000;
    progress(`${connected}/${CLIENTS} clients connected in ${connectSeconds.toFixed(1)} s over ${PROCS} processes (${refused} refused)`);
    const cpu0 = await server.cpuMs();
    const busy0 = machineBusySeconds();
    const self0 = process.cpuUsage();

    // ---- changes
    const seatIds = Array.from({ length: 10 }, (_, i) => String(1001 + i));
    const state = new Map<string, string>();
    const change = async (seat: string) => {
      const next = state.get(seat) === 'ready' ? 'not_ready' : 'ready';
      state.set(seat, next);
      const r = await fetch(`${server.base}/api/seats/${seat}/state`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.tokens.supervisor}`, 'content-type': 'application/json' },
        body: JSON.stringify(next === 'not_ready' ? { state: next, reason: 'break' } : { state: next }),
      });
      if (r.status !== 200) throw new Error(`seat change: HTTP ${r.status} ${await r.text()}`);
      return next;
    };
    const waitForChanges = async (n: number) => {
      for (let i = 0; changes.length < n && i < 200; i++) await sleep(5);
      if (changes.length < n) throw new Error(`the server reported ${changes.length} seat changes, expected ${n}`);
    };

    progress(`${CHANGES} spaced changes, ${SPACING_MS} ms apart`);
    const expected: Array<[string, string]> = [];
    const spacedStart = clock();
    for (let k = 0; k < CHANGES; k++) {
      const seat = seatIds[k % seatIds.length];
      expected.push([seat, await change(seat)]);
      await waitForChanges(k + 1);
      await sleep(SPACING_MS);
      if ((k + 1) % 10 === 0) progress(`${k + 1}/${CHANGES} changes`);
    }
    // late messages of the last change land before the bursts start
    await sleep(1000);
    const spacedEnd = clock();

    progress(`${BURSTS} bursts of 3 changes, ${BURST_SPACING_MS} ms apart`);
    const bursts: Array<{ first: number; last: number; expect: Array<[string, string]> }> = [];
    for (let b = 0; b < BURSTS; b++) {
      const expect: Array<[string, string]> = [];
      for (let k = 0; k < 3; k++) {
        const seat = seatIds[(b * 3 + k) % seatIds.length];
        expect.push([seat, await change(seat)]);
      }
      await waitForChanges(CHANGES + (b + 1) * 3);
      bursts.push({ first: changes[CHANGES + b * 3], last: changes[CHANGES + b * 3 + 2], expect });
      await sleep(BURST_SPACING_MS);
    }
    const burstEnd = clock();
    const cpu1 = await server.cpuMs();
    const busy = machineBusySeconds() - busy0;
    const self = process.cpuUsage(self0);

    // ---- the clients' stamps
    const collected = await Promise.all(
      procs.map((child) => {
        const r = reply<{ at: number[][]; types: string[]; texts: Array<{ at: number; text: string }>; open: boolean[]; cpuMs: number }>(child, 'receipts');
        child.send({ type: 'collect' });
        return r;
      }),
    );
    receipts = collected.flatMap((c, p) =>
      c.at.map((times, k) => times.map((at, j) => ({ at, type: c.types[k][j], ...(p === 0 && k === 0 ? { text: c.texts.find((t) => t.at === at)?.text } : {}) }))),
    );
    open = collected.flatMap((c) => c.open);
    // CPU of the client processes from connected to collected (about the changes' span)
    const clientsCpuMs = collected.reduce((a, c) => a + c.cpuMs, 0) - hello.reduce((a, h) => a + h.cpuMs, 0);

    const isOpen = (i: number) => open[i] === true;
    const ofType = (i: number, type: string, from: number, to: number) => receipts[i].filter((m) => m.type === type && m.at >= from && m.at < to);
    const seatsOf = (text: string | undefined) => (text ? (JSON.parse(text) as { at: string; seats: Array<{ id: string; state: string }> }) : undefined);
    const shows = (text: string | undefined, expect: Array<[string, string]>) => expect.every(([id, st]) => seatsOf(text)?.seats.find((x) => x.id === id)?.state === st);

    // ---- spaced changes: the j-th seats message a client gets is change j's (each change
    // is its own update); client 0's copies are checked to show that change
    const zero = ofType(0, 's', spacedStart, spacedEnd);
    const orderChecked = zero.length === CHANGES && zero.every((m, j) => shows(m.text, [expected[j]]));
    const held = zero.slice(0, CHANGES).map((m, j) => Date.parse(seatsOf(m.text)!.at) - changes[j]).sort((a, b) => a - b);
    const delays: number[] = [];
    const deliveries: number[] = [];
    const queueDelays: number[] = [];
    let lost = 0;
    let extra = 0;
    for (let i = 0; i < CLIENTS; i++) {
      if (!isOpen(i)) continue;
      const mine = ofType(i, 's', spacedStart, spacedEnd);
      lost += Math.max(0, CHANGES - mine.length);
      extra += Math.max(0, mine.length - CHANGES);
      if (mine.length === CHANGES) {
        mine.forEach((m, j) => {
          delays.push(m.at - changes[j]);
          if (zero[j]?.text) deliveries.push(m.at - Date.parse(seatsOf(zero[j].text)!.at));
        });
      }
      const queues = ofType(i, 'q', spacedStart, spacedEnd);
      if (queues.length === CHANGES) queues.forEach((m, j) => queueDelays.push(m.at - changes[j]));
    }
    delays.sort((a, b) => a - b);
    deliveries.sort((a, b) => a - b);
    queueDelays.sort((a, b) => a - b);

    // ---- bursts: per client, the seats message (by its place in the sequence all clients
    // get) that first shows all three changes of the burst; delay from the burst's last change
    const zeroBurst = ofType(0, 's', spacedEnd, burstEnd);
    const showing = bursts.map((b) => zeroBurst.findIndex((m) => m.at >= b.first && shows(m.text, b.expect)));
    const burstDelays: number[] = [];
    let burstLost = 0;
    for (let i = 0; i < CLIENTS; i++) {
      if (!isOpen(i)) continue;
      const mine = ofType(i, 's', spacedEnd, burstEnd);
      for (const [b, index] of showing.entries()) {
        const m = index >= 0 && mine.length === zeroBurst.length ? mine[index] : undefined;
        if (!m) burstLost++;
        else burstDelays.push(m.at - bursts[b].last);
      }
    }
    burstDelays.sort((a, b) => a - b);
    const messagesPerBurst = zeroBurst.length / BURSTS;

    // the server's side of delivery: its loop handing one update to every socket
    const spacedFanOuts = fanOuts.filter((f) => f.first >= spacedStart && f.first < spacedEnd && f.sockets >= CLIENTS / 2);
    const fanOut = (kind: string) => spacedFanOuts.filter((f) => f.kind === kind).map((f) => f.last - f.first).sort((a, b) => a - b);
    const seatsFanOut = fanOut('seats');
    const queuesFanOut = fanOut('queues');
    const samples = delays.length;
    const figures: Figures = {
      clients: CLIENTS,
      clientsConnected: connected,
      connectSeconds: Math.round(connectSeconds * 10) / 10,
      connectP99Ms: ms(percentile(connectTimes.sort((a, b) => a - b), 99)),
      cores: cpus().length,
      changes: CHANGES,
      changeSpacingMs: SPACING_MS,
      samples,
      delayP50Ms: ms(percentile(delays, 50)),
      delayP99Ms: ms(percentile(delays, 99)),
      delayMaxMs: ms(delays[delays.length - 1]),
      heldP50Ms: ms(percentile(held, 50)),
      heldMaxMs: ms(held[held.length - 1]),
      queuesDelayP50Ms: ms(percentile(queueDelays, 50)),
      queuesDelayP99Ms: ms(percentile(queueDelays, 99)),
      deliveryP50Ms: ms(percentile(deliveries, 50)),
      deliveryP99Ms: ms(percentile(deliveries, 99)),
      deliveryMaxMs: ms(deliveries[deliveries.length - 1]),
      serverFanOutQueuesP50Ms: ms(percentile(queuesFanOut, 50)),
      serverFanOutSeatsP50Ms: ms(percentile(seatsFanOut, 50)),
      serverFanOutSeatsP99Ms: ms(percentile(seatsFanOut, 99)),
      messagesLost: lost,
      extraMessages: extra,
      orderChecked,
      targetP99Ms: TARGET_P99_MS,
      meetsTarget: percentile(delays, 99) < TARGET_P99_MS && lost === 0,
      bursts: BURSTS,
      burstLastChangeP50Ms: ms(percentile(burstDelays, 50)),
      burstLastChangeP99Ms: ms(percentile(burstDelays, 99)),
      burstLastChangeMaxMs: ms(burstDelays[burstDelays.length - 1]),
      burstLost,
      seatsMessagesPerBurst: messagesPerBurst,
      serverCpuDuringChanges: Math.round(((cpu1.cpuMs - cpu0.cpuMs) / (burstEnd - spacedStart)) * 100) / 100,
      clientsCpuDuringChanges: Math.round((clientsCpuMs / (burstEnd - spacedStart)) * 100) / 100,
      // cores' worth used by other processes than the server, the clients and this one
      otherCpuDuringChanges: Math.max(0, Math.round(((busy - (cpu1.cpuMs - cpu0.cpuMs + clientsCpuMs) / 1000 - (self.user + self.system) / 1e6) / ((burstEnd - spacedStart) / 1000)) * 100) / 100),
      serverRssMB: cpu1.rssMB,
    };
    progress(
      `delay p50 ${figures.delayP50Ms} p99 ${figures.delayP99Ms} max ${figures.delayMaxMs} ms; held p50 ${figures.heldP50Ms} ms; delivery p99 ${figures.deliveryP99Ms} ms ` +
        `(server loop: queues ${figures.serverFanOutQueuesP50Ms} + seats ${figures.serverFanOutSeatsP50Ms} ms p50); ` +
        `${lost} lost, ${extra} extra; bursts: ${messagesPerBurst} seats messages each, last change p99 ${figures.burstLastChangeP99Ms} ms`,
    );
    return figures;
  } finally {
    for (const child of procs) if (child.connected) child.send({ type: 'stop' });
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
