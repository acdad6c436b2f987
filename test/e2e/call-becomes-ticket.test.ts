import t from 'tap';
import { ensureAsterisk, placeCall, startHotline, waitFor } from '../helpers/telephony.js';

ensureAsterisk();

t.test('a real call from 13800138000 to 962200 becomes a ticket', async (t) => {
  const h = await startHotline();
  t.teardown(h.close);

  const before = Date.now();
  const call = await placeCall({ from: '13800138000', steps: [{ pause: 2500 }] });
  t.equal(call.code, 0, `sipp call succeeded ${call.stderr}`);

  const ticket = await waitFor('ticket with an ended call', async () => {
    const list = (await h.app.inject({ url: '/api/tickets?callerNumber=13800138000', headers: h.supervisor })).json();
    if (list.total !== 1) return null;
    const detail = (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json();
    return detail.call?.endedAt ? detail : null;
  });

  t.match(ticket.number, /^962200-\d{8}-\d{6}$/);
  t.equal(ticket.source, 'phone');
  t.equal(ticket.callerNumber, '13800138000');
  t.ok(ticket.call.channelId, 'channel id recorded');
  t.equal(ticket.call.dialedNumber, '962200');
  t.ok(Date.parse(ticket.call.answeredAt) >= before - 1000, 'answer time');
  const held = Date.parse(ticket.call.endedAt) - Date.parse(ticket.call.answeredAt);
  t.ok(held >= 1500 && held < 10_000, `end after the caller's 2.5 s (${held} ms)`);
  t.equal(ticket.call.outcome, 'abandoned', 'nobody answered: callback');
  t.equal(ticket.needsCallback, true);
  t.same(ticket.events.map((e: { action: string }) => e.action), ['created', 'call_ended']);
});
