import t from 'tap';
import { systemActor } from '../../src/shared/actor.js';
import { callLab, type Lab } from './harness.js';

// Queue order and seat choice on the in-memory Asterisk.

/** A caller who reaches a queue by pressing `digits`; resolves once they wait there. */
async function caller(lab: Lab, number: string, digits: string[], source: 'phone' | '12345' = 'phone') {
  const id = lab.ari.dial(number, source)!;
  await lab.settle();
  for (const d of digits) {
    lab.ari.press(id, d);
    await lab.settle();
  }
  await lab.until(`${number} past the IVR`, () => lab.calls.query.get(id)?.state !== 'ivr');
  return id;
}

/** Whom the seat is ringing for; it picks up. */
async function answers(lab: Lab, seatId: string): Promise<string> {
  const leg = await lab.until(`${seatId} rings`, () => lab.ari.ringingLegs().find((l) => lab.ari.endpointOf(l) === `PJSIP/${seatId}`));
  const call = lab.calls.query.liveCalls().find((c) => c.seatId === seatId)!;
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(call.callId)?.state === 'connected');
  return call.callId;
}

t.test('emergency first, then 12345 transfers, then the rest; first come first served within a level', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001' }] });
  t.teardown(lab.close);
  const normal1 = await caller(lab, '13900000001', ['0']);
  const normal2 = await caller(lab, '13900000002', ['0']);
  const transfer = await caller(lab, '13900000003', ['0'], '12345');
  const emergency = await caller(lab, '13900000004', ['9']);
  t.same(lab.calls.query.waitingIn('operator').map((w) => w.callId), [emergency, transfer, normal1, normal2]);
  const order: string[] = [];
  lab.seats.setManual('1001', 'ready');
  for (let i = 0; i < 4; i++) {
    // after each call's wrap-up the seat is offered the next caller by itself
    order.push(await answers(lab, '1001'));
    lab.ari.hangUp(order.at(-1)!);
  }
  t.same(order, [emergency, transfer, normal1, normal2]);
});

t.test('the emergency alert carries a code and the menu path', async (t) => {
  const lab = await callLab();
  t.teardown(lab.close);
  const alerts: unknown[] = [];
  lab.bus.on('emergency', (e) => alerts.push(e));
  const id = await caller(lab, '13900000010', ['9']);
  t.match(alerts, [{ code: 'emergency_call', callId: id, data: { menuPath: 'main:9' } }]);
});

t.test('the longest-idle ready seat with the skill is offered; a miss rings the next; misses in a row take a seat off', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready', idleFor: 1_000 }, { id: '1002', state: 'ready', idleFor: 60_000 }, { id: '1003', state: 'ready', idleFor: 30_000, skills: ['complaint'] }] });
  t.teardown(lab.close);
  const id = await caller(lab, '13900000020', ['0']);
  const first = await lab.until('a seat rings', () => lab.ari.ringingLegs()[0]);
  t.equal(lab.ari.endpointOf(first), 'PJSIP/1002', 'longest idle among those with the skill');
  lab.ari.refuse(first);
  const second = await lab.until('the next seat rings', () => lab.ari.ringingLegs().find((l) => l !== first));
  t.equal(lab.ari.endpointOf(second), 'PJSIP/1001');
  t.match(lab.seats.get('1002'), { state: 'ready', missedInRow: 1 }, 'the missing seat is ready again, one miss counted');
  const call = lab.calls.query.liveCalls()[0];
  t.equal(call.state, 'ringing');
  t.same(lab.statesOf(call.callId).slice(1), ['queued', 'offering', 'ringing', 'queued', 'offering', 'ringing']);
  void id;
});

t.test('a seat that misses maxMissedInRow calls goes not_ready with a code, not a sentence', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  for (let i = 0; i < 3; i++) {
    // after a miss the seat is ready again by itself (a manual ready would reset the count)
    const id = await caller(lab, `1390000003${i}`, ['0']);
    const leg = await lab.until('rings', () => lab.ari.ringingLegs()[0]);
    lab.ari.refuse(leg);
    await lab.until('missed', () => lab.seats.get('1001')?.missedInRow === i + 1);
    lab.ari.hangUp(id);
    await lab.until('gone', () => !lab.calls.query.get(id));
  }
  t.match(lab.seats.get('1001'), { state: 'not_ready', reasonCode: 'missed_in_row', stateReason: null, missedInRow: 3 });
});

