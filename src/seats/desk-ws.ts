import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Actor } from '../shared/actor.js';
import { canSee, maskNumber, seesCallerInClear } from '../tickets/views.js';
import { seatView } from './routes.js';

/** A client this far behind is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;

interface DeskClient {
  socket: WebSocket;
  actor: Actor;
  seatId: string;
}

/**
 * /ws/seat?token=: the push channel of a seat's desk (operators and street seats).
 * `hello` with the seat (and its connected call, if any) on connect; `call` when the
 * seat's call is bridged (`connected`: pop the ticket; its number and caller come
 * along in `ticket`) and when it ends; `seat` when
 * the seat's state changes; `ticket` when a ticket this seat works or may see changes.
 */
export default fp(
  async (app) => {
    // @fastify/websocket is registered once, by supervisor-ws (registered before this plugin)
    if (!app.hasDecorator('websocketServer')) await app.register(websocket, { options: { maxPayload: 4096 } });
    const s = app.services;
    const clients = new Set<DeskClient>();
    s.deskPresence = { onDesk: (seatId) => [...clients].some((c) => c.seatId === seatId) };

    const sendTo = (c: DeskClient, msg: object) => {
      if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        clients.delete(c);
        c.socket.terminate();
        return;
      }
      c.socket.send(JSON.stringify(msg));
    };
    const forSeat = (seatId: string | null | undefined, msg: object) => {
      if (!seatId) return;
      for (const c of clients) if (c.seatId === seatId) sendTo(c, msg);
    };

    /**
     * The popped ticket's first facts ride along with `connected`, so the desk shows the
     * ticket number and caller at once; the seat on the call reads the number in clear (audited).
     */
    const ticketFacts = (c: DeskClient, callId: string, ticketId: number | undefined) => {
      const t = ticketId ? s.tickets.get(ticketId) : undefined;
      if (!t) return null;
      const clear = seesCallerInClear(c.actor, t, s.calls.get(callId));
      if (clear && t.callerNumber) s.users.audit(c.actor, 'caller_unmasked', t.id, 'call pop');
      return { id: t.id, number: t.number, callerNumber: clear ? t.callerNumber : maskNumber(t.callerNumber), callerMasked: !clear, category: t.category, subcategory: t.subcategory };
    };

    // the seat's part of a call: popped when it connects, ended when the seat leaves it
    s.bus.on('call.changed', (e) => {
      const ended = e.from === 'connected' ? e.fromSeatId : null;
      const connected = e.to === 'connected' ? e.seatId : null;
      if (!ended && !connected) return;
      for (const c of clients) {
        if (c.seatId === ended) sendTo(c, { type: 'call', phase: 'ended', callId: e.callId, ticketId: e.ticketId });
        if (c.seatId === connected) sendTo(c, { type: 'call', phase: 'connected', callId: e.callId, ticketId: e.ticketId, ticket: ticketFacts(c, e.callId, e.ticketId) });
      }
    });
    s.bus.on('seat.changed', (e) => {
      if (![...clients].some((c) => c.seatId === e.seatId)) return;
      const seat = s.seats.get(e.seatId);
      if (seat) forSeat(e.seatId, { type: 'seat', seat: seatView(seat) });
    });
    s.bus.on('ticket.changed', (e) => {
      if (!clients.size) return;
      const t = s.tickets.get(e.ticketId);
      if (!t) return;
      const msg = { type: 'ticket', ticketId: t.id, action: e.action, status: t.status };
      for (const c of clients) {
        // an operator sees every ticket: tell them only of the ones they work
        const mine = t.assignedSeatId === c.seatId || (c.actor.userId !== undefined && t.assignedUserId === c.actor.userId);
        if (c.actor.role === 'street_seat' ? canSee(c.actor, t) : mine) sendTo(c, msg);
      }
    });

    // 12345 urged (催办) a ticket: its holder hears of it at once
    s.bus.on('ticket.urged', (e) => {
      for (const c of clients) {
        const holds = (c.seatId && e.assignedSeatId === c.seatId) || (c.actor.userId !== undefined && e.assignedUserId === c.actor.userId) || (c.actor.role === 'street_seat' && !!e.street && e.street === c.actor.street);
        if (holds) sendTo(c, { type: 'urge', ticketId: e.ticketId, number: e.number, reason: e.reason });
      }
    });

    app.get(
      '/ws/seat',
      {
        websocket: true,
        // like /ws/supervisor: accepted, then closed with 4401/4403/4404, so a refusal never holds up shutdown
        config: { public: true },
        schema: { tags: ['seats'], summary: "A seat desk's push channel: call pops, seat state (websocket)", querystring: { type: 'object', properties: { token: { type: 'string' } } } },
      },
      (socket, req) => {
        // closed 4401 when the token is bad, expires or its user's sessions end (src/auth/sockets.ts)
        const actor = app.sockets.open(socket, (req.query as { token?: string }).token);
        if (!actor) return;
        if (!['operator', 'street_seat'].includes(actor.role) || !actor.seatId) return socket.close(4403, 'the desk is for operators and street seats with a seat');
        const seat = s.seats.get(actor.seatId);
        if (!seat) return socket.close(4404, `no seat ${actor.seatId}`);
        const client: DeskClient = { socket, seatId: seat.id, actor };
        clients.add(client);
        const call = s.liveCalls.connectedCallOf(seat.id);
        sendTo(client, { type: 'hello', at: new Date(s.now()).toISOString(), seat: seatView(seat), call: call && { ...call, ticket: ticketFacts(client, call.callId, call.ticketId) } });
        // the desk only listens; anything it sends is ignored (the session check still runs)
        socket.on('close', () => clients.delete(client));
        socket.on('error', () => clients.delete(client));
      },
    );

    app.addHook('preClose', async () => {
      for (const c of clients) c.socket.terminate();
      clients.clear();
    });
  },
  { name: 'desk-ws' },
);
