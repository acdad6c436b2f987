import t from 'tap';
import type { Services } from '../../src/services.js';
import { liveCallsFeed } from '../../src/stats/live-calls.js';
import { callLab, connectedCall } from './harness.js';

// Whole calls on the in-memory Asterisk: each transition is seen once, in order, by
// whoever follows the notifier, and the call row and Asterisk agree with it.

const ringing = (lab: Awaited<ReturnType<typeof callLab>>) => lab.until('a seat rings', () => lab.ari.ringingLegs()[0]);

t.test('IVR -> queue -> offering -> ringing -> connected -> survey -> rated -> ended', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138000')!;
  await lab.until('in the IVR', () => lab.calls.query.get(id)?.state === 'ivr');
  lab.ari.press(id, '0');
  const leg = await ringing(lab);
  t.equal(lab.ari.endpointOf(leg), 'PJSIP/1001');
  t.equal(lab.seats.get('1001')?.state, 'ringing');
  t.equal(JSON.parse((await lab.ari.getVariable(id, 'HOTLINE_CALL'))!).state, 'queued', 'Asterisk keeps the state on the channel; an offer is on the call row only');
  t.match(lab.calls.core.deps.repo.get(id), { state: 'ringing', offeredSeatId: '1001', seatLegId: leg }, 'the offer, on the row');
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort(), 'caller and seat bridged');
  t.equal(lab.ari.bridgeOf(id)?.channels.length, 2, 'a 2-party bridge');
  t.equal(lab.ari.mixMonitors.get(lab.calls.core.deps.repo.get(id)!.recordingName!), leg, 'recorded by MixMonitor on the seat leg, in the file the call row names');
  t.same(lab.calls.query.connectedCallOf('1001'), { callId: id, ticketId: lab.calls.query.get(id)!.ticketId });

  lab.ari.hangUp(leg);
  await lab.until('survey', () => lab.calls.query.get(id)?.state === 'survey');
  // the wallboard's view during the survey: not talking, no seat
  t.match(lab.calls.query.liveCalls(), [{ callId: id, state: 'survey', seatId: null, connectedAt: null }]);
  t.equal(lab.seats.get('1001')?.state, 'wrap_up');
  lab.ari.press(id, '1');
  await lab.until('thanks played', () => lab.ari.lastPlayed(id)?.includes('sound:survey/thanks'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.same(lab.statesOf(id), ['ivr', 'queued', 'offering', 'ringing', 'connected', 'survey', 'leaving', 'ended'], 'one notification per transition');
  const row = lab.calls.core.deps.repo.get(id)!;
  t.match(row, { state: 'ended', outcome: 'answered', rating: 'satisfied', seatId: '1001' });
  t.equal(lab.tickets.get(row.ticketId)?.satisfaction, 'satisfied');
  await lab.until('seat ready after wrap-up', () => lab.seats.get('1001')?.state === 'ready');
});

t.test('talk time ends when the seat leaves: the rating prompt after it is not talk; a caller hanging up mid-talk ends it', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const talk = (number: string) => connectedCall(lab, number);
  const { id, leg } = await talk('13800138091');
  lab.ari.hangUp(leg);
  await lab.until('survey', () => lab.calls.query.get(id)?.state === 'survey');
  const left = lab.calls.core.deps.repo.get(id)!.talkEndedAt!;
  t.ok(left > 0, 'the seat\'s leaving is on the row');
  // as if the seat had answered 7 s before it left, and the caller had spent 4 s on the rating
  lab.db.$client.prepare('update calls set seat_answered_at = ?, talk_ended_at = ? where id = ?').run(left - 11_000, left - 4_000, id);
  lab.ari.hangUp(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.match(lab.calls.core.deps.repo.get(id), { outcome: 'answered', talkSeconds: 7 });
  await lab.until('seat ready after wrap-up', () => lab.seats.get('1001')?.state === 'ready');

  const second = await talk('13800138092');
  lab.db.$client.prepare('update calls set seat_answered_at = seat_answered_at - 5000 where id = ?').run(second.id);
  lab.ari.hangUp(second.id);
  await lab.until('ended', () => !lab.calls.query.get(second.id));
  t.match(lab.calls.core.deps.repo.get(second.id), { outcome: 'answered', talkSeconds: 5, talkEndedAt: null }, 'to the caller\'s hang-up');
});

