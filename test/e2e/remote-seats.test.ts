import t from 'tap';
import { DEMO_SEAT_PIN } from '../../src/seed/demo.js';
import { citizen, fastQueues, setSeat, talkBridgeOf } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, seatPhone, startHotline, waitFor, type Hotline } from '../helpers/telephony.js';
import { signFor } from '../helpers/users.js';

// Remote (street) seats end to end, with sipp as the street gateway (127.0.0.1:5082):
// the far end hears the whisper and must press 1; the seat-state phone line (962201).

ensureAsterisk();

const STREET = 'xuhui-tianlin';
const SEAT = `street-${STREET}`;
/** the demo seat's outside number (src/seed/streets.ts) */
const SEAT_NUMBER = '02164001001';

/** A caller known on 田林街道 who picks 社区生活 → 家政服务: the street queue. */
function streetCall(h: Hotline, holdMs: number) {
  const caller = citizen();
  h.app.services.tickets.create({ source: 'manual', callerNumber: caller, street: STREET }, { name: 'test', role: 'operator' });
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '2' }, { pause: 600 }, { dtmf: '3' }, { pause: holdMs }] });
  return { caller, call };
}

const phoneTicket = async (h: Hotline, caller: string, done?: (t: any) => boolean) => {
  const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}&source=phone`, headers: h.supervisor })).json();
  const id = list.items[0]?.id;
  if (!id) return null;
  const ticket = (await h.app.inject({ url: `/api/tickets/${id}`, headers: h.supervisor })).json();
  return !done || done(ticket) ? ticket : null;
};
const ticketWhen = (h: Hotline, caller: string, done: (t: any) => boolean) => waitFor(`ticket of ${caller}`, () => phoneTicket(h, caller, done), 40_000);
const streetFigures = async (h: Hotline) => (await h.app.inject({ url: '/api/queues', headers: h.supervisor })).json().items.find((q: { id: string }) => q.id === 'street').screeningToday;

t.test('accepts with 1: the citizen waits with hold music during the whisper, then is bridged; answered when 1 was pressed', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, SEAT, 'ready');
  const gw = seatPhone({ port: 5082, ringMs: 200, press: { afterMs: 2500, digit: '1' } });
  t.teardown(gw.stop);
  const { caller, call } = streetCall(h, 9000);
  const offered = await ticketWhen(h, caller, (x) => !!x.call?.offeredAt);
  const channelId = offered.call.channelId as string;
  await waitFor('screening', () => h.app.services.liveCalls.get(channelId)?.state === 'screening');
  const holding = await h.app.services.ari!.rest.getBridge('hotline-holding');
  t.ok(holding.channels.includes(channelId), 'the citizen is in the holding bridge (hold music) while the seat hears the whisper');
  await waitFor('connected', () => h.app.services.liveCalls.get(channelId)?.state === 'connected');
  const bridge = await waitFor('the mixing bridge with both', async () => {
    const b = await h.app.services.ari!.rest.getBridge((await talkBridgeOf(h, channelId)) ?? 'none');
    return b.channels.length === 2 ? b : null;
  });
  t.equal(bridge.bridge_type, 'mixing', 'bridged with the seat');
  t.equal((await call).code, 0);
  t.equal((await gw.done).code, 0, 'the gateway answered, pressed 1 and was hung up at the end');
  const ticket = await ticketWhen(h, caller, (x) => !!x.call?.endedAt);
  t.equal(ticket.call.seatId, SEAT, 'the call row says who took it');
  t.equal(ticket.call.outcome, 'answered');
  t.equal(ticket.assignedSeatId, SEAT, 'the ticket says who took it');
  const [screening] = h.app.services.calls.screeningsOf(channelId);
  t.match(screening, { seatId: SEAT, outcome: 'accepted', digit: '1', queue: 'street' });
  const answeredAt = Date.parse(ticket.call.seatAnsweredAt);
  t.ok(answeredAt - screening.startedAt >= 2000, `answered when 1 was pressed (${answeredAt - screening.startedAt} ms after the far end picked up)`);
  t.ok(Math.abs(answeredAt - screening.endedAt!) < 1000, 'at the moment of the key');
  const answered = ticket.events.find((e: { action: string }) => e.action === 'call_answered');
  t.match(answered?.data, { seatId: SEAT, screened: true }, "the ticket's history: taken by the street seat after the whisper");
  // after-call work: the ticket is in the remote agent's own inbox
  const agent = { authorization: `Bearer ${signFor(h.app, { name: SEAT, role: 'street_seat', street: STREET, seatId: SEAT })}` };
  const inbox = (await h.app.inject({ url: '/api/tickets', headers: agent })).json();
  t.ok(inbox.items.some((x: { id: number }) => x.id === ticket.id), "in the remote agent's inbox");
  t.match(await streetFigures(h), { offered: 1, accepted: 1, declined: 0, missed: 0 });
});

t.test('presses 2: declined, the gateway is hung up, nobody answered for the citizen', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, SEAT, 'ready');
  const gw = seatPhone({ port: 5082, ringMs: 200, press: { afterMs: 1500, digit: '2' } });
  t.teardown(gw.stop);
  const { caller, call } = streetCall(h, 8000);
  t.equal((await gw.done).code, 0, 'the hotline hung up the declining far end');
  t.equal((await call).code, 0);
  const ticket = await ticketWhen(h, caller, (x) => !!x.call?.endedAt);
  t.equal(ticket.call.seatAnsweredAt, null, 'not answered');
  t.equal(ticket.call.outcome, 'abandoned');
  t.equal(ticket.needsCallback, true);
  t.match(h.app.services.calls.screeningsOf(ticket.call.channelId), [{ seatId: SEAT, outcome: 'declined', digit: '2' }]);
  t.equal(h.app.services.seats.get(SEAT)?.missedInRow, 1, 'a miss, counted as today');
  t.match(await streetFigures(h), { offered: 1, accepted: 0, declined: 1, missed: 0 });
});

t.test('never presses: missed after the whisper and the wait for a key', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, SEAT, 'ready');
  const gw = seatPhone({ port: 5082, ringMs: 200 });
  t.teardown(gw.stop);
  const { caller, call } = streetCall(h, 26_000);
  t.equal((await gw.done).code, 0, 'the hotline hung up the silent far end');
  const ticket = await ticketWhen(h, caller, (x) => h.app.services.calls.screeningsOf(x.call?.channelId ?? '').some((s) => s.outcome));
  t.match(h.app.services.calls.screeningsOf(ticket.call.channelId), [{ seatId: SEAT, outcome: 'missed', digit: null }]);
  t.equal(h.app.services.seats.get(SEAT)?.missedInRow, 1);
  t.equal((await call).code, 0);
  const done = await ticketWhen(h, caller, (x) => !!x.call?.endedAt);
  t.equal(done.call.seatAnsweredAt, null);
  t.match(await streetFigures(h), { offered: 1, accepted: 0, declined: 0, missed: 1 });
});

t.test('hangs up during the whisper (a voicemail, a family member): missed, not answered', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, SEAT, 'ready');
  const gw = seatPhone({ port: 5082, ringMs: 200, talkMs: 1500 });
  t.teardown(gw.stop);
  const { caller, call } = streetCall(h, 7000);
  t.equal((await gw.done).code, 0, 'the far end hung up');
  t.equal((await call).code, 0);
  const ticket = await ticketWhen(h, caller, (x) => !!x.call?.endedAt);
  t.equal(ticket.call.seatAnsweredAt, null, 'the citizen was never bridged to it');
  t.equal(ticket.call.outcome, 'abandoned');
  t.match(h.app.services.calls.screeningsOf(ticket.call.channelId), [{ seatId: SEAT, outcome: 'missed' }]);
  t.equal(h.app.services.seats.get(SEAT)?.missedInRow, 1);
  t.match(await streetFigures(h), { offered: 1, missed: 1 });
});

t.test('seat state by phone: the PIN, then 就绪 and 示忙 by digits; three wrong PINs hang up, logged', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  t.equal(h.app.services.seats.get(SEAT)?.state, 'logged_out');
  const ok = await placeCall({ from: SEAT_NUMBER, to: '962201', steps: [{ pause: 1000 }, { keys: `${DEMO_SEAT_PIN}#` }, { pause: 1500 }, { keys: '1' }, { pause: 1500 }, { keys: '2' }, { pause: 1500 }] });
  t.equal(ok.code, 0);
  const seat = h.app.services.seats.get(SEAT)!;
  t.match(seat, { state: 'not_ready', reasonCode: 'manual' }, 'ready, then not ready, set by phone');
  const audit = (await h.app.inject({ url: '/api/audit?action=seat_state', headers: h.supervisor })).json();
  t.match(
    audit.items.map((a: { detail: string }) => a.detail).sort(),
    [/logged_out → ready（电话）/, /ready → not_ready（电话）/],
    'audited as the desk is',
  );

  const bad = await placeCall({ from: SEAT_NUMBER, to: '962201', steps: [{ pause: 1000 }, { keys: '1111#' }, { pause: 800 }, { keys: '2222#' }, { pause: 800 }, { keys: '3333#' }, { awaitBye: true }] });
  t.equal(bad.code, 0, 'the line hung up after the third wrong PIN');
  const locked = (await h.app.inject({ url: '/api/audit?action=seat_phone_locked', headers: h.supervisor })).json();
  t.equal(locked.total, 1, 'the lock-out is logged');
  t.match(locked.items[0].detail, /3 次/);
  t.equal(h.app.services.seats.get(SEAT)?.state, 'not_ready', 'nothing changed');
});
