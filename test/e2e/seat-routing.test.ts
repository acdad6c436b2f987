import t from 'tap';
import { citizen, fastQueues, setSeat, talkBridgeOf, ticketOf } from '../helpers/calls.js';
import { asteriskCli, ensureAsterisk, placeCall, seatPhone, startHotline, waitFor } from '../helpers/telephony.js';

// Seat routing end to end: real calls from sipp citizens to sipp seat phones
// (1001 -> 127.0.0.1:6001 ..., street-gw -> 127.0.0.1:5082) through the real Asterisk.

ensureAsterisk();

t.test('a seat answers: bridged, recorded; it hangs up and the caller rates the call', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, '1001', 'ready');
  const seat = seatPhone({ port: 6001, ringMs: 300, talkMs: 3000 });
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 9500 }, { dtmf: '3' }, { awaitBye: true }] });
  const connected = await ticketOf(h, caller, (t) => !!t.call?.seatAnsweredAt);
  const bridgeId = await waitFor('the caller in a talk bridge', () => talkBridgeOf(h, connected.call.channelId));
  const bridge = await waitFor('a bridge with caller and seat', async () => {
    const b = await h.app.services.ari!.rest.getBridge(bridgeId);
    return b.channels.length === 2 ? b : null;
  });
  // recorded by MixMonitor on the seat leg, not by a recorder channel in the bridge:
  // two parties, relayed (simple_bridge with an audiohook, native_rtp without), never softmix
  t.match(bridge.technology, /^(simple_bridge|native_rtp)$/, `2-party technology: ${bridge.technology}`);
  t.ok(bridge.channels.includes(connected.call.channelId), 'the caller and the seat');
  const shown = asteriskCli(`bridge show ${bridgeId}`);
  t.match(shown, /Num-Channels: 2/, 'bridge show: 2 channels');
  t.notMatch(shown, /Recorder\//, 'no recorder channel');
  t.equal((await seat.done).code, 0, 'seat answered and hung up');
  t.equal((await call).code, 0, 'caller rated and the hotline hung up');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1001');
  t.equal(ticket.call.outcome, 'answered');
  t.equal(ticket.call.rating, 'unsatisfied');
  t.equal(ticket.satisfaction, 'unsatisfied');
  t.equal(ticket.flaggedForSupervisor, true, 'unsatisfied -> flagged for a supervisor');
  t.equal(ticket.needsCallback, false);
  t.match(ticket.call.recordingName, /^call-/);
  t.ok(ticket.call.talkSeconds >= 2, 'talk time');
  t.ok(ticket.call.waitSeconds !== null, 'wait time');
  const recording = await waitFor('the recording stored', async () => {
    const r = await h.app.services.ari!.rest.storedRecording(ticket.call.recordingName);
    return r.status === 200 ? r : null;
  });
  t.equal(recording.status, 200, 'the recording is stored in Asterisk');
  // 8 kHz 16-bit WAV: about the 3 s the seat talked
  const seconds = ((await recording.arrayBuffer()).byteLength - 44) / 16000;
  t.ok(seconds > 1.5 && seconds < 5, `the recording lasts about the talk: ${seconds.toFixed(1)} s`);
  const seats = (await h.app.inject({ url: '/api/seats', headers: h.supervisor })).json();
  t.match(seats.items.find((s: { id: string }) => s.id === '1001').state, /wrap_up|ready/);
  // kept, empty, for the next call (calls/talk-bridges.ts): no bridge made and destroyed per call
  const kept = await waitFor('the talk bridge empty', async () => {
    const b = await h.app.services.ari!.rest.getBridge(bridgeId);
    return b.channels.length === 0 ? b : null;
  });
  t.equal(kept.id, bridgeId, 'the talk bridge stays for the next call');
});

t.test('a seat that does not answer is skipped; one that rejects (486) is skipped', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  // ready in this order: 1003 has waited longest, then 1004, then 1005
  await setSeat(h, '1003', 'ready');
  await new Promise((r) => setTimeout(r, 20));
  await setSeat(h, '1004', 'ready');
  await new Promise((r) => setTimeout(r, 20));
  await setSeat(h, '1005', 'ready');
  const noAnswer = seatPhone({ port: 6003, noAnswer: true });
  const busy = seatPhone({ port: 6004, reject: 486 });
  const answers = seatPhone({ port: 6005, ringMs: 200 });
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 15_000 }] });
  t.equal(r.code, 0);
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1005', 'the third seat took it');
  t.equal(ticket.call.outcome, 'answered');
  t.equal((await noAnswer.done).code, 0, '1003 rang out');
  t.equal((await busy.done).code, 0, '1004 said busy');
  t.equal((await answers.done).code, 0);
  const seats = (await h.app.inject({ url: '/api/seats', headers: h.supervisor })).json().items as Array<{ id: string; missedInRow: number }>;
  t.equal(seats.find((s) => s.id === '1003')!.missedInRow, 1);
  t.equal(seats.find((s) => s.id === '1004')!.missedInRow, 1);
});

