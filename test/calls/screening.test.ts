import t from 'tap';
import { readFileSync } from 'node:fs';
import { systemActor } from '../../src/shared/actor.js';
import { queueStats } from '../../src/calls/queue-stats.js';
import type { Services } from '../../src/services.js';
import { callLab, fastCallflow, type Lab } from './harness.js';

// Screening of remote seats (outside numbers through street-gw): the far end hears a
// whisper on its own leg and must press 1; the caller waits in the holding bridge.

const STREET = 'tianlin';
const seats = () => [
  { id: 'street-a', kind: 'street' as const, street: STREET, skills: ['community_life'], state: 'ready', idleFor: 60_000 },
  { id: 'street-b', kind: 'street' as const, street: STREET, skills: ['community_life'], state: 'ready', idleFor: 1_000 },
];

/** A caller known on the street, through the IVR to 社区生活 家政服务: the street queue. */
async function streetCaller(lab: Lab, number: string): Promise<string> {
  lab.tickets.create({ source: 'phone', callerNumber: number, street: STREET }, systemActor('test'));
  const id = lab.ari.dial(number)!;
  await lab.settle();
  lab.ari.press(id, '2');
  await lab.settle();
  lab.ari.press(id, '3');
  await lab.until('queued on the street', () => lab.calls.query.get(id)?.queue === 'street');
  return id;
}

/** The far end of the seat answers: its leg is in screening, the whisper playing to it. */
async function farEndAnswers(lab: Lab, callId: string, seatId: string): Promise<string> {
  const leg = await lab.until(`${seatId} rings`, () => lab.ari.ringingLegs().find((l) => lab.ari.endpointOf(l) === `PJSIP/${seatId}@street-gw`));
  lab.ari.pickUp(leg);
  await lab.until('screening', () => lab.calls.query.get(callId)?.state === 'screening');
  await lab.until('whisper plays to the leg', () => lab.ari.lastPlayed(leg));
  return leg;
}

const screenings = (lab: Lab, callId: string) => lab.calls.core.deps.repo.screeningsOf(callId);
const heardScreen = (lab: Lab, channelId: string) => (lab.ari.played.get(channelId) ?? []).flat().some((m) => m.startsWith('sound:screen/'));

t.test('accepts with 1: bridged only then, answered at that moment; the caller never hears the whisper', async (t) => {
  const lab = await callLab({ seats: seats() });
  t.teardown(lab.close);
  const id = await streetCaller(lab, '13900000101');
  const leg = await farEndAnswers(lab, id, 'street-a');
  const whisper = lab.ari.lastPlayed(leg)!;
  t.equal(whisper[0], 'sound:screen/intro');
  t.ok(whisper.includes('sound:screen/category-community_life'), 'what the call is about');
  t.equal(whisper.at(-1), 'sound:screen/press-1');
  t.equal(lab.ari.bridgeOf(id)?.type, 'holding', 'the caller still waits with hold music');
  t.notOk(heardScreen(lab, id), 'nothing of the whisper reached the caller');
  t.equal(lab.calls.core.deps.repo.get(id)?.seatAnsweredAt, null, 'not answered yet');
  t.equal(lab.seats.get('street-a')?.state, 'ringing');
  t.equal(JSON.parse((await lab.ari.getVariable(id, 'HOTLINE_CALL'))!).state, 'screening', 'the state is kept on the channel');

  await new Promise((r) => setTimeout(r, 20));
  const pressedAt = Date.now();
  lab.ari.press(leg, '1');
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  t.same(lab.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort(), 'bridged with the caller');
  const row = lab.calls.core.deps.repo.get(id)!;
  t.match(row, { seatId: 'street-a' });
  t.ok(row.seatAnsweredAt! >= pressedAt, 'answered when 1 was pressed, not when the phone picked up');
  const ticket = lab.tickets.get(row.ticketId)!;
  t.equal(ticket.assignedSeatId, 'street-a', 'the ticket says who took it');
  const answered = lab.tickets.events(row.ticketId).find((e) => e.action === 'call_answered');
  t.match(answered?.data, { seatId: 'street-a', screened: true });
  t.equal(lab.seats.get('street-a')?.state, 'on_call');
  t.match(screenings(lab, id), [{ seatId: 'street-a', outcome: 'accepted', digit: '1', queue: 'street' }]);
  t.same(lab.statesOf(id).slice(-4), ['offering', 'ringing', 'screening', 'connected']);
});

