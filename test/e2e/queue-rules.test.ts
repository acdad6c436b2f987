import t from 'tap';
import { citizen, fastQueues, setSeat, shortWaitQueues, ticketOf } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, seatPhone, startHotline, waitFor } from '../helpers/telephony.js';
import { shanghaiMinuteOfDay } from '../../src/shared/time.js';
import { signFor } from '../helpers/users.js';

ensureAsterisk();

/** A one-minute opening 12 hours from now: the hotline is closed for this test, whatever the hour. */
function closedHours(): string {
  const m = (shanghaiMinuteOfDay(Date.now()) + 720) % 1440;
  const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  return m >= 1439 ? '00:00-00:01' : `${hhmm(m)}-${hhmm(m + 1)}`;
}

t.test('after hours: the closed message, then a voice message that becomes a callback ticket', async (t) => {
  const h = await startHotline({ env: fastQueues, businessHours: closedHours() });
  t.teardown(h.close);
  const caller = citizen();
  // closed (12 s) + leave a message (19 s), then the recording. sipp sends no voice, so
  // Asterisk ends the recording at once ("no audio"); a phone's microphone would keep it going
  const r = await placeCall({ from: caller, steps: [{ awaitBye: true }], timeoutMs: 90_000 });
  t.equal(r.code, 0, 'the hotline thanked the caller and hung up');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.outcome, 'voicemail');
  t.match(ticket.call.voicemailName, /^vm-/);
  t.equal(ticket.needsCallback, true);
  t.ok(ticket.events.some((e: { action: string }) => e.action === 'voice_message'), 'the message is on the ticket');
  const file = await h.app.services.ari!.rest.storedRecording(ticket.call.voicemailName);
  t.equal(file.status, 200, 'the recording is stored');
});

t.test('maximum wait: press 1 to keep the place and be called back', async (t) => {
  // a short menu: no input x3 takes the caller to the operator queue without a digit,
  // so the 1 below is the call's first (sipp's DTMF pcaps only register in rising order)
  const h = await startHotline({ env: { ...shortWaitQueues, IVR_CONFIG: new URL('../fixtures/ivr-short.json', import.meta.url).pathname } });
  t.teardown(h.close);
  const caller = citizen();
  const queued = placeCall({ from: caller, steps: [{ pause: 26_000 }, { dtmf: '1' }, { awaitBye: true }], timeoutMs: 70_000 });
  const waiting = await ticketOf(h, caller, (t) => !!t.call?.enqueuedAt);
  t.equal(waiting.call.queue, 'operator');
  const r = await queued;
  t.equal(r.code, 0, 'the hotline confirmed and hung up');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.outcome, 'callback');
  t.equal(ticket.needsCallback, true);
  t.ok(ticket.events.some((e: { action: string }) => e.action === 'callback_requested'));
});

t.test('maximum wait: a queue set to overflow moves the caller to its overflow queue', async (t) => {
  const h = await startHotline({ env: shortWaitQueues });
  t.teardown(h.close);
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '12' }, { pause: 14_000 }] });
  t.equal(r.code, 0);
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.queue, 'operator', 'overflowed from consultation to operator');
  t.equal(ticket.category, 'consultation', 'the IVR choice is kept');
});

t.test('a seat that misses calls twice in a row goes not ready', async (t) => {
  const h = await startHotline({ env: shortWaitQueues });
  t.teardown(h.close);
  await setSeat(h, '1010', 'ready');
  const phone = seatPhone({ port: 6010, noAnswer: true, calls: 2 });
  const a = citizen();
  const b = citizen();
  const first = placeCall({ from: a, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 9000 }] });
  await ticketOf(h, a, (t) => !!t.call?.offeredAt);
  const second = placeCall({ from: b, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 9000 }] });
  const seat = await waitFor('seat 1010 not ready', async () => {
    const s = (await h.app.inject({ url: '/api/seats', headers: h.supervisor })).json().items.find((x: { id: string }) => x.id === '1010');
    return s.state === 'not_ready' ? s : null;
  }, 30_000);
  t.equal(seat.reasonCode, 'missed_in_row', 'a code, not a sentence');
  t.equal(seat.reason, null);
  t.equal(seat.missedInRow, 2);
  await Promise.all([first, second, phone.done]);
});

t.test('an operator transfers a live call to another seat', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, '1001', 'ready');
  const first = seatPhone({ port: 6001, ringMs: 200 });
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 16_000 }] });
  const connected = await ticketOf(h, caller, (t) => t.call?.seatId === '1001' && !!t.call?.seatAnsweredAt);
  await setSeat(h, '1002', 'ready');
  const second = seatPhone({ port: 6002, ringMs: 200 });
  const op1 = { authorization: `Bearer ${signFor(h.app, { name: 'op1', role: 'operator', userId: 2, seatId: '1001' })}` };
  const bad = await h.app.inject({ method: 'POST', url: `/api/calls/${connected.call.channelId}/transfer`, headers: op1, payload: { queue: 'nowhere' } });
  t.equal(bad.statusCode, 400, 'an unknown queue is refused');
  const r = await h.app.inject({ method: 'POST', url: `/api/calls/${connected.call.channelId}/transfer`, headers: op1, payload: { seatId: '1002' } });
  t.equal(r.statusCode, 202);
  t.equal((await first.done).code, 0, 'seat 1001 was released');
  t.equal((await call).code, 0);
  t.equal((await second.done).code, 0, 'seat 1002 took the call');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1002');
  t.equal(ticket.call.outcome, 'answered');
  t.ok(ticket.events.some((e: { action: string }) => e.action === 'call_transferred'));
  // one recording of the call: the second seat's part appended to the first's (MixMonitor a)
  const recording = await waitFor('the recording stored', async () => {
    const res = await h.app.services.ari!.rest.storedRecording(ticket.call.recordingName);
    return res.status === 200 ? res : null;
  });
  const seconds = ((await recording.arrayBuffer()).byteLength - 44) / 16000;
  t.ok(seconds > 9, `both seats' talk in the one file: ${seconds.toFixed(1)} s`);
});

t.test('a waiting caller hears their position and the expected wait, in Mandarin numbers', async (t) => {
  const h = await startHotline({ env: fastQueues }); // announcements every 20 s
  t.teardown(h.close);
  const heard: string[][] = [];
  // what the server asks Asterisk to play (the server subscribes to no PlaybackStarted)
  const rest = h.app.services.ari!.rest;
  const play = rest.play.bind(rest);
  rest.play = (channelId, playbackId, media, lang) => {
    const list = Array.isArray(media) ? media : [media];
    if (list.some((m) => m.includes('queue/position-before'))) heard.push(list);
    return play(channelId, playbackId, media, lang);
  };
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 23_000 }] });
  t.equal(r.code, 0);
  t.equal(heard.length, 1, 'one announcement in 20 s of waiting');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.queue, 'operator');
});
