import t from 'tap';
import WebSocket from 'ws';
import { makeApp } from '../helpers/app.js';
import { connect } from '../helpers/ws-client.js';
import { seedDemo } from '../../src/seed/demo.js';

t.test('supervisor websocket: snapshot, throttled seat and queue updates, emergency alerts', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  await seedDemo(h.app.services.db);
  h.app.services.seats.reload();
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `ws://127.0.0.1:${(h.app.server.address() as { port: number }).port}/ws/supervisor`;

  const refused = async (url: string) => {
    const c = await connect(url);
    return new Promise<number>((r) => (c.ws.readyState === WebSocket.CLOSED ? r(-1) : c.ws.once('close', (code) => r(code))));
  };
  t.equal(await refused(base), 4401, 'no token: closed as unauthorized');
  t.equal(await refused(`${base}?token=garbage`), 4401, 'a bad token: closed as unauthorized');
  t.equal(await refused(`${base}?token=${h.token({ role: 'operator' })}`), 4403, 'operators do not get the wallboard');

  const c = await connect(`${base}?token=${h.token({ role: 'supervisor' })}`);
  const snapshot = await c.next('snapshot');
  t.ok(Array.isArray(snapshot.queues));
  t.equal(snapshot.seats.find((s: { id: string }) => s.id === '1001').state, 'logged_out');

  // three changes in a row arrive as one update
  for (const state of ['ready', 'not_ready', 'ready'] as const) {
    await h.app.inject({ method: 'POST', url: '/api/seats/1001/state', headers: h.auth({ role: 'supervisor' }), payload: { state } });
  }
  const seats = await c.next('seats');
  t.equal(seats.seats.find((s: { id: string }) => s.id === '1001').state, 'ready');
  await new Promise((r) => setTimeout(r, 400));
  t.equal(c.messages.filter((m) => m.type === 'seats').length, 0, 'throttled: one seats message for the burst');

  h.app.services.bus.emit('emergency', { ticketId: 7, callId: 'c1', callerNumber: '13800138000', at: Date.now(), summary: 'fire' });
  const alert = await c.next('emergency');
  t.equal(alert.ticketId, 7);
  t.notOk('callerNumber' in alert, 'the alert carries no caller number');

  c.ws.send('garbage that is ignored');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(c.ws.readyState, WebSocket.OPEN, 'garbage from a client changes nothing');
  c.ws.close();
});

t.test('/metrics in Prometheus text', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  h.app.services.tickets.create({ source: 'manual', content: 'x' }, { name: 't', role: 'operator' });
  const r = await h.app.inject('/metrics');
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-type'], /text\/plain/);
  for (const name of ['hotline_calls_in_progress', 'nodejs_eventloop_lag_seconds', 'hotline_ari_request_seconds']) {
    t.ok(r.body.includes(name), name);
  }
  t.match(r.body, /^hotline_ari_connected\{[^}]*\} 0$/m, 'ARI down without telephony');
  t.match(r.body, /^hotline_ari_rest_lanes_open\{[^}]*\} 0$/m, 'no REST lanes without telephony');
  t.match(r.body, /^hotline_tickets\{[^}]*status="open"[^}]*\} 1$/m, 'one open ticket');
});
