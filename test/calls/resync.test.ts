import t from 'tap';
import { systemActor } from '../../src/shared/actor.js';
import { callLab, type Lab } from './harness.js';

// After a hard server restart (or an ARI reconnect) every call resumes in its state,
// rebuilt from Asterisk (channel variable, bridges) and the call row. The reviewer's
// fifo-resync and street-resync repros: callers were served in GET /channels order and a
// street caller lost their street.

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waiting(lab: Lab, number: string, digits: string[]) {
  const id = lab.ari.dial(number)!;
  await lab.settle();
  for (const d of digits) {
    lab.ari.press(id, d);
    await lab.settle();
  }
  await lab.until(`${number} waits`, () => lab.calls.query.get(id)?.state === 'queued');
  await tick(5); // distinct arrival times
  return id;
}

const ticketsOf = (lab: Lab, number: string) => lab.db.$client.prepare('select count(*) n from tickets where caller_number = ?').get(number) as { n: number };

t.test('waiting callers come back in their original order with their priority, whatever order Asterisk lists them in', async (t) => {
  const first = await callLab({ seats: [{ id: '1001' }] });
  const older = await waiting(first, '13900000001', ['0']);
  const newer = await waiting(first, '13900000002', ['0']);
  const emergency = await waiting(first, '13900000003', ['9']);
  first.ari.listOrder = 'reverse';
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.same(lab.calls.query.waitingIn('operator').map((w) => w.callId), [emergency, older, newer]);
  t.same(lab.calls.query.waitingIn('operator').map((w) => w.priority), [3, 1, 1]);
  t.match(lab.changes.filter((c) => c.event === 'restored'), [{ to: 'queued' }, { to: 'queued' }, { to: 'queued' }], 'one notification per rebuilt call');
  const served: string[] = [];
  lab.seats.setManual('1001', 'ready');
  for (let i = 0; i < 3; i++) {
    const leg = await lab.until('1001 rings', () => lab.ari.ringingLegs()[0]);
    served.push(lab.calls.query.liveCalls().find((c) => c.seatId === '1001')!.callId);
    lab.ari.pickUp(leg);
    await lab.until('connected', () => lab.calls.query.get(served.at(-1)!)?.state === 'connected');
    lab.ari.hangUp(served.at(-1)!);
  }
  t.same(served, [emergency, older, newer], 'served in that order');
  for (const n of ['13900000001', '13900000002', '13900000003']) t.equal(ticketsOf(lab, n).n, 1, `one ticket for ${n}`);
});

t.test('a street caller keeps their street through a restart and is offered to that street\'s seat', async (t) => {
  const first = await callLab({ seats: [{ id: 'street-tianlin', kind: 'street', street: 'tianlin', skills: ['community_life'], state: 'on_call' }] });
  first.tickets.create({ source: 'phone', callerNumber: '13900000009', street: 'tianlin' }, systemActor('test'));
  const id = await waiting(first, '13900000009', ['2', '1']);
  t.match(first.calls.query.waitingIn('street'), [{ callId: id, street: 'tianlin' }]);
  const lab = await first.restartServer();
  t.teardown(lab.close);
  // the street seat shown on_call has no call behind it after the restart: it is freed and offered this caller
  t.match(lab.changes.find((c) => c.callId === id && c.event === 'restored'), { to: 'queued', queue: 'street' }, 'the street queue survived');
  t.match(lab.calls.core.deps.repo.get(id), { queue: 'street', street: 'tianlin' });
  const leg = await lab.until('the street seat rings', () => lab.ari.ringingLegs()[0]);
  t.equal(lab.ari.endpointOf(leg), 'PJSIP/street-tianlin@street-gw');
});

t.test('a seat ringing through the restart still rings, and its answer connects', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  const id = first.ari.dial('13900000011')!;
  await first.settle();
  first.ari.press(id, '0');
  const leg = await first.until('1001 rings', () => first.ari.ringingLegs()[0]);
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.match(lab.calls.query.get(id), { state: 'ringing', seatId: '1001' });
  t.equal(lab.seats.get('1001')?.state, 'ringing');
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort());
});

t.test('a transfer ringing through the restart: the next seat still rings, and its answer connects (the offer is on the row)', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }, { id: '1002' }] });
  const id = first.ari.dial('13900000012')!;
  await first.settle();
  first.ari.press(id, '0');
  first.ari.pickUp(await first.until('1001 rings', () => first.ari.ringingLegs()[0]));
  await first.until('connected', () => first.calls.query.get(id)?.state === 'connected');
  first.seats.setManual('1002', 'ready');
  await first.calls.transfer(id, { seatId: '1002' });
  const leg2 = await first.until('1002 rings', () => first.ari.ringingLegs().find((l) => first.ari.endpointOf(l) === 'PJSIP/1002'));
  t.equal(JSON.parse((await first.ari.getVariable(id, 'HOTLINE_CALL'))!).state, 'queued', 'the channel says queued: offers and talks are on the row');
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.match(lab.calls.query.get(id), { state: 'ringing', seatId: '1002' }, 'rebuilt from the row: 1002 rings, no survey');
  lab.ari.pickUp(leg2);
  await lab.until('connected to 1002', () => lab.calls.query.connectedCallOf('1002')?.callId === id);
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg2].sort());
});

