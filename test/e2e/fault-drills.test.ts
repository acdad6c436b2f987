import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { citizen, fastQueues, setSeat, ticketOf } from '../helpers/calls.js';
import { seedDatabase, startServerProcess } from '../helpers/server-process.js';
import { asterisk, ensureAsterisk, placeCall, seatPhone, startHotline, waitFor } from '../helpers/telephony.js';
import { signFor } from '../helpers/users.js';

// Fault drills with real calls: Asterisk or the server killed hard (SIGKILL) in the
// middle of calls. Nothing is lost: every call has exactly one ticket, and the calls
// that were cut say so.

ensureAsterisk();

/** sipp callers and seats of a drill: after a crash nobody will answer their BYE */
const killSipp = () => spawnSync('pkill', ['-9', '-x', 'sipp']);

t.test('Asterisk killed during calls: the server reconnects, the cut calls end "interrupted", new calls work', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  t.teardown(killSipp);
  await setSeat(h, '1001', 'ready');
  const seat = seatPhone({ port: 6001, ringMs: 200, talkMs: 60_000 });
  const talking = citizen();
  const waiting = citizen();
  const inIvr = citizen();
  void placeCall({ from: talking, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 60_000 }], timeoutMs: 70_000 });
  await ticketOf(h, talking, (tk) => !!tk.call?.seatAnsweredAt);
  void placeCall({ from: waiting, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 60_000 }], timeoutMs: 70_000 });
  void placeCall({ from: inIvr, steps: [{ pause: 60_000 }], timeoutMs: 70_000 });
  await ticketOf(h, waiting, (tk) => !!tk.call?.enqueuedAt);
  await ticketOf(h, inIvr, (tk) => !!tk.call);

  asterisk('crash');
  killSipp();
  void seat.done;
  await waitFor('not ready while Asterisk is down', async () => ((await h.app.inject('/ready')).statusCode === 503 ? true : null));

  asterisk('start');
  await waitFor('reconnected by itself', async () => ((await h.app.inject('/ready')).statusCode === 200 ? true : null), 60_000);
  for (const [caller, stage] of [[talking, 'talking to a seat'], [waiting, 'waiting in the queue'], [inIvr, 'in the IVR']]) {
    const ticket = await ticketOf(h, caller);
    t.equal(ticket.call.outcome, 'interrupted', `the call cut while ${stage} ended "interrupted"`);
    t.match(ticket.call.hangupCause, /Asterisk restarted/);
    t.equal(ticket.needsCallback, true, 'someone will call back');
  }
  await waitFor('the seat that was on the cut call is free again (after its wrap-up)', async () => {
    const seats = (await h.app.inject({ url: '/api/seats', headers: h.supervisor })).json().items as Array<{ id: string; state: string }>;
    return seats.find((s) => s.id === '1001')?.state === 'ready' ? true : null;
  });

  // and the next call goes through end to end
  const nextSeat = seatPhone({ port: 6001, ringMs: 200, talkMs: 1000 });
  const next = citizen();
  const r = await placeCall({ from: next, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 6000 }] });
  t.equal(r.code, 0);
  t.equal((await nextSeat.done).code, 0);
  const ticket = await ticketOf(h, next);
  t.equal(ticket.call.outcome, 'answered');
  t.equal(ticket.call.seatId, '1001');
});

t.test('the server killed during calls: waiting callers are served after it restarts, calls meanwhile fall back, one ticket each', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-drill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.teardown(killSipp);
  const dbPath = join(dir, 'hotline.db');
  await seedDatabase(dir, dbPath);
  const port = 3900 + (process.pid % 500);
  const env = fastQueues;
  const first = await startServerProcess({ dbPath, dir, port, env });
  t.teardown(() => first.stop());

  // a caller waits in the queue (no seat ready) when the server dies
  const waiting = citizen();
  const waitingCall = placeCall({ from: waiting, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 25_000 }], timeoutMs: 60_000 });
  const { openDatabase } = await import('../../src/db/index.js');
  const peek = openDatabase(dbPath);
  t.teardown(() => peek.$client.close());
  const queuedRow = () => peek.$client.prepare('select count(*) n from calls c join tickets t on t.id = c.ticket_id where t.caller_number = ? and c.enqueued_at is not null').get(waiting) as { n: number };
  await waitFor('the caller is queued', () => (queuedRow().n === 1 ? true : null));

  await first.crash();

  // while it is down a new caller falls back to Asterisk's own queue and a seat answers
  const fallbackSeat = seatPhone({ port: 6003, ringMs: 300 });
  const meanwhile = citizen();
  const fallbackCall = await placeCall({ from: meanwhile, steps: [{ pause: 4000 }] });
  t.equal(fallbackCall.code, 0, 'the call meanwhile was answered');
  t.equal((await fallbackSeat.done).code, 0, 'by a seat, through the native fallback queue');

  // the server comes back on the same database; a seat becomes ready
  const second = await startServerProcess({ dbPath, dir, port, env });
  t.teardown(() => second.stop());
  const { buildApp } = await import('../../src/app.js');
  const signer = await buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath, filesDir: join(dir, 'f'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
  t.teardown(() => signer.close());
  const headers = { authorization: `Bearer ${signFor(signer, { name: 'drill-supervisor', role: 'supervisor', userId: 1 })}`, 'content-type': 'application/json' };
  const api = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(`${second.url}${path}`, { ...init, headers });
    return { status: r.status, body: (await r.json()) as any };
  };
  const seat = seatPhone({ port: 6002, ringMs: 200, talkMs: 1500 });
  t.equal((await api('/api/seats/1002/state', { method: 'POST', body: JSON.stringify({ state: 'ready' }) })).status, 200);
  t.equal((await seat.done).code, 0, 'the caller who waited through the crash reached a seat');
  await waitingCall;

  const one = async (caller: string) =>
    waitFor(`exactly one ended ticket for ${caller}`, async () => {
      const list = await api(`/api/tickets?callerNumber=${caller}`);
      if (list.body.total !== 1) return null;
      const ticket = (await api(`/api/tickets/${list.body.items[0].id}`)).body;
      return ticket.call?.endedAt ? ticket : null;
    }, 30_000);
  const served = await one(waiting);
  t.equal(served.call.seatId, '1002');
  t.equal(served.call.outcome, 'answered');
  const fellBack = await one(meanwhile);
  t.equal(fellBack.call.origin, 'cdr', 'the fallback call became a ticket from the CDRs');
  t.equal(fellBack.call.seatId, '1003');
});