t.test('"not ready after this call" is its own field: kept through the call, then applied', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const id = await caller(lab, '13900000040', ['0']);
  lab.ari.pickUp(await lab.until('rings', () => lab.ari.ringingLegs()[0]));
  await lab.until('connected', () => lab.seats.get('1001')?.state === 'on_call');
  lab.seats.setManual('1001', 'not_ready', '培训');
  t.match(lab.seats.get('1001'), { state: 'on_call', afterCall: 'not_ready', afterCallReason: '培训', stateReason: null });
  lab.ari.hangUp(lab.ari.seatLegs()[0]);
  await lab.until('not ready after wrap-up', () => lab.seats.get('1001')?.state === 'not_ready');
  t.match(lab.seats.get('1001'), { stateReason: '培训', reasonCode: 'manual', afterCall: null });
  void id;
});

t.test('street routing: a caller known on a street waits for that street\'s seats', async (t) => {
  const lab = await callLab({ seats: [{ id: 'street-tianlin', kind: 'street', street: 'tianlin', skills: ['community_life'], state: 'on_call' }, { id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  lab.tickets.create({ source: 'phone', callerNumber: '13900000050', street: 'tianlin' }, systemActor('test'));
  const id = await caller(lab, '13900000050', ['2', '1']);
  t.match(lab.calls.query.waitingIn('street'), [{ callId: id, street: 'tianlin' }]);
  t.equal(lab.ari.ringingLegs().length, 0, 'the center seat is not rung for a street caller');
  lab.seats.set('street-tianlin', 'ready');
  const leg = await lab.until('the street seat rings', () => lab.ari.ringingLegs()[0]);
  t.equal(lab.ari.endpointOf(leg), 'PJSIP/street-tianlin@street-gw');
  t.match(lab.calls.core.deps.repo.get(id), { queue: 'street', street: 'tianlin', offeredSeatId: 'street-tianlin', state: 'ringing' });
});

t.test('a seat made ready: its change and the offer are one commit, the seat rings after it; callers left wait for the next ready seat', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'not_ready' }, { id: '1002', state: 'not_ready' }, { id: '1003', state: 'logged_out' }] });
  t.teardown(lab.close);
  const first = await caller(lab, '13900000061', ['0']);
  const second = await caller(lab, '13900000062', ['0']);
  const third = await caller(lab, '13900000063', ['0']);
  t.notOk(lab.seats.anyReady(), 'no seat is ready');
  lab.seats.inOneCommit(() => {
    lab.seats.setManual('1001', 'ready');
    t.ok(lab.db.$client.inTransaction, 'the offer is written inside the seat change\'s commit');
    t.match(lab.calls.core.deps.repo.get(first), { offeredSeatId: '1001', state: 'offering' }, 'the head caller is offered at once');
    t.equal(lab.seats.get('1001')?.state, 'ringing');
    t.equal(lab.ari.ringingLegs().length, 0, 'nothing is dialled before the commit');
  });
  t.notOk(lab.db.$client.inTransaction);
  const leg = await lab.until('1001 rings', () => lab.ari.ringingLegs()[0]);
  t.equal(lab.ari.endpointOf(leg), 'PJSIP/1001');
  t.notOk(lab.seats.anyReady(), 'the one ready seat is ringing now');
  t.same(lab.calls.query.waitingIn('operator').map((w) => w.callId), [second, third], 'the others keep their places');
  lab.seats.setManual('1002', 'ready');
  await lab.until('1002 rings', () => lab.ari.ringingLegs().length === 2);
  t.match(lab.calls.core.deps.repo.get(second), { offeredSeatId: '1002' });
  t.match(lab.calls.core.deps.repo.get(third), { offeredSeatId: null });
});

t.test('the ready seats the picker looks at follow every change, a reload included', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready', idleFor: 5000 }, { id: '1002', state: 'ready', idleFor: 9000 }, { id: '1003', state: 'not_ready', idleFor: 60_000 }] });
  t.teardown(lab.close);
  t.equal(lab.seats.pickLongestIdle('general')?.id, '1002', 'the longest idle of the ready seats');
  lab.seats.set('1002', 'on_call');
  t.equal(lab.seats.pickLongestIdle('general')?.id, '1001');
  t.equal(lab.seats.pickLongestIdle('general', { exclude: new Map([['1001', 1]]) }), undefined, 'a seat that missed this caller is skipped');
  lab.seats.set('1001', 'not_ready');
  t.notOk(lab.seats.anyReady());
  // a change made in the table itself (another process, an admin tool) shows after reload
  lab.db.$client.prepare("update seats set state = 'ready' where id = '1003'").run();
  lab.seats.reload();
  t.ok(lab.seats.anyReady());
  t.equal(lab.seats.pickLongestIdle('general')?.id, '1003');
});
