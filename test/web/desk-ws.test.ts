import t from 'tap';
import { seedDemo } from '../../src/seed/demo.js';
import { auditLog } from '../../src/auth/schema.js';
import { makeApp } from '../helpers/app.js';
import { connect, type Msg } from '../helpers/ws-client.js';
import { fakeTelephony } from './fake-telephony.js';
import { recordUrge } from '../../src/intake/twelve345/urge.js';
import { systemActor } from '../../src/shared/actor.js';

/** The app with the demo roster and stand-in telephony, listening; wsUrl(path) for its sockets. */
async function demoServer(t: { teardown(fn: () => unknown): void }) {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  const tel = fakeTelephony(h.app);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const wsUrl = (path: string) => `ws://127.0.0.1:${(h.app.server.address() as { port: number }).port}${path}`;
  return { h, s, tel, wsUrl };
}

t.test('/ws/seat: refusals, hello, the call pop for this seat only, seat changes, call end', async (t) => {
  const { h, s, tel, wsUrl } = await demoServer(t);
  const base = wsUrl('/ws/seat');

  const closeCode = async (url: string) => (await connect(url)).closed;
  t.equal(await closeCode(base), 4401, 'no token');
  t.equal(await closeCode(`${base}?token=garbage`), 4401, 'a bad token');
  t.equal(await closeCode(`${base}?token=${h.token({ role: 'supervisor', seatId: '1010' })}`), 4403, 'supervisors use the wallboard');
  t.equal(await closeCode(`${base}?token=${h.token({ role: 'operator' })}`), 4403, 'an operator without a seat');
  t.equal(await closeCode(`${base}?token=${h.token({ role: 'operator', seatId: 'nope' })}`), 4404, 'a seat that does not exist');

  const op = { role: 'operator' as const, seatId: '1001', userId: 501, name: 'op-ws' };
  const c = await connect(`${base}?token=${h.token(op)}`);
  const other = await connect(`${base}?token=${h.token({ role: 'operator', seatId: '1002' })}`);
  const hello = await c.next('hello');
  t.equal(hello.seat.id, '1001');
  t.equal(hello.seat.state, 'logged_out');
  t.equal(hello.call, null, 'no call yet');
  await other.next('hello');

  await h.app.inject({ method: 'POST', url: '/api/seats/1001/state', headers: h.auth(op), payload: { state: 'ready' } });
  t.equal((await c.next('seat')).seat.state, 'ready', 'its own seat change');

  const call = tel.call({ callId: 'ws-call', callerNumber: '13800138000', queue: 'operator', category: 'other', seatId: '1001' });
  const pop = await c.next('call');
  t.match(pop, { type: 'call', phase: 'connected', callId: 'ws-call', ticketId: call.ticketId });
  t.match(pop.ticket, { id: call.ticketId, number: call.number, callerNumber: '13800138000', callerMasked: false }, 'the ticket comes along, the caller in clear for the seat on the call');
  const audited = s.db.select().from(auditLog).all().filter((a) => a.ticketId === call.ticketId && a.username === 'op-ws');
  t.equal(audited.length, 1, 'the unmasked read is audited');
  t.equal((await c.next('seat')).seat.state, 'on_call');

  // a desk reloaded mid-call gets the call in its hello
  const again = await connect(`${base}?token=${h.token(op)}`);
  const hello2 = await again.next('hello');
  t.match(hello2.call, { callId: 'ws-call', ticketId: call.ticketId, ticket: { number: call.number } });
  again.ws.close();

  tel.hangup('ws-call');
  t.match(await c.next('call'), { phase: 'ended', callId: 'ws-call', ticketId: call.ticketId });

  // a ticket this seat works changes: the desk hears of it
  c.messages.splice(0);
  const took = await h.app.inject({ method: 'POST', url: `/api/tickets/${call.ticketId}/actions/take`, headers: h.auth(op), payload: {} });
  t.equal(took.statusCode, 200);
  t.match(await c.next('ticket'), { ticketId: call.ticketId, action: 'take' });

  await new Promise((r) => setTimeout(r, 200));
  t.notOk(other.messages.some((m) => m.type === 'call' || m.type === 'ticket'), "seat 1002 heard nothing of 1001's call or ticket");
  c.ws.close();
  other.ws.close();
});

