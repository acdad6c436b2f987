// Telephony without Asterisk for the browser tests: a callflow, and a read model of
// live calls where the call path would keep them (calls/query.ts), call rows in the DB,
// and the notifications the call path sends (calls/notifier.ts).
import type { FastifyInstance } from 'fastify';
import { loadCallflow } from '../../src/calls/callflow-config.js';
import type { CallState } from '../../src/calls/call-state.js';
import type { ListenIn, Listening } from '../../src/calls/listen-in.js';
import { CallNotifier } from '../../src/calls/notifier.js';
import type { CallQuery, LiveCallView, WaitingView } from '../../src/calls/query.js';
import { systemActor } from '../../src/shared/actor.js';
import { iso } from '../../src/shared/time.js';

export interface FakeTelephony {
  listens: Listening[];
  /** a caller joins a queue and the wallboard hears of it */
  enqueue(queue: string, callId: string, sinceMs?: number): void;
  /**
   * A citizen's call with its ticket and call row; `connected` bridges it to `seatId`
   * and sends the notification the call path sends when the seat answers.
   */
  call(opts: { callId: string; callerNumber: string; queue: string; category?: string; subcategory?: string; ivrPath?: string; seatId?: string; phase?: 'queued' | 'connected'; enqueuedAt?: number; ticket?: { title?: string; content?: string } }): { ticketId: number; number: string };
  /** the call ends: gone from the live calls, row ended, one 'ended' notification */
  hangup(callId: string): void;
}

export function fakeTelephony(app: FastifyInstance): FakeTelephony {
  const s = app.services;
  const live = new Map<string, LiveCallView>();
  const waiting = new Map<string, WaitingView>();
  const listens: Listening[] = [];
  const notifier = new CallNotifier(s.bus, Date.now);
  s.callflow = loadCallflow();
  const query: CallQuery = {
    liveCalls: () => [...live.values()],
    get: (id) => live.get(id) ?? null,
    waitingIn: (queue) => [...waiting.values()].filter((w) => w.queue === queue).sort((a, b) => a.since - b.since),
    liveCount: () => live.size,
    connectedCallOf: (seatId) => {
      for (const c of live.values()) if (c.state === 'connected' && c.seatId === seatId) return { callId: c.callId, ticketId: c.ticketId };
      return null;
    },
  };
  s.liveCalls = query;
  s.listenIn = {
    async start(callId: string, endpoint: string, supervisor: string) {
      const l: Listening = { id: `l${listens.length + 1}`, callId, supervisor, endpoint, snoopChannelId: `snoop-${listens.length + 1}`, legChannelId: 'x', bridgeId: 'x', answered: false, startedAt: Date.now() };
      listens.push(l);
      return l;
    },
    stop: () => true,
  } as unknown as ListenIn;
  const changed = (callId: string, ticketId: number, from: CallState | null, to: CallState, queue: string, seatId: string | null, fromSeatId: string | null) =>
    notifier.changed({ callId, ticketId, from, to, event: to === 'ended' ? 'hung_up' : to === 'connected' ? 'seat_answered' : 'routed', queue, seatId, fromSeatId });

  return {
    listens,
    enqueue(queue, callId, sinceMs = Date.now()) {
      waiting.set(callId, { callId, queue, street: null, priority: 1, since: sinceMs });
      notifier.queueChanged(queue);
    },
    call(o) {
      const now = Date.now();
      const t = s.tickets.create({ source: 'phone', callerNumber: o.callerNumber, category: o.category ?? null, subcategory: o.subcategory ?? null, ...o.ticket }, systemActor('calls'));
      const connected = o.phase !== 'queued';
      const enqueuedAt = o.enqueuedAt ?? now - 15_000;
      const state: CallState = connected ? 'connected' : 'queued';
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
        state,
        seatId: connected ? (o.seatId ?? null) : null,
        seatAnsweredAt: connected ? now : null,
        waitSeconds: connected ? Math.round((now - enqueuedAt) / 1000) : null,
      });
      const seatId = connected ? (o.seatId ?? null) : null;
      live.set(o.callId, { callId: o.callId, ticketId: t.id, state, phase: state, queue: o.queue, category: o.category ?? null, seatId, callerNumber: o.callerNumber, since: iso(enqueuedAt), connectedAt: connected ? iso(now) : null });
      if (connected && o.seatId) {
        s.tickets.update(t.id, { assignedSeatId: o.seatId }, { actor: systemActor('calls'), action: 'call_answered', data: { seatId: o.seatId, callId: o.callId } });
        s.seats.set(o.seatId, 'on_call');
        changed(o.callId, t.id, 'queued', 'connected', o.queue, o.seatId, null);
      } else {
        waiting.set(o.callId, { callId: o.callId, queue: o.queue, street: null, priority: 1, since: enqueuedAt });
        notifier.queueChanged(o.queue);
        changed(o.callId, t.id, 'ivr', 'queued', o.queue, null, null);
      }
      return { ticketId: t.id, number: t.number };
    },
    hangup(callId) {
      const call = live.get(callId);
      live.delete(callId);
      waiting.delete(callId);
      const row = s.calls.get(callId);
      if (!row) return;
      const now = Date.now();
      s.calls.update(callId, { endedAt: now, state: 'ended', outcome: row.seatAnsweredAt ? 'answered' : 'abandoned', talkSeconds: row.seatAnsweredAt ? Math.round((now - row.seatAnsweredAt) / 1000) : null });
      if (call?.seatId) s.seats.set(call.seatId, 'wrap_up');
      changed(callId, row.ticketId, call?.state ?? 'queued', 'ended', row.queue ?? '', null, call?.seatId ?? null);
    },
  };
}
