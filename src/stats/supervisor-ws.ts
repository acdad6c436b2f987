import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { queueStats } from '../calls/queue-stats.js';
import { seatView } from '../seats/routes.js';
import { maskNumber } from '../tickets/views.js';
import { liveCalls, liveCallsFeed, type LiveCallView } from './live-calls.js';
import { maskedAlert } from '../alerts/services.js';

/**
 * Changes are throttled: a busy queue sends at most one update per channel per this
 * many ms. The first change after a quiet spell goes out at once (leading edge), the
 * ones after it within the window are batched into one update when it ends (trailing).
 */
const THROTTLE_MS = 250;
/** A client this far behind is dropped instead of slowing the others. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * /ws/supervisor?token=: a `snapshot` on connect, then `queues` / `seats` updates as
 * they change (throttled) and `emergency` alerts at once.
 */
export default fp(
  async (app) => {
    await app.register(websocket, { options: { maxPayload: 4096 } });
    const s = app.services;
    const clients = new Set<WebSocket>();
    /** admins see the wallboard but not callers in clear (DESIGN §6): their live calls are masked */
    const masked = new Set<WebSocket>();
    const maskCalls = (calls: LiveCallView[]) => calls.map((c) => ({ ...c, callerNumber: maskNumber(c.callerNumber) }));

    const broadcast = (text: string, to: (ws: WebSocket) => boolean = () => true) => {
      // encoded once, not once per client: a thousand wallboards get the same bytes
      const data = Buffer.from(text);
      for (const ws of clients) {
        if (!to(ws)) continue;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          clients.delete(ws);
          masked.delete(ws);
          ws.terminate();
          continue;
        }
        ws.send(data, { binary: false });
      }
    };
    const send = (msg: object) => broadcast(JSON.stringify(msg));

    // Leading + trailing throttle. A window is open for THROTTLE_MS after each update;
    // a change outside it is sent on the next turn of the event loop (so the changes of
    // one synchronous burst are one update), a change inside it waits for its end.
    let pending: { queues: boolean; seats: boolean } = { queues: false, seats: false };
    let soon: NodeJS.Immediate | null = null;
    let windowEnd: NodeJS.Timeout | null = null;
    // What each channel last sent: an update that would show a wallboard nothing new is
    // skipped, e.g. the end of a window whose changes cancelled out or were all in the
    // update that opened it (a seat's `since` alone moving by less than a window is not
    // news; the next update carries it). Forgotten when a client joins: its snapshot is newer.
    let last = { queues: '', seats: '' };
    const update = (what: 'queues' | 'seats', at: string, data: unknown[], seen: unknown[] = data) => {
      const key = JSON.stringify(seen);
      if (key === last[what]) return;
      last[what] = key;
      broadcast(`{"type":"${what}","at":"${at}","${what}":${JSON.stringify(data)}}`);
    };
    const flush = () => {
      soon = null;
      const at = new Date(s.now()).toISOString();
      const due = pending;
      pending = { queues: false, seats: false };
      if (due.queues) update('queues', at, queueStats(s));
      if (due.seats) {
        const seats = s.seats.list().map(seatView);
        update('seats', at, seats, seats.map(({ since: _since, ...seen }) => seen));
      }
      windowEnd = setTimeout(() => {
        windowEnd = null;
        if (pending.queues || pending.seats) flush();
      }, THROTTLE_MS);
    };
    const changed = (what: 'queues' | 'seats') => {
      if (!clients.size) {
        last = { queues: '', seats: '' };
        return;
      }
      pending[what] = true;
      // seat changes move queue numbers too
      if (what === 'seats') pending.queues = true;
      if (!windowEnd && !soon) soon = setImmediate(flush);
    };
    s.bus.on('queue.changed', () => changed('queues'));
    s.bus.on('call.changed', () => changed('queues'));
    s.bus.on('seat.changed', () => changed('seats'));
    s.bus.on('emergency', (e) => send({ type: 'emergency', code: e.code ?? null, at: new Date(e.at).toISOString(), ticketId: e.ticketId, callId: e.callId, summary: e.summary, menuPath: (e.data?.menuPath as string | undefined) ?? null }));
    // stored alerts (src/alerts): raised, pushed again while unacknowledged, acknowledged
    s.bus.on('alert', ({ alert, repeat }) => {
      const msg = { type: 'alert', at: new Date(s.now()).toISOString(), repeat, alert };
      broadcast(JSON.stringify(msg), (ws) => !masked.has(ws));
      if (masked.size) broadcast(JSON.stringify({ ...msg, alert: maskedAlert(alert) }), (ws) => masked.has(ws));
    });
    s.bus.on('alert.acknowledged', ({ id, by }) => send({ type: 'alert_ack', at: new Date(s.now()).toISOString(), id, by }));
    // live calls for listen-in (live-calls.ts): their own throttled `calls` message
    const sendCalls = (msg: { type: string; at: string; calls: LiveCallView[] }) => {
      broadcast(JSON.stringify(msg), (ws) => !masked.has(ws));
      if (masked.size) broadcast(JSON.stringify({ ...msg, calls: maskCalls(msg.calls) }), (ws) => masked.has(ws));
    };
    const stopCalls = liveCallsFeed(s, sendCalls as (msg: object) => void, () => clients.size > 0, THROTTLE_MS);
    app.addHook('preClose', async () => stopCalls());

    app.get(
      '/ws/supervisor',
      {
        websocket: true,
        // checked in the handler: a refused HTTP upgrade would hold up the server's shutdown,
        // so the socket is accepted and closed with 4401/4403 instead
        config: { public: true },
        schema: { tags: ['stats'], summary: 'Live queue and seat stats for supervisors (websocket)', querystring: { type: 'object', properties: { token: { type: 'string' } } } },
      },
      (socket, req) => {
        // closed 4401 when the token is bad, expires or its user's sessions end (src/auth/sockets.ts)
        const role = app.sockets.open(socket, (req.query as { token?: string }).token)?.role;
        if (!role) return;
        if (!['supervisor', 'admin'].includes(role)) return socket.close(4403, 'the wallboard is for supervisors');
        clients.add(socket);
        if (role !== 'supervisor') masked.add(socket);
        last = { queues: '', seats: '' };
        const calls = liveCalls(s);
        socket.send(JSON.stringify({ type: 'snapshot', at: new Date(s.now()).toISOString(), queues: queueStats(s), seats: s.seats.list().map(seatView), calls: masked.has(socket) ? maskCalls(calls) : calls, alerts: s.alerts.list({ acknowledged: false }).items.map((a) => (masked.has(socket) ? maskedAlert(a) : a)) }));
        // clients only listen; anything they send is ignored (the session check still runs)
        const gone = () => {
          clients.delete(socket);
          masked.delete(socket);
        };
        socket.on('close', gone);
        socket.on('error', gone);
      },
    );

    app.addHook('preClose', async () => {
      if (soon) clearImmediate(soon);
      if (windowEnd) clearTimeout(windowEnd);
      // terminate, not close: a shutdown must not wait on a slow client's handshake
      for (const ws of clients) ws.terminate();
      clients.clear();
    });
  },
  { name: 'supervisor-ws' },
);