t.test('/ws/seat: a street seat hears of tickets routed to its street', async (t) => {
  const { h, wsUrl } = await demoServer(t);
  const base = wsUrl('/ws/seat');
  const c = await connect(`${base}?token=${h.token({ role: 'street_seat', street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' })}`);
  await c.next('hello');
  const sup = { role: 'supervisor' as const };
  const mk = async (street: string) => {
    const r = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: h.auth(sup), payload: { kind: 'routed', category: 'community_life', content: `修水管 ${street}` } });
    const id = r.json().id as number;
    const routed = await h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/route`, headers: h.auth(sup), payload: { street } });
    t.equal(routed.statusCode, 200);
    return id;
  };
  const elsewhere = await mk('xuhui-hunanlu');
  const mine = await mk('xuhui-tianlin');
  const msg = await c.next('ticket');
  t.equal(msg.ticketId, mine);
  t.equal(msg.status, 'routed');
  t.notOk(c.messages.some((m) => m.ticketId === elsewhere), "another street's ticket is not told");
  c.ws.close();
});

t.test('/ws/supervisor: live calls in the snapshot and in throttled `calls` messages', async (t) => {
  const { h, tel, wsUrl } = await demoServer(t);
  tel.call({ callId: 'in-queue', callerNumber: '13700137000', queue: 'community_life', category: 'community_life', phase: 'queued' });
  const c = await connect(`${wsUrl('/ws/supervisor')}?token=${h.token({ role: 'supervisor' })}`);
  const snap = await c.next('snapshot');
  t.match(snap.calls, [{ callId: 'in-queue', phase: 'queued', queue: 'community_life', seatId: null, callerNumber: '13700137000' }], 'the caller in clear for supervisors');
  t.ok(Date.parse(snap.calls[0].since) > 0, 'since: when the caller joined the queue');

  tel.call({ callId: 'talking', callerNumber: '13800138000', queue: 'operator', category: 'other', seatId: '1001' });
  tel.call({ callId: 'talking-2', callerNumber: '13900139000', queue: 'operator', category: 'other', seatId: '1002' });
  const calls = await c.next('calls');
  t.equal(calls.calls.length, 3, 'both new calls in one throttled message');
  t.match(calls.calls.find((x: Msg) => x.callId === 'talking'), { phase: 'connected', seatId: '1001', queue: 'operator' });
  t.ok(calls.calls.find((x: Msg) => x.callId === 'talking').connectedAt, 'connectedAt set');
  await new Promise((r) => setTimeout(r, 400));
  t.equal(c.messages.filter((m) => m.type === 'calls').length, 0, 'one calls message for the burst');

  tel.hangup('talking');
  const after = await c.next('calls');
  t.same(after.calls.map((x: Msg) => x.callId).sort(), ['in-queue', 'talking-2']);
  c.ws.close();
});

t.test('/ws/seat: 12345 urging (催办) a ticket alerts the street seat holding it, no one else', async (t) => {
  const { h, s, wsUrl } = await demoServer(t);
  const order = s.tickets.create({ source: '12345', externalOrderId: 'URGE-1', callerNumber: '13800138000', content: '楼道灯坏了' }, systemActor('12345'));
  s.tickets.update(order.id, { kind: 'routed', status: 'routed', assignedStreet: 'xuhui-tianlin' }, { actor: systemActor('test'), action: 'test_setup' });
  const holder = await connect(`${wsUrl('/ws/seat')}?token=${h.token({ role: 'street_seat', street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' })}`);
  const other = await connect(`${wsUrl('/ws/seat')}?token=${h.token({ role: 'street_seat', street: 'jingan-nanjingxilu', seatId: 'street-jingan-nanjingxilu' })}`);
  await holder.next('hello');
  await other.next('hello');
  recordUrge(s.tickets, s.bus, s.now, 'URGE-1', '市民催促尽快维修');
  t.match(await holder.next('urge'), { type: 'urge', ticketId: order.id, number: order.number, reason: '市民催促尽快维修' });
  const stray = await Promise.race([other.next('urge').then(() => 'urged'), new Promise((r) => setTimeout(() => r('quiet'), 300))]);
  t.equal(stray, 'quiet', 'another street hears nothing');
  holder.ws.close();
  other.ws.close();
});
