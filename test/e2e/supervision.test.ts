import t from 'tap';
import WebSocket from 'ws';
import { citizen, fastQueues, setSeat, talkBridgeOf, ticketOf } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, seatPhone, startHotline, waitFor, type Hotline } from '../helpers/telephony.js';
import { signFor } from '../helpers/users.js';

// What a supervisor sees and does while real calls run: the live websocket moving
// with a sipp call, and listening in on a call without being heard.

ensureAsterisk();

type Msg = { type: string; [k: string]: any };

function supervisorSocket(h: Hotline): Promise<{ ws: WebSocket; messages: Msg[]; until(what: string, test: (m: Msg) => boolean): Promise<Msg> }> {
  const port = (h.app.server.address() as { port: number }).port;
  const token = h.supervisor.authorization.slice('Bearer '.length);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/supervisor?token=${token}`);
  const messages: Msg[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  // looks at messages from the given index on, so a test waits for what comes after a step
  const until = (what: string, test: (m: Msg) => boolean) => waitFor(what, async () => messages.find(test) ?? null, 20_000);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, until }));
    ws.once('error', reject);
  });
}

const queueIn = (m: Msg, id: string) => (m.queues as Array<{ id: string; waiting: number; answeredToday: number; offeredToday: number }> | undefined)?.find((q) => q.id === id);

t.test('the supervisor socket: snapshot, then the caller entering the queue, then the seat answering', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const sock = await supervisorSocket(h);
  t.teardown(() => sock.ws.terminate());
  const snapshot = await sock.until('snapshot', (m) => m.type === 'snapshot');
  t.equal(sock.messages[0].type, 'snapshot', 'the snapshot comes first');
  t.equal(queueIn(snapshot, 'operator')?.waiting, 0, 'nobody waiting yet');
  t.equal(snapshot.seats.find((s: { id: string }) => s.id === '1007').state, 'logged_out');

  // no seat ready: the caller waits in the operator queue
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 12_000 }] });
  const waiting = await sock.until('a queues delta with the caller waiting', (m) => m.type === 'queues' && queueIn(m, 'operator')?.waiting === 1);
  t.ok(queueIn(waiting, 'operator')!.offeredToday >= 1, 'offered today counts the call');
  t.equal(await h.app.inject({ url: '/api/queues', headers: h.supervisor }).then((r) => r.json().items.find((q: { id: string }) => q.id === 'operator').waiting), 1, 'GET /api/queues agrees');

  // a seat comes in and answers
  const seen = sock.messages.length;
  const seat = seatPhone({ port: 6007, ringMs: 200, talkMs: 2000 });
  await seat.listening;
  await setSeat(h, '1007', 'ready');
  const onCall = await sock.until('a seats delta with 1007 on the call', (m) => sock.messages.indexOf(m) >= seen && m.type === 'seats' && m.seats.find((s: { id: string }) => s.id === '1007')?.state === 'on_call');
  t.ok(onCall.seats.find((s: { id: string }) => s.id === '1007').since, 'time in state is given');
  const answered = await sock.until('a queues delta: nobody waiting, one answered', (m) => sock.messages.indexOf(m) >= seen && m.type === 'queues' && queueIn(m, 'operator')?.waiting === 0 && queueIn(m, 'operator')?.answeredToday === 1);
  t.ok(answered, 'answered today went up');
  t.equal((await seat.done).code, 0);
  await call;
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1007');
});

t.test('a supervisor listens in: their phone joins a snoop of the call, not the call itself', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, '1008', 'ready');
  const seat = seatPhone({ port: 6008, ringMs: 200, talkMs: 9000 });
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 14_000 }] });
  const connected = await ticketOf(h, caller, (tk) => !!tk.call?.seatAnsweredAt);
  const callId = connected.call.channelId as string;
  const ari = h.app.services.ari!.rest;

  const operator = `Bearer ${signFor(h.app, { name: 'op', role: 'operator', userId: 2, seatId: '1001' })}`;
  const refused = await h.app.inject({ method: 'POST', url: `/api/calls/${callId}/listen`, headers: { authorization: operator }, payload: { seatId: '1009' } });
  t.equal(refused.statusCode, 403, 'operators may not listen in');
  const sameSeat = await h.app.inject({ method: 'POST', url: `/api/calls/${callId}/listen`, headers: h.supervisor, payload: { seatId: '1008' } });
  t.equal(sameSeat.statusCode, 400, 'not to the seat on the call');
  const noPhone = await h.app.inject({ method: 'POST', url: `/api/calls/${callId}/listen`, headers: h.supervisor, payload: {} });
  t.equal(noPhone.statusCode, 400, 'a supervisor without a seat must say which phone to ring');
  t.match(noPhone.json().message, /seatId/);

  const supervisorPhone = seatPhone({ port: 6010, ringMs: 200, talkMs: 3000 });
  const r = await h.app.inject({ method: 'POST', url: `/api/calls/${callId}/listen`, headers: h.supervisor, payload: { seatId: '1010' } });
  t.equal(r.statusCode, 202, r.body);
  const { listenId, snoopChannelId } = r.json();
  const listenBridge = await waitFor('the supervisor bridged with the snoop', async () => {
    const b = await ari.getBridge(`listen-${listenId}`).catch(() => null);
    return b && b.channels.length === 2 ? b : null;
  });
  t.same([...listenBridge.channels].sort(), [`listen-${listenId}`, snoopChannelId].sort(), 'the supervisor hears the snoop only');
  const talk = (await talkBridgeOf(h, callId))!;
  const callBridge = await ari.getBridge(talk);
  t.equal(callBridge.channels.length, 2, 'the call bridge still holds only caller and seat');
  t.notOk(callBridge.channels.includes(`listen-${listenId}`), 'the supervisor is not in the call');
  const snoop = await ari.getChannel(snoopChannelId);
  t.match(snoop.name, /^Snoop\//, 'a snoop channel (spy both, whisper none)');

  // the supervisor hangs up: the snoop and its bridge go, the call goes on
  t.equal((await supervisorPhone.done).code, 0);
  await waitFor('listen-in cleaned up', async () => ((await ari.getBridge(`listen-${listenId}`).then(() => false, () => true)) ? true : null));
  await waitFor('snoop hung up', async () => ((await ari.getChannel(snoopChannelId).then(() => false, () => true)) ? true : null));
  t.equal((await ari.getBridge(talk)).channels.length, 2, 'caller and seat still talking');
  t.equal(h.app.services.listenIn!.active.size, 0);

  t.equal((await seat.done).code, 0);
  await call;
  const ended = await ticketOf(h, caller);
  t.equal(ended.call.outcome, 'answered');
  const late = await h.app.inject({ method: 'POST', url: `/api/calls/${callId}/listen`, headers: h.supervisor, payload: { seatId: '1010' } });
  t.equal(late.statusCode, 404, 'an ended call can not be listened to');
});