t.test('the caller hangs up while the seat rings: abandoned, the seat is free again', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, '1006', 'ready');
  const seat = seatPhone({ port: 6006, noAnswer: true });
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 2500 }] }); // before the 4 s ring timeout
  t.equal(r.code, 0);
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.outcome, 'abandoned');
  t.equal(ticket.needsCallback, true);
  t.ok(ticket.call.offeredAt, 'it was offered to a seat');
  t.equal((await seat.done).code, 0, 'the seat saw the ringing stop');
  const s = (await h.app.inject({ url: '/api/seats', headers: h.supervisor })).json().items.find((x: { id: string }) => x.id === '1006');
  t.equal(s.state, 'ready');
  t.equal(s.missedInRow, 0, 'not counted as a miss');
});

t.test("community life from a caller whose street is known reaches that street's remote seat through street-gw", async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const caller = citizen();
  // an earlier ticket tells us the caller lives in 田林街道
  h.app.services.tickets.create({ source: 'manual', callerNumber: caller, street: 'xuhui-tianlin' }, { name: 'test', role: 'operator' });
  await setSeat(h, 'street-xuhui-tianlin', 'ready');
  await setSeat(h, '1007', 'ready'); // a center seat that must NOT get it
  // a street seat is screened: the far end presses 1 during the whisper (test/e2e/remote-seats.test.ts)
  const gw = seatPhone({ port: 5082, ringMs: 200, press: { afterMs: 1000, digit: '1' } });
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '2' }, { pause: 600 }, { dtmf: '3' }, { pause: 8000 }] });
  t.equal(r.code, 0);
  t.equal((await gw.done).code, 0, 'street-gw rang and answered');
  const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}&source=phone`, headers: h.supervisor })).json();
  const ticket = (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json();
  t.equal(ticket.call.queue, 'street');
  t.equal(ticket.call.seatId, 'street-xuhui-tianlin');
  t.equal(ticket.subcategory, 'housekeeping');
  t.equal(ticket.assignedStreet, 'xuhui-tianlin');
});

t.test('emergency jumps ahead of waiting callers', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const first = citizen();
  const urgent = citizen();
  const alerts: unknown[] = [];
  h.app.services.bus.on('emergency', (e) => alerts.push(e));
  const waitingCall = placeCall({ from: first, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 16_000 }] });
  await ticketOf(h, first, (t) => !!t.call?.enqueuedAt);
  const urgentCall = placeCall({ from: urgent, steps: [{ pause: 800 }, { dtmf: '9' }, { pause: 9000 }] });
  await ticketOf(h, urgent, (t) => !!t.call?.enqueuedAt);
  const seat = seatPhone({ port: 6008, ringMs: 200 });
  await seat.listening;
  await setSeat(h, '1008', 'ready');
  t.equal((await urgentCall).code, 0);
  t.equal((await waitingCall).code, 0);
  await seat.done;
  const u = await ticketOf(h, urgent);
  const f = await ticketOf(h, first);
  t.equal(u.call.seatId, '1008', 'the emergency caller got the seat');
  t.equal(f.call.outcome, 'abandoned', 'the earlier caller was still waiting');
  t.equal(alerts.length, 1, 'the supervisor was alerted');
});

t.test('server restart with a caller waiting in queue: the caller is still served after', async (t) => {
  const first = await startHotline({ env: fastQueues });
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 15_000 }] });
  await ticketOf(first, caller, (t) => !!t.call?.enqueuedAt);
  await first.app.close(); // the caller stays in Asterisk's holding bridge

  const h = await startHotline({ env: fastQueues, dbPath: first.dbPath });
  t.teardown(h.close);
  const seat = seatPhone({ port: 6009, ringMs: 200 });
  await seat.listening;
  await setSeat(h, '1009', 'ready');
  t.equal((await call).code, 0);
  t.equal((await seat.done).code, 0, 'seat 1009 answered the resumed call');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1009');
  t.equal(ticket.call.outcome, 'answered');
  const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}`, headers: h.supervisor })).json();
  t.equal(list.total, 1, 'still one ticket for the call');
});
