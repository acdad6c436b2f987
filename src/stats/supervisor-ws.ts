import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { queueStats } from '../calls/queue-stats.js';
import { seatView } from '../seats/routes.js';

/** Changes are batched: a busy queue sends at most one update per channel per this many ms. */
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

    const send = (msg: object) => {
      const text = JSON.stringify(msg);
      for (const ws of clients) {
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          clients.delete(ws);
          ws.terminate();
          continue;
        }
        ws.send(text);
      }
    };

    let pending: { queues: boolean; seats: boolean } = { queues: false, seats: false };
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      const at = new Date(s.now()).toISOString();
      if (pending.queues) send({ type: 'queues', at, queues: queueStats(s) });
      if (pending.seats) send({ type: 'seats', at, seats: s.seats.list().map(seatView) });
      pending = { queues: false, seats: false };
    };
    const changed = (what: 'queues' | 'seats') => {
      if (!clients.size) return;
      pending[what] = true;
      // seat changes move queue numbers too
      if (what === 'seats') pending.queues = true;
      timer ??= setTimeout(flush, THROTTLE_MS);
    };
    s.bus.on('queue.changed', () => changed('queues'));
    s.bus.on('call.changed', () => changed('queues'));
    s.bus.on('seat.changed', () => changed('seats'));
    s.bus.on('emergency', (e) => send({ type: 'emergency', at: new Date(e.at).toISOString(), ticketId: e.ticketId, callId: e.callId, summary: e.summary }));

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
        const token = (req.query as { token?: string }).token;
        let role: string | undefined;
        try {
          role = token ? app.jwt.verify<{ role: string }>(token).role : undefined;
        } catch {
          role = undefined;
        }
        if (!role) return socket.close(4401, 'a valid token is required');
        if (!['supervisor', 'admin'].includes(role)) return socket.close(4403, 'the wallboard is for supervisors');
        clients.add(socket);
        socket.send(JSON.stringify({ type: 'snapshot', at: new Date(s.now()).toISOString(), queues: queueStats(s), seats: s.seats.list().map(seatView) }));
        // clients only listen; anything they send is ignored
        socket.on('message', () => undefined);
        socket.on('close', () => clients.delete(socket));
        socket.on('error', () => clients.delete(socket));
      },
    );

    app.addHook('preClose', async () => {
      if (timer) clearTimeout(timer);
      // terminate, not close: a shutdown must not wait on a slow client's handshake
      for (const ws of clients) ws.terminate();
      clients.clear();
    });
  },
  { name: 'supervisor-ws' },
);
