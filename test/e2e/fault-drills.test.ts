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
// three drills with server restarts on a shared 2-core machine: more than tap's 300 s per file
t.setTimeout(900_000);

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
  const urgent = citizen();
  const streetCaller = citizen();
  // the street caller is known in 田林街道, whose seat is logged in but busy
  h.app.services.tickets.create({ source: 'manual', callerNumber: streetCaller, street: 'xuhui-tianlin' }, { name: 'test', role: 'operator' });
  h.app.services.seats.set('street-xuhui-tianlin', 'wrap_up');
  void placeCall({ from: talking, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 60_000 }], timeoutMs: 70_000 });
  await ticketOf(h, talking, (tk) => !!tk.call?.seatAnsweredAt);
  void placeCall({ from: waiting, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 60_000 }], timeoutMs: 70_000 });
  void placeCall({ from: urgent, steps: [{ pause: 800 }, { dtmf: '9' }, { pause: 60_000 }], timeoutMs: 70_000 });
  void placeCall({ from: streetCaller, steps: [{ pause: 800 }, { dtmf: '2' }, { pause: 600 }, { dtmf: '3' }, { pause: 60_000 }], timeoutMs: 70_000 });
  void placeCall({ from: inIvr, steps: [{ pause: 60_000 }], timeoutMs: 70_000 });
  await ticketOf(h, waiting, (tk) => !!tk.call?.enqueuedAt);
  t.match((await ticketOf(h, urgent, (tk) => !!tk.call?.enqueuedAt)).call, { queue: 'operator', priority: 3 });
  const streetTicket = (source: string) => h.app.inject({ url: `/api/tickets?callerNumber=${streetCaller}&source=${source}`, headers: h.supervisor }).then((r) => r.json());
  await waitFor('the street caller waits for their street', async () => {
    const list = await streetTicket('phone');
    if (list.total !== 1) return null;
    const tk = (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json();
    return tk.call?.queue === 'street' ? tk : null;
  });
  await ticketOf(h, inIvr, (tk) => !!tk.call);

  asterisk('crash');
  killSipp();
  void seat.done;
  await waitFor('not ready while Asterisk is down', async () => ((await h.app.inject('/ready')).statusCode === 503 ? true : null));

  asterisk('start');
  await waitFor('reconnected by itself', async () => ((await h.app.inject('/ready')).statusCode === 200 ? true : null), 60_000);
  const cut = await waitFor('the street caller\'s call ended', async () => {
    const list = await streetTicket('phone');
    if (list.total !== 1) return null;
    const tk = (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json();
    return tk.call?.endedAt ? tk : null;
  });
  t.match(cut, { street: 'xuhui-tianlin', call: { queue: 'street', outcome: 'interrupted' } }, 'the street caller: one phone ticket, their street on it, interrupted');
  for (const [caller, stage] of [[talking, 'talking to a seat'], [waiting, 'waiting in the queue'], [urgent, 'waiting as an emergency'], [inIvr, 'in the IVR']]) {
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
  // long enough to outlast the crash, a fallback call and a server start on a loaded machine
  const waitingCall = placeCall({ from: waiting, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 50_000 }], timeoutMs: 80_000 });
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

t.test('the server killed with callers of two priorities and a street caller waiting: after the restart they are served in order, the street caller by their street, one ticket each', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-drill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.teardown(killSipp);
  const dbPath = join(dir, 'hotline.db');
  await seedDatabase(dir, dbPath);
  const { openDatabase } = await import('../../src/db/index.js');
  const peek = openDatabase(dbPath);
  t.teardown(() => peek.$client.close());
  const streetCaller = citizen();
  // an earlier ticket places the street caller in 田林街道, whose seat is logged in but busy (wrap-up)
  peek.$client.prepare("insert into tickets (number, source, kind, status, caller_number, street, created_at, updated_at) values ('DRILL-1', 'manual', null, 'open', ?, 'xuhui-tianlin', ?, ?)").run(streetCaller, Date.now(), Date.now());
  peek.$client.prepare("update seats set state = 'wrap_up' where id = 'street-xuhui-tianlin'").run();
  const port = 3900 + ((process.pid + 7) % 500);
  const env = fastQueues;
  const first = await startServerProcess({ dbPath, dir, port, env });
  t.teardown(() => first.stop());

  const row = (caller: string) => peek.$client.prepare("select c.queue, c.priority, c.street from calls c join tickets t on t.id = c.ticket_id where t.caller_number = ? and t.source = 'phone' and c.enqueued_at is not null").get(caller) as { queue: string; priority: number; street: string | null } | undefined;
  const wait = (caller: string, digits: string[]) => {
    // the hotline hangs up after the survey; the pause only has to outlast the restart
    const steps = [{ pause: 800 }, ...digits.flatMap((d) => [{ dtmf: d }, { pause: 600 }]), { pause: 60_000 }];
    const done = placeCall({ from: caller, steps, timeoutMs: 80_000 });
    return { done, queued: waitFor(`${caller} queued`, () => row(caller) ?? null, 20_000) };
  };
  const older = citizen();
  const a = wait(older, ['0']);
  await a.queued;
  await new Promise((r) => setTimeout(r, 300));
  const newer = citizen();
  const b = wait(newer, ['0']);
  await b.queued;
  const urgent = citizen();
  const c = wait(urgent, ['9']);
  t.match(await c.queued, { queue: 'operator', priority: 3 });
  const s = wait(streetCaller, ['2', '3']);
  t.match(await s.queued, { queue: 'street', street: 'xuhui-tianlin' }, 'the street caller waits for their street');

  await first.crash();

  const second = await startServerProcess({ dbPath, dir, port, env });
  t.teardown(() => second.stop());
  const { buildApp } = await import('../../src/app.js');
  // tokens are checked against the server's own users (and its secret beside its database)
  const signer = await buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath, filesDir: join(dir, 'f'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
  t.teardown(() => signer.close());
  const headers = { authorization: `Bearer ${signFor(signer, { name: 'drill-supervisor', role: 'supervisor', userId: 1 })}`, 'content-type': 'application/json' };
  const api = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(`${second.url}${path}`, { ...init, headers });
    return { status: r.status, body: (await r.json()) as any };
  };
  const queues = (await api('/api/queues')).body.items as Array<{ id: string; waiting: number }>;
  t.equal(queues.find((q) => q.id === 'operator')?.waiting, 3, 'the three center callers wait again after the restart');
  t.equal(queues.find((q) => q.id === 'street')?.waiting, 1, 'and the street caller in the street queue');

  const seat = seatPhone({ port: 6002, calls: 3, ringMs: 200, talkMs: 800, timeoutMs: 90_000 });
  // the street seat is screened: it presses 1 during the whisper, then talks
  const gw = seatPhone({ port: 5082, ringMs: 200, press: { afterMs: 1000, digit: '1' }, talkMs: 800, timeoutMs: 90_000 });
  t.equal((await api('/api/seats/street-xuhui-tianlin/state', { method: 'POST', body: JSON.stringify({ state: 'ready' }) })).status, 200);
  t.equal((await api('/api/seats/1002/state', { method: 'POST', body: JSON.stringify({ state: 'ready' }) })).status, 200);
  t.equal((await seat.done).code, 0, 'seat 1002 took the three center callers');
  t.equal((await gw.done).code, 0, 'the street seat took the street caller');
  void Promise.all([a.done, b.done, c.done, s.done]);

  const one = async (caller: string) =>
    waitFor(`exactly one phone ticket for ${caller}, its call ended`, async () => {
      const list = await api(`/api/tickets?callerNumber=${caller}&source=phone`);
      if (list.body.total !== 1) return null;
      const ticket = (await api(`/api/tickets/${list.body.items[0].id}`)).body;
      return ticket.call?.endedAt ? ticket : null;
    }, 60_000);
  const served = await Promise.all([urgent, older, newer].map(one));
  for (const tk of served) t.match(tk.call, { seatId: '1002', outcome: 'answered' });
  const answeredAt = served.map((tk) => Date.parse(tk.call.seatAnsweredAt));
  t.ok(answeredAt[0] < answeredAt[1] && answeredAt[1] < answeredAt[2], 'served emergency first, then the two others in the order they came');
  const street = await one(streetCaller);
  t.match(street.call, { queue: 'street', seatId: 'street-xuhui-tianlin', outcome: 'answered' });
  t.equal(street.street, 'xuhui-tianlin');
});
