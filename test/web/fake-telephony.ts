// Telephony without Asterisk for the browser tests: a callflow, a waiting list and
// a live-call map where the call service would keep them, and call rows in the DB.
import type { FastifyInstance } from 'fastify';
import { loadCallflow } from '../../src/calls/callflow-config.js';
import type { CallService, LiveCall } from '../../src/calls/services.js';
import type { ListenIn, Listening } from '../../src/calls/listen-in.js';
import { WaitingList } from '../../src/calls/waiting.js';
import { systemActor } from '../../src/shared/actor.js';

export interface FakeTelephony {
  waiting: WaitingList;
  live: Map<string, LiveCall>;
  listens: Listening[];
  /** a caller joins a queue (as the call service does) and the wallboard hears of it */
  enqueue(queue: string, callId: string, sinceMs?: number): void;
  /**
   * A citizen's call with its ticket and call row; `connected` bridges it to `seatId`
   * and emits 'call.changed' as the call service does when the seat answers.
   */
  call(opts: { callId: string; callerNumber: string; queue: string; category?: string; subcategory?: string; ivrPath?: string; seatId?: string; phase?: 'queued' | 'connected'; enqueuedAt?: number; ticket?: { title?: string; content?: string } }): { ticketId: number; number: string };
  /** the call ends: gone from the live map, row ended, 'call.changed' ended */
  hangup(callId: string): void;
}

export function fakeTelephony(app: FastifyInstance): FakeTelephony {
  const s = app.services;
  const waiting = new WaitingList();
  const live = new Map<string, LiveCall>();
  const listens: Listening[] = [];
  s.callflow = loadCallflow();
  // only what the routes and stats read; a seat going ready would start dispatching
  s.callService = { waiting, live, seatBecameReady: () => undefined } as unknown as CallService;
  s.listenIn = {
    async start(callId: string, endpoint: string, supervisor: string) {
      const l: Listening = { id: `l${listens.length + 1}`, callId, supervisor, endpoint, snoopChannelId: `snoop-${listens.length + 1}`, legChannelId: 'x', bridgeId: 'x', answered: false, startedAt: Date.now() };
      listens.push(l);
      return l;
    },
    stop: () => true,
  } as unknown as ListenIn;

  return {
    waiting,
    live,
    listens,
    enqueue(queue, callId, sinceMs = Date.now()) {
      waiting.add({ callId, queue, street: null, priority: 1, since: sinceMs });
      s.bus.emit('queue.changed', { queue });
    },
    call(o) {
      const now = Date.now();
      const t = s.tickets.create({ source: 'phone', callerNumber: o.callerNumber, category: o.category ?? null, subcategory: o.subcategory ?? null, ...o.ticket }, systemActor('calls'));
      const connected = o.phase !== 'queued';
      const enqueuedAt = o.enqueuedAt ?? now - 15_000;
      s.calls.insert({
        id: o.callId,
        ticketId: t.id,
        origin: 'ari',
        source: 'phone',
        callerNumber: o.callerNumber,
        dialedNumber: '962200',
        startedAt: enqueuedAt - 20_000,
        answeredAt: enqueuedAt - 20_000,
        ivrPath: o.ivrPath ?? null,
        category: o.category ?? null,
        subcategory: o.subcategory ?? null,
        queue: o.queue,
        enqueuedAt,
        seatId: connected ? (o.seatId ?? null) : null,
        seatAnsweredAt: connected ? now : null,
        waitSeconds: connected ? Math.round((now - enqueuedAt) / 1000) : null,
      });
      live.set(o.callId, {
        channelId: o.callId,
        ticketId: t.id,
        callerNumber: o.callerNumber,
        source: 'phone',
        phase: connected ? 'connected' : 'queued',
        target: { queue: o.queue, category: o.category ?? 'other', subcategory: o.subcategory },
        seatLeg: connected && o.seatId ? { channelId: `seat-${o.callId}`, seatId: o.seatId, answered: true } : null,
        ended: false,
      } as unknown as LiveCall);
      if (connected && o.seatId) {
        s.tickets.update(t.id, { assignedSeatId: o.seatId }, { actor: systemActor('calls'), action: 'call_answered', data: { seatId: o.seatId, callId: o.callId } });
        s.seats.set(o.seatId, 'on_call');
        s.bus.emit('call.changed', { callId: o.callId, phase: 'connected', seatId: o.seatId, ticketId: t.id });
      } else {
        waiting.add({ callId: o.callId, queue: o.queue, street: null, priority: 1, since: enqueuedAt });
        s.bus.emit('queue.changed', { queue: o.queue });
      }
      return { ticketId: t.id, number: t.number };
    },
    hangup(callId) {
      const call = live.get(callId);
      live.delete(callId);
      waiting.remove(callId);
      const row = s.calls.get(callId);
      if (!row) return;
      const now = Date.now();
      s.calls.update(callId, { endedAt: now, outcome: row.seatAnsweredAt ? 'answered' : 'abandoned', talkSeconds: row.seatAnsweredAt ? Math.round((now - row.seatAnsweredAt) / 1000) : null });
      if (call?.seatLeg) s.seats.set(call.seatLeg.seatId, 'wrap_up');
      s.bus.emit('call.changed', { callId, phase: 'ended', seatId: row.seatId, ticketId: row.ticketId });
    },
  };
}
