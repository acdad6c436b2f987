import t from 'tap';
import { asterisk, ensureAsterisk, placeCall, seatPhone, startHotline, waitFor } from '../helpers/telephony.js';

ensureAsterisk();

t.test('with the server down, a call lands in the native fallback queue and becomes a ticket later', async (t) => {
  // the server is not connected: Stasis() fails and the dialplan queues the call
  // Asterisk's CDR file outlives test runs: a fresh number per run
  const caller = `139${String(Date.now()).slice(-8)}`;
  const seat = seatPhone({ port: 6001, ringMs: 300 });
  const call = await placeCall({ from: caller, steps: [{ pause: 2000 }] });
  t.equal(call.code, 0, 'the caller was answered and hung up normally');
  const seatRun = await seat.done;
  t.equal(seatRun.code, 0, `seat 1001 took the call from the fallback queue ${seatRun.stderr}`);

  // when the server comes back it reads Asterisk's CDRs and opens the ticket, once
  const h = await startHotline();
  t.teardown(h.close);
  const ticket = await waitFor('ticket from the CDR', async () => {
    const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}`, headers: h.supervisor })).json();
    return list.total === 1 ? (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json() : null;
  });
  t.equal(ticket.source, 'phone');
  t.equal(ticket.call.origin, 'cdr');
  t.equal(ticket.call.queue, 'hotline-fallback');
  t.equal(ticket.call.seatId, '1001');
  t.equal(ticket.call.outcome, 'answered');
  t.equal(ticket.call.dialedNumber, '962200');
  t.equal(ticket.needsCallback, false);

  // a reconnect re-reads the file: still one ticket
  await h.app.services.ari!.stop();
  h.app.services.ari!.start();
  await waitFor('ARI back', async () => (await h.app.inject('/ready')).statusCode === 200);
  await new Promise((r) => setTimeout(r, 500));
  const again = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}`, headers: h.supervisor })).json();
  t.equal(again.total, 1, 'imported once');
});

t.test('Asterisk restarts under a running server: /ready goes 503, comes back by itself, and the next call works', async (t) => {
  const h = await startHotline();
  t.teardown(h.close);
  t.equal((await h.app.inject('/ready')).json().ari, 'connected');

  asterisk('stop');
  const down = await waitFor('not ready', async () => {
    const r = await h.app.inject('/ready');
    return r.statusCode === 503 ? r.json() : null;
  });
  t.equal(down.ari, 'disconnected');

  asterisk('start');
  await waitFor('ready again', async () => (await h.app.inject('/ready')).statusCode === 200, 30_000);

  const call = await placeCall({ from: '13700002222', steps: [{ pause: 1000 }] });
  t.equal(call.code, 0);
  const list = await waitFor('ticket after restart', async () => {
    const l = (await h.app.inject({ url: '/api/tickets?callerNumber=13700002222', headers: h.supervisor })).json();
    return l.total === 1 ? l : null;
  });
  t.equal(list.items[0].source, 'phone');
});