t.test('presses 2: declined, a miss; the leg is hung up and the next seat rung', async (t) => {
  const lab = await callLab({ seats: seats() });
  t.teardown(lab.close);
  const id = await streetCaller(lab, '13900000102');
  const leg = await farEndAnswers(lab, id, 'street-a');
  lab.ari.press(leg, '2');
  const next = await lab.until('the next seat rings', () => lab.ari.ringingLegs().find((l) => l !== leg));
  t.equal(lab.ari.endpointOf(next), 'PJSIP/street-b@street-gw');
  t.notOk(lab.ari.channels.has(leg), 'the declining leg was hung up');
  t.match(lab.seats.get('street-a'), { state: 'ready', missedInRow: 1 }, 'counted as a miss');
  t.match(screenings(lab, id), [{ seatId: 'street-a', outcome: 'declined', digit: '2' }]);
  t.equal(lab.calls.core.deps.repo.get(id)?.seatAnsweredAt, null);
  t.same(lab.statesOf(id).slice(-5), ['ringing', 'screening', 'queued', 'offering', 'ringing']);
});

t.test('never presses: missed after the whisper and the timeout; hangs up during the whisper: missed', async (t) => {
  const lab = await callLab({ seats: seats(), callflow: fastCallflow((c) => (c.queues.seats.screeningTimeoutSeconds = 0.05)) });
  t.teardown(lab.close);
  const id = await streetCaller(lab, '13900000103');
  const leg = await farEndAnswers(lab, id, 'street-a');
  lab.ari.finishPlaying(leg);
  const next = await lab.until('the next seat rings', () => lab.ari.ringingLegs().find((l) => l !== leg));
  t.notOk(lab.ari.channels.has(leg), 'the silent leg was hung up');
  t.match(screenings(lab, id), [{ seatId: 'street-a', outcome: 'missed', digit: null }]);
  t.equal(lab.seats.get('street-a')?.missedInRow, 1);

  // street-b picks up and hangs up while the whisper plays (a family member, a voicemail box)
  lab.ari.pickUp(next);
  await lab.until('screening b', () => lab.calls.query.get(id)?.state === 'screening');
  lab.ari.hangUp(next);
  await lab.until('back in the queue', () => lab.calls.query.get(id)?.state === 'queued');
  t.match(screenings(lab, id), [{ outcome: 'missed' }, { seatId: 'street-b', outcome: 'missed' }]);
  t.equal(lab.seats.get('street-b')?.missedInRow, 1);
  t.equal(lab.calls.core.deps.repo.get(id)?.seatAnsweredAt, null, 'nobody answered for the caller');
  t.equal(lab.ari.bridgeOf(id)?.type, 'holding');

  // the wallboard's street figures
  const s = { callflow: lab.calls.core.deps.callflow, now: Date.now, db: lab.db, seats: lab.seats, liveCalls: lab.calls.query } as unknown as Services;
  t.match(queueStats(s).find((q) => q.id === 'street')?.screeningToday, { offered: 2, accepted: 0, declined: 0, missed: 2 });
});

