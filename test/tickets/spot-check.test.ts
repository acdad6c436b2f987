// 抽查回访 (第二十一条): the operator who takes a drawn ticket's callback sees the number
// (audited), records the result on the closed ticket, and no one else can.
import t from 'tap';
import { PEOPLE, setup } from './_fixtures.js';

t.test('a spot-check callback: taken by one operator, who sees the number and records the result', async (t) => {
  const { h, act, ticket, get, s } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'closed', needsCallback: true, assignedUserId: 99, callerNumber: '13912345678' });
  const view = async (who: 'operator' | 'operator2') => (await h.app.inject({ url: `/api/tickets/${tk.id}`, headers: h.auth(PEOPLE[who]) })).json();
  t.equal((await view('operator')).callerNumber, '139******78', 'masked before taking it');
  t.equal((await act(tk.id, 'spot_check', 'operator', { satisfaction: 'satisfied' })).statusCode, 409, 'not before taking it');

  const taken = await act(tk.id, 'take_spot_check', 'operator');
  t.equal(taken.statusCode, 200, taken.body);
  t.equal(taken.json().callerNumber, '13912345678', 'the number in clear for the operator drawn');
  t.equal(get(tk.id).callbackUserId, 11);
  t.equal(get(tk.id).assignedUserId, 99, 'the ticket stays with whoever worked it');
  t.equal((await view('operator')).callerNumber, '13912345678');
  t.equal((await view('operator2')).callerNumber, '139******78', 'another operator still sees it masked');
  const audit = s.db.$client.prepare(`select count(*) as n from audit_log where ticket_id = ? and action = 'caller_unmasked' and username = 'op1'`).get(tk.id) as { n: number };
  t.ok(audit.n >= 2, `every read in clear is audited (${audit.n})`);

  t.equal((await act(tk.id, 'take_spot_check', 'operator2')).statusCode, 409, 'taken already');
  t.match((await act(tk.id, 'spot_check', 'operator2', { satisfaction: 'fair' })).json().message, /只有认领该抽查回访的话务员/);
  t.equal((await act(tk.id, 'spot_check', 'supervisor', { satisfaction: 'fair' })).statusCode, 403, 'not the supervisor either');
  t.equal((await act(tk.id, 'spot_check', 'department', { satisfaction: 'fair' })).statusCode, 404);
  t.equal(get(tk.id).needsCallback, true, 'nothing recorded by the others');

  const done = await act(tk.id, 'spot_check', 'operator', { satisfaction: 'fair', note: '市民基本满意' });
  t.equal(done.statusCode, 200, done.body);
  t.same([get(tk.id).satisfaction, get(tk.id).needsCallback, get(tk.id).status], ['fair', false, 'closed'], 'the result on the closed ticket');
  t.equal((await view('operator')).callerNumber, '139******78', 'masked again once the callback is done');
  t.equal((await act(tk.id, 'spot_check', 'operator', { satisfaction: 'fair' })).statusCode, 409, 'once');
  t.equal((await act(tk.id, 'take_spot_check', 'operator')).statusCode, 409);
  const rated = s.db.$client.prepare(`select channel, rating, unit_kind as unitKind from satisfaction_ratings where ticket_id = ?`).all(tk.id);
  t.same(rated, [{ channel: 'spot_check', rating: 'fair', unitKind: 'center' }], 'counted for the satisfaction statistics as it is given');
  const e = s.tickets.events(tk.id).map((x) => x.action);
  t.same(e.slice(-2), ['take_spot_check', 'spot_check'], 'both in the history');
});
