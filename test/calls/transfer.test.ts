import t from 'tap';
import { callLab, fastCallflow, type Lab } from './harness.js';

// Transfers on the in-memory Asterisk. The reviewer's transfer-strand repro: a call put
// through to a seat that does not answer was left on hold with no seat ever rung.

async function talking(lab: Lab, number: string, seatId: string) {
  const id = lab.ari.dial(number)!;
  await lab.settle();
  lab.ari.press(id, '0');
  const leg = await lab.until(`${seatId} rings`, () => lab.ari.ringingLegs().find((l) => lab.ari.endpointOf(l) === `PJSIP/${seatId}`));
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  return { id, leg };
}

t.test('a transfer to a seat that does not answer: back at the head of the queue, and the next ready seat is offered', async (t) => {
  // a seat that misses once goes not_ready here, so only 1003 can be next
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }, { id: '1002' }, { id: '1003' }], callflow: fastCallflow((c) => (c.queues.seats.maxMissedInRow = 1)) });
  t.teardown(lab.close);
  const { id, leg } = await talking(lab, '13800138000', '1001');
  lab.seats.setManual('1002', 'ready');
  await lab.calls.transfer(id, { seatId: '1002' });
  const leg2 = await lab.until('1002 rings', () => lab.ari.ringingLegs().find((l) => lab.ari.endpointOf(l) === 'PJSIP/1002'));
  t.notOk(lab.ari.channels.has(leg), 'the first seat left the call');
  t.ok(lab.ari.bridges.get('hotline-holding')?.channels.includes(id), 'the caller waits in the holding bridge');
  t.equal(lab.calls.query.get(id)?.state, 'ringing');
  // 1001 takes a break after its wrap-up; another caller comes and waits
  lab.seats.setManual('1001', 'not_ready');
  const other = lab.ari.dial('13800138999')!;
  await lab.settle();
  lab.ari.press(other, '0');
  await lab.until('the other caller waits', () => lab.calls.query.get(other)?.state === 'queued');

  lab.ari.refuse(leg2); // 1002 does not pick up
  await lab.until('the caller waits again', () => lab.calls.query.get(id)?.state === 'queued');
  t.same(lab.calls.query.waitingIn('operator').map((w) => w.callId), [id, other], 'at the head of the queue, before the caller who waited meanwhile');
  t.equal(lab.calls.core.deps.repo.get(id)!.headOfQueue, true, 'kept on the call row');
  t.match(lab.seats.get('1002'), { state: 'not_ready', missedInRow: 1 });

  lab.seats.setManual('1003', 'ready');
  const next = await lab.until('the next ready seat rings for the transferred caller', () => lab.calls.query.get(id)?.state === 'ringing' && lab.calls.query.get(id));
  t.equal(next.seatId, '1003', 'the next ready seat, for the transferred caller first');
  t.same(lab.statesOf(id).slice(4), ['connected', 'offering', 'ringing', 'queued', 'offering', 'ringing']);
  t.equal(lab.calls.query.get(other)?.state, 'queued', 'the other caller waits on');
});

t.test('a transfer to a seat that answers: the new seat talks, the old one wraps up, no survey between', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }, { id: '1002' }] });
  t.teardown(lab.close);
  const { id, leg } = await talking(lab, '13800138001', '1001');
  const firstBridge = lab.ari.bridgeOf(id)!.id;
  lab.seats.setManual('1002', 'ready');
  await lab.calls.transfer(id, { seatId: '1002' });
  const leg2 = await lab.until('1002 rings', () => lab.ari.ringingLegs()[0]);
  lab.ari.pickUp(leg2);
  await lab.until('talking to 1002', () => lab.calls.query.connectedCallOf('1002')?.callId === id);
  // the first talk bridge, emptied by the transfer, is kept and taken again (talk-bridges.ts): never destroyed and re-created under one id (409)
  const bridge = await lab.until('caller and 1002 bridged', () => lab.ari.bridgeOf(leg2));
  t.same([...bridge.channels].sort(), [id, leg2].sort(), 'the caller and the new seat talk in one bridge, the first seat not in it');
  t.equal(bridge.id, firstBridge, 'the emptied bridge is reused');
  t.equal(lab.ari.bridges.size, 2, 'the holding bridge and one talk bridge: none made per transfer');
  t.notOk(lab.ari.channels.has(leg), 'the first seat left');
  t.equal(lab.seats.get('1001')?.state === 'wrap_up' || lab.seats.get('1001')?.state === 'ready', true);
  t.same(lab.statesOf(id), ['ivr', 'queued', 'offering', 'ringing', 'connected', 'offering', 'ringing', 'connected']);
  t.match(lab.changes.find((c) => c.callId === id && c.event === 'transferred_to_seat'), { from: 'connected', fromSeatId: '1001', seatId: '1002' });
  const row = lab.calls.core.deps.repo.get(id)!;
  t.equal(lab.tickets.events(row.ticketId).some((e: { action: string }) => e.action === 'call_transferred'), true);
});

t.test('a transfer to another queue: waits there, keeps its arrival time', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const { id } = await talking(lab, '13800138002', '1001');
  const since = lab.calls.core.deps.repo.get(id)!.enqueuedAt;
  await lab.calls.transfer(id, { queue: 'complaint' });
  await lab.until('in complaint', () => lab.calls.query.waitingIn('complaint')[0]?.callId === id || lab.calls.query.get(id)?.queue === 'complaint');
  t.equal(lab.calls.core.deps.repo.get(id)!.enqueuedAt, since);
  t.match(lab.changes.find((c) => c.event === 'transferred_to_queue'), { from: 'connected', to: 'queued', queue: 'complaint', fromSeatId: '1001' });
});

t.test('bad transfers change nothing: no such queue or seat, a call not live', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const { id } = await talking(lab, '13800138003', '1001');
  const status = (p: Promise<void>) => p.then(() => 0, (e: { statusCode: number }) => e.statusCode);
  t.equal(await status(lab.calls.transfer(id, { queue: 'nope' })), 400);
  t.equal(await status(lab.calls.transfer(id, { seatId: 'nope' })), 400);
  t.equal(await status(lab.calls.transfer('gone', { seatId: '1001' })), 404);
  t.equal(lab.calls.query.get(id)?.state, 'connected');
});