t.test('a ready seat rings before the caller is in the holding bridge; an answer meanwhile still connects the two', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  lab.ari.holdingJoinDelayMs = 300;
  const id = lab.ari.dial('13800138077')!;
  await lab.until('in the IVR', () => lab.calls.query.get(id)?.state === 'ivr');
  lab.ari.press(id, '0');
  const leg = await ringing(lab);
  t.notOk(lab.ari.bridges.get('hotline-holding')?.channels.includes(id), 'rung while the join is still on its way');
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  await lab.until('bridged', () => lab.ari.bridgeOf(leg));
  await new Promise((r) => setTimeout(r, 400)); // past the slow join
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort(), 'the caller talks with the seat, not back in the holding bridge');
  t.notOk(lab.ari.bridges.get('hotline-holding')?.channels.includes(id));
});

t.test('the desk and the wallboard hear the survey: the seat leaves the call when the survey starts', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  // the wallboard's live-call feed (stats/live-calls.ts) on this call path
  const sent: Array<{ calls: Array<{ callId: string; phase: string; seatId: string | null }> }> = [];
  const stop = liveCallsFeed({ bus: lab.bus, now: Date.now, liveCalls: lab.calls.query } as unknown as Services, (m) => sent.push(m as never), () => true, 5);
  t.teardown(stop);
  const id = lab.ari.dial('13800138001')!;
  await lab.settle();
  lab.ari.press(id, '0');
  lab.ari.pickUp(await ringing(lab));
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  lab.ari.hangUp(lab.ari.seatLegs()[0]);
  await lab.until('survey', () => lab.calls.query.get(id)?.state === 'survey');
  await lab.until('the wallboard is told', () => sent.at(-1)?.calls.find((c) => c.callId === id)?.phase === 'survey');
  t.match(sent.at(-1)!.calls, [{ callId: id, phase: 'survey', seatId: null }], 'the wallboard shows the rating, not a conversation');
  const survey = lab.changes.find((c) => c.callId === id && c.to === 'survey')!;
  t.match(survey, { from: 'connected', event: 'seat_left', fromSeatId: '1001', seatId: null });
  // no digit after the question: the survey times out and the call ends cleanly
  await lab.until('rating asked', () => lab.ari.lastPlayed(id)?.includes('sound:survey/rate'));
  lab.ari.finishPlaying(id);
  await lab.until('goodbye', () => lab.ari.lastPlayed(id)?.includes('sound:call/goodbye'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.same(lab.statesOf(id).slice(-3), ['survey', 'leaving', 'ended']);
});

t.test('IVR: wrong digits and silence count as tries; after maxTries the caller goes to a person', async (t) => {
  const lab = await callLab();
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138002')!;
  await lab.settle();
  lab.ari.press(id, '7'); // no such option
  await lab.until('invalid prompt', () => lab.ari.lastPlayed(id)?.includes('sound:ivr/invalid'));
  // silence: the digit timer starts when the prompt ends
  lab.ari.finishPlaying(id);
  await lab.until('no-input prompt', () => lab.ari.lastPlayed(id)?.includes('sound:ivr/no-input'));
  lab.ari.finishPlaying(id);
  await lab.until('queued after 3 tries', () => lab.calls.query.get(id)?.state === 'queued');
  const row = lab.calls.core.deps.repo.get(id)!;
  t.equal(row.queue, 'operator');
  t.equal(row.ivrPath, 'main:7>main:->main:-');
  t.same(lab.statesOf(id), ['ivr', 'ivr', 'ivr', 'queued']);
  t.ok(lab.ari.bridges.get('hotline-holding')?.channels.includes(id), 'waits in the holding bridge');
  t.equal(lab.ari.bridges.get('hotline-holding')?.moh, true, 'with hold music');
});

t.test('after hours: the message is recorded and the caller called back', async (t) => {
  const lab = await callLab({ businessHours: '00:00-00:01' /* closed but for one minute a day */ });
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138003')!;
  await lab.until('closed prompt', () => lab.ari.lastPlayed(id)?.includes('sound:ivr/closed'));
  lab.ari.finishPlaying(id);
  await lab.until('recording', () => lab.ari.recordings.size === 1);
  const name = [...lab.ari.recordings.keys()][0];
  lab.ari.finishRecording(name);
  await lab.until('saved prompt', () => lab.ari.lastPlayed(id)?.includes('sound:ivr/message-saved'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.same(lab.statesOf(id), ['ivr', 'voicemail', 'leaving', 'ended']);
  const row = lab.calls.core.deps.repo.get(id)!;
  t.equal(row.outcome, 'voicemail');
  t.equal(lab.tickets.get(row.ticketId)?.needsCallback, true);
});

t.test('waited too long: the callback offer, press 1, the ticket keeps the place', async (t) => {
  const lab = await callLab({ callflow: (await import('./harness.js')).fastCallflow((c) => (c.queues.queues.operator.maxWaitSeconds = 0.05)) });
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138004')!;
  await lab.settle();
  lab.ari.press(id, '0');
  await lab.until('callback offer', () => lab.calls.query.get(id)?.state === 'callback_offer', 4000);
  t.equal(lab.calls.query.waitingIn('operator').length, 1, 'still waiting for a seat meanwhile');
  lab.ari.press(id, '1');
  await lab.until('confirmed', () => lab.ari.lastPlayed(id)?.includes('sound:queue/callback-confirmed'));
  lab.ari.finishPlaying(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.same(lab.statesOf(id), ['ivr', 'queued', 'callback_offer', 'leaving', 'ended']);
  t.equal(lab.calls.core.deps.repo.get(id)!.outcome, 'callback');
});

t.test('overflow: a queue past its max wait hands the caller on, keeping their arrival time', async (t) => {
  const lab = await callLab({ callflow: (await import('./harness.js')).fastCallflow((c) => (c.queues.queues.consultation.maxWaitSeconds = 0.05)) });
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138005')!;
  await lab.settle();
  lab.ari.press(id, '1');
  await lab.settle();
  lab.ari.press(id, '2');
  await lab.until('queued in consultation', () => lab.calls.query.get(id)?.queue === 'consultation');
  const since = lab.calls.query.waitingIn('consultation')[0].since;
  await lab.until('overflowed to operator', () => lab.calls.query.get(id)?.queue === 'operator', 4000);
  t.equal(lab.calls.query.waitingIn('operator')[0].since, since);
  t.same(lab.statesOf(id), ['ivr', 'ivr', 'queued', 'queued']);
  t.match(lab.changes.at(-1), { event: 'overflowed', queue: 'operator' });
});

t.test('the caller hangs up while a seat rings: the seat is free again, not counted as a miss', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const id = lab.ari.dial('13800138006')!;
  await lab.settle();
  lab.ari.press(id, '0');
  const leg = await ringing(lab);
  lab.ari.hangUp(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  t.notOk(lab.ari.channels.has(leg), 'the seat leg was hung up');
  t.match(lab.seats.get('1001'), { state: 'ready', missedInRow: 0 });
  t.same(lab.statesOf(id), ['ivr', 'queued', 'offering', 'ringing', 'ended']);
  t.equal(lab.calls.core.deps.repo.get(id)!.outcome, 'abandoned');
});

t.test('the seat leg passes through the recording step: its StasisEnd there is not the seat leaving', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const { id, leg } = await connectedCall(lab, '13800138001');
  t.same(lab.statesOf(id), ['ivr', 'queued', 'offering', 'ringing', 'connected'], 'no seat_left, no survey from the step');
  t.equal(lab.seats.get('1001')?.state, 'on_call');
  t.equal(lab.ari.mixMonitors.get(lab.calls.core.deps.repo.get(id)!.recordingName!), leg);
});

t.test('the recording step cannot be entered: the call is put through unrecorded, not lost', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  lab.ari.continueFails = true;
  const { id, leg } = await connectedCall(lab, '13800138002');
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort(), 'caller and seat bridged');
  t.equal(lab.ari.mixMonitors.size, 0, 'no recording');
});