t.test('a seat that answered while the server was down: the leg failed, the caller is offered again', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }, { id: '1002', state: 'ready', idleFor: -1000 }] });
  const id = first.ari.dial('13900000012')!;
  await first.settle();
  first.ari.press(id, '0');
  const leg = await first.until('a seat rings', () => first.ari.ringingLegs()[0]);
  first.calls.shutdown();
  first.ari.disconnect();
  first.ari.pickUp(leg); // Stasis() fails with no app connected: the leg is hung up
  const lab = await callLab({ db: first.db, ari: first.ari });
  t.teardown(lab.close);
  await lab.calls.resync();
  const again = await lab.until('offered again', () => lab.calls.query.get(id)?.state === 'ringing' && lab.ari.ringingLegs()[0]);
  t.not(again, leg);
});

t.test('a talking pair goes on talking through a restart; the survey follows when the seat hangs up', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  const id = first.ari.dial('13900000013')!;
  await first.settle();
  first.ari.press(id, '0');
  const leg = await first.until('rings', () => first.ari.ringingLegs()[0]);
  first.ari.pickUp(leg);
  await first.until('connected', () => first.calls.query.get(id)?.state === 'connected');
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.match(lab.calls.query.get(id), { state: 'connected', seatId: '1001' });
  t.same(lab.calls.query.connectedCallOf('1001')?.callId, id);
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort(), 'still bridged');
  t.equal(lab.seats.get('1001')?.state, 'on_call');
  lab.ari.hangUp(leg);
  await lab.until('survey', () => lab.calls.query.get(id)?.state === 'survey');
  lab.ari.press(id, '2');
  await lab.until('thanks', () => lab.ari.lastPlayed(id)?.includes('sound:survey/thanks'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.match(lab.calls.core.deps.repo.get(id), { outcome: 'answered', rating: 'fair' });
  t.equal(ticketsOf(lab, '13900000013').n, 1);
});

t.test('a caller in the survey at the restart is asked again and the call ends cleanly', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  const id = first.ari.dial('13900000014')!;
  await first.settle();
  first.ari.press(id, '0');
  first.ari.pickUp(await first.until('rings', () => first.ari.ringingLegs()[0]));
  await first.until('connected', () => first.calls.query.get(id)?.state === 'connected');
  first.ari.hangUp(first.ari.seatLegs()[0]);
  await first.until('survey', () => first.calls.query.get(id)?.state === 'survey');
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.equal(lab.calls.query.get(id)?.state, 'survey');
  await lab.until('asked again', () => lab.ari.lastPlayed(id)?.includes('sound:survey/rate'));
  lab.ari.press(id, '1');
  await lab.until('thanks', () => lab.ari.lastPlayed(id)?.includes('sound:survey/thanks'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.match(lab.calls.core.deps.repo.get(id), { outcome: 'answered', rating: 'satisfied', state: 'ended' });
});

t.test('a caller leaving a message at the restart: the recording goes on and is kept', async (t) => {
  const first = await callLab({ businessHours: '00:00-00:01' });
  const id = first.ari.dial('13900000015')!;
  await first.until('closed prompt', () => first.ari.lastPlayed(id)?.includes('sound:ivr/closed'));
  first.ari.finishPlaying(id);
  await first.until('recording', () => first.ari.recordings.size === 1);
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.equal(lab.calls.query.get(id)?.state, 'voicemail', 'not hung up mid-message');
  lab.ari.finishRecording([...lab.ari.recordings.keys()][0]);
  await lab.until('saved', () => lab.ari.lastPlayed(id)?.includes('sound:ivr/message-saved'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.equal(lab.calls.core.deps.repo.get(id)?.outcome, 'voicemail');
});

t.test('Asterisk restarted: every call it lost ends "interrupted", once, and the seats are free', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const talkingId = lab.ari.dial('13900000021')!;
  await lab.settle();
  lab.ari.press(talkingId, '0');
  lab.ari.pickUp(await lab.until('rings', () => lab.ari.ringingLegs()[0]));
  await lab.until('connected', () => lab.calls.query.get(talkingId)?.state === 'connected');
  const waitingId = await waiting(lab, '13900000022', ['0']);
  const inIvr = lab.ari.dial('13900000023')!;
  await lab.settle();
  lab.ari.disconnect();
  lab.ari.crashAndRestart();
  // the same server reconnects (its handlers were lost with the socket in the double: wire again)
  const again = await callLab({ db: lab.db, ari: lab.ari });
  t.teardown(again.close);
  lab.calls.shutdown();
  await again.calls.resync();
  for (const [id, n] of [[talkingId, '13900000021'], [waitingId, '13900000022'], [inIvr, '13900000023']]) {
    t.match(again.calls.core.deps.repo.get(id), { outcome: 'interrupted', hangupCause: /Asterisk restarted/, state: 'ended' });
    t.equal(ticketsOf(again, n).n, 1, `one ticket for ${n}`);
  }
  t.equal(again.seats.get('1001')?.state, 'ready');
});

t.test('an ARI reconnect with the server up: calls that ended meanwhile are closed, the rest go on', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001' }] });
  t.teardown(lab.close);
  const stays = await waiting(lab, '13900000031', ['0']);
  const leaves = await waiting(lab, '13900000032', ['0']);
  lab.ari.connected = false; // the websocket drops: events are lost
  lab.ari.hangUp(leaves);
  lab.ari.connected = true;
  await lab.calls.resync();
  await lab.settle();
  t.equal(lab.calls.query.get(stays)?.state, 'queued');
  t.notOk(lab.calls.query.get(leaves));
  t.match(lab.calls.core.deps.repo.get(leaves), { outcome: 'abandoned', state: 'ended' });
});