t.test('the caller hangs up during the whisper: not the seat\'s miss', async (t) => {
  const lab = await callLab({ seats: seats() });
  t.teardown(lab.close);
  const id = await streetCaller(lab, '13900000104');
  const leg = await farEndAnswers(lab, id, 'street-a');
  lab.ari.hangUp(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  await lab.until('leg hung up', () => !lab.ari.channels.has(leg));
  t.match(lab.seats.get('street-a'), { state: 'ready', missedInRow: 0 });
  t.match(screenings(lab, id), [{ outcome: 'abandoned' }]);
  t.equal(lab.calls.core.deps.repo.get(id)?.outcome, 'abandoned');
});

t.test('after-call work: off the desk, the whisper reads the ticket\'s summary; on the desk, it stays short', async (t) => {
  const lab = await callLab({ seats: seats() });
  t.teardown(lab.close);
  const id = await streetCaller(lab, '13900000105');
  const leg = await farEndAnswers(lab, id, 'street-a');
  const number = lab.tickets.get(lab.calls.query.get(id)!.ticketId)!.number;
  t.match(lab.ari.lastPlayed(leg), ['sound:screen/intro', 'sound:screen/category-community_life', 'sound:screen/sub-housekeeping', 'sound:screen/ticket-tail', `digits:${number.slice(-4)}`, 'sound:screen/press-1']);
  lab.ari.press(leg, '1');
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  lab.ari.hangUp(leg);
  await lab.until('survey', () => lab.calls.query.get(id)?.state === 'survey');
  // the ticket waits for the agent's after-call work where the desk and inbox look for it
  const ticket = lab.tickets.get(lab.calls.query.get(id)!.ticketId)!;
  t.match(ticket, { assignedSeatId: 'street-a', assignedStreet: STREET });

  lab.onDesk.add('street-b');
  const id2 = await streetCaller(lab, '13900000106');
  const leg2 = await farEndAnswers(lab, id2, 'street-b');
  t.same(lab.ari.lastPlayed(leg2), ['sound:screen/intro', 'sound:screen/category-community_life', 'sound:screen/press-1'], 'the desk pops the ticket: no summary');
  // every sound the whisper names is in the prompt list
  const manifest = readFileSync(new URL('../../sounds/manifest.tsv', import.meta.url), 'utf8');
  for (const m of [...lab.ari.lastPlayed(leg)!, ...lab.ari.lastPlayed(leg2)!].filter((x) => x.startsWith('sound:'))) t.match(manifest, `\n${m.slice(6)}\t`, `${m} is generated`);
});

t.test('a center seat is not screened; an operator\'s transfer to an outside number is', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const id = lab.ari.dial('13900000107')!;
  await lab.settle();
  lab.ari.press(id, '0');
  const leg = await lab.until('1001 rings', () => lab.ari.ringingLegs()[0]);
  lab.ari.pickUp(leg);
  await lab.until('connected at once', () => lab.calls.query.get(id)?.state === 'connected');
  t.notOk(lab.statesOf(id).includes('screening'), 'no whisper for a center seat');
  await lab.calls.transfer(id, { number: '02164009999' });
  const out = await lab.until('the outside number rings', () => lab.ari.ringingLegs().find((l) => lab.ari.endpointOf(l) === 'PJSIP/02164009999@street-gw'));
  lab.ari.pickUp(out);
  await lab.until('screening', () => lab.calls.query.get(id)?.state === 'screening');
  lab.ari.press(out, '1');
  await lab.until('connected to the outside number', () => lab.calls.query.get(id)?.state === 'connected' && lab.calls.query.get(id)?.seatId === 'number:02164009999');
  t.match(lab.calls.core.deps.repo.screeningsOf(id), [{ seatId: 'number:02164009999', outcome: 'accepted' }]);
});

t.test('a restart during the whisper: the far end hears it again and can still press 1', async (t) => {
  const lab = await callLab({ seats: seats() });
  const id = await streetCaller(lab, '13900000108');
  const leg = await farEndAnswers(lab, id, 'street-a');
  const before = lab.ari.played.get(leg)!.length;
  const next = await lab.restartServer();
  t.teardown(next.close);
  await next.until('the whisper plays again', () => lab.ari.played.get(leg)!.length > before);
  t.equal(next.calls.query.get(id)?.state, 'screening');
  t.equal(next.seats.get('street-a')?.state, 'ringing', 'the seat stays busy with the call');
  next.ari.press(leg, '1');
  await next.until('connected', () => next.calls.query.get(id)?.state === 'connected');
  t.same(next.ari.bridgeOf(id)?.channels.sort(), [id, leg].sort());
  t.match(next.calls.core.deps.repo.screeningsOf(id), [{ outcome: 'accepted' }], 'still one screening');
});
