/**
 * Bench only: a share of the supervisor-websocket clients in their own process (forked
 * by bench/supervisor-ws.ts), so receiving 1,000 copies of every update is split over
 * processes as it would be over browsers. Each message is stamped the moment its handler
 * runs (performance.timeOrigin + now()); only the type is read, and the `seats` texts of
 * this process's first client are kept when BENCH_WS_KEEP_TEXT=1.
 *
 *   → parent  { type: 'connected', connected, refused, connectTimes, cpuMs }
 *   ← parent  { type: 'collect' } → { type: 'receipts', at: number[][], types: string[], texts, open, cpuMs }
 *   ← parent  { type: 'stop' }    → closes the sockets and exits
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const url = process.env.BENCH_WS_URL!;
const count = Number(process.env.BENCH_WS_COUNT);
const keepText = process.env.BENCH_WS_KEEP_TEXT === '1';
const clock = () => performance.timeOrigin + performance.now();

const sockets: WebSocket[] = [];
const at: number[][] = [];
/** one character per message: s seats, q queues, c calls, e emergency, ? other */
const types: string[] = [];
const texts: Array<{ at: number; text: string }> = [];
const connectTimes: number[] = [];
let refused = 0;

const connect = (i: number) =>
  new Promise<void>((resolve) => {
    const t0 = clock();
    const ws = new WebSocket(url);
    at[i] = [];
    types[i] = '';
    let snapshot = false;
    ws.on('message', (data: Buffer) => {
      const now = clock();
      const type = data.toString('latin1', 9, 14);
      if (type === 'snaps') {
        snapshot = true;
        connectTimes.push(now - t0);
        return resolve();
      }
      at[i].push(now);
      types[i] += type === 'seats' ? 's' : type === 'queue' ? 'q' : type === 'calls' ? 'c' : type === 'emerg' ? 'e' : '?';
      if (keepText && i === 0 && type === 'seats') texts.push({ at: now, text: data.toString() });
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (!snapshot) {
        refused++;
        resolve();
      }
    });
    sockets[i] = ws;
  });

for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => connect(i + k)));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
process.send!({ type: 'connected', connected: sockets.filter((s) => s.readyState === WebSocket.OPEN).length, refused, connectTimes, cpuMs: cpuMs() });

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'collect') {
    const open = sockets.map((s) => s.readyState === WebSocket.OPEN);
    process.send!({ type: 'receipts', at, types, texts, open, cpuMs: cpuMs() });
  } else if (msg.type === 'stop') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
