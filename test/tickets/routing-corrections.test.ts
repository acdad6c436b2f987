// Correcting a route, cross-department cases, limits and extensions (#13, 第十五条), and
// looking a ticket up by its number (第十二条).
import t from 'tap';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { limitDeadline } from '../../src/tickets/limits.js';
import { deadlineCompliance } from '../../src/stats/deadlines.js';
import { DAY, MONDAY_9AM, setup } from './_fixtures.js';

const routedTicket = async (x: Awaited<ReturnType<typeof setup>>) => {
  const tk = x.ticket();
  await x.act(tk.id, 'classify', 'operator', { kind: 'routed' });
  return tk;
};

t.test('recall: the routing operator or a supervisor, before the handler accepts; back to open, route cleared, in the history', async (t) => {
  const x = await setup(t);
  const { act, get, events, clock } = x;
  const tk = await routedTicket(x);
  await act(tk.id, 'route', 'operator', { departmentId: 'd1', coHandlers: ['d2'], limit: { days: 20, unit: 'working', basis: '政府信息公开条例第三十三条' } });
  t.equal((await act(tk.id, 'recall', 'operator2', { reason: '派错部门' })).statusCode, 403, 'another operator may not');
  t.equal((await act(tk.id, 'recall', 'operator', {})).statusCode, 400, 'a reason is needed');
  const r = await act(tk.id, 'recall', 'operator', { reason: '派错部门，应派街道' });
  t.equal(r.statusCode, 200, r.body);
  const row = get(tk.id);
  t.match(row, { status: 'open', departmentId: null, assignedStreet: null, coHandlers: [], routedAt: null, contactDueAt: null, resolveDueAt: null, limitDays: null });
  t.equal(row.dueAt, row.routeDueAt, "the desk's own 2 working days to route apply again");
  t.match(events(tk.id).at(-1), { action: 'recall', fromStatus: 'routed', toStatus: 'open', reason: '派错部门，应派街道' });
  t.equal((await x.act(tk.id, 'accept', 'department')).statusCode, 404, 'the department no longer sees it');

  // by a supervisor, a ticket an operator routed
  clock.now += DAY;
  await act(tk.id, 'route', 'operator2', { street: 's1' });
  t.equal((await act(tk.id, 'recall', 'supervisor', { reason: '主管撤回' })).statusCode, 200);
  await act(tk.id, 'route', 'operator', { street: 's1' });
  await act(tk.id, 'accept', 'street_seat');
  const late = await act(tk.id, 'recall', 'operator', { reason: 'x' });
  t.equal(late.statusCode, 409, 'not once accepted: that is a re-route');
});

t.test('re-route: a supervisor, until resolved; the limits count from the new receipt', async (t) => {
  const x = await setup(t);
  const { act, get, events, clock } = x;
  const tk = await routedTicket(x);
  await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  await act(tk.id, 'accept', 'department');
  await act(tk.id, 'contact', 'department', { note: '已联系' });
  clock.now += 2 * DAY;
  t.equal((await act(tk.id, 'reroute', 'operator', { departmentId: 'd2', reason: 'x' })).statusCode, 403, 'operators recall; re-routing is for supervisors');
  t.equal((await act(tk.id, 'reroute', 'supervisor', { departmentId: 'd2' })).statusCode, 400, 'a reason is needed');
  const moved = clock.now;
  const r = await act(tk.id, 'reroute', 'supervisor', { departmentId: 'd2', reason: '该事项属二处职能' });
  t.equal(r.statusCode, 200, r.body);
  const row = get(tk.id);
  t.match(row, { status: 'routed', departmentId: 'd2', routedAt: moved, contactedAt: null });
  t.equal(row.contactDueAt, deadlineAfter(moved, 3), '3 working days from the new receipt');
  t.equal(row.resolveDueAt, deadlineAfter(moved, 10), '10 working days from the new receipt');
  t.match(events(tk.id).at(-1), { action: 'reroute', fromStatus: 'in_progress', toStatus: 'routed', reason: '该事项属二处职能' });
  t.equal((await act(tk.id, 'accept', 'department')).statusCode, 404, 'd1 lost it');
  t.equal((await act(tk.id, 'accept', 'department2')).statusCode, 200);
  await act(tk.id, 'contact', 'department2', { note: 'x' });
  await act(tk.id, 'resolve', 'department2', { result: '已办结' });
  t.equal((await act(tk.id, 'reroute', 'supervisor', { departmentId: 'd1', reason: 'x' })).statusCode, 409, 'not once resolved');
});

t.test('a bounced ticket can be reclassified; a bounced 12345 order returned', async (t) => {
  const x = await setup(t);
  const tk = await routedTicket(x);
  await x.act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  await x.act(tk.id, 'bounce', 'department', { reason: '不属于民政' });
  const r = await x.act(tk.id, 'classify', 'operator', { kind: 'collaborative' });
  t.equal(r.statusCode, 200, r.body);
  t.match(x.get(tk.id), { kind: 'collaborative', status: 'open' });
  const order = x.ticket({ source: '12345', externalOrderId: 'O-1', kind: 'routed', status: 'bounced' });
  t.equal((await x.act(order.id, 'return_to_12345', 'supervisor', { reason: '不属于民政' })).statusCode, 200);
});

t.test('lead and co-handlers: each co-handler sees the ticket and records its part; only the lead answers', async (t) => {
  const x = await setup(t);
  const { act, get, h, headers } = x;
  const tk = await routedTicket(x);
  const r = await act(tk.id, 'route', 'operator', { departmentId: 'd1', coHandlers: ['d2', 'd3'] });
  t.equal(r.statusCode, 200, r.body);
  t.same(r.json().coHandlers.map((c: { departmentId: string }) => c.departmentId), ['d2', 'd3']);
  const list = await h.app.inject({ url: '/api/tickets', headers: headers('department2') });
  t.same(list.json().items.map((i: { id: number }) => i.id), [tk.id], "the co-handler's list has it");
  const detail = await h.app.inject({ url: `/api/tickets/${tk.id}`, headers: headers('department2') });
  t.equal(detail.statusCode, 200);
  t.equal(detail.json().callerMasked, false, 'a co-handler works it: the caller in clear');
  t.same(detail.json().allowedActions ?? (await h.app.inject({ url: `/api/tickets/${tk.id}/actions`, headers: headers('department2') })).json().actions, ['record_part']);
  t.equal((await act(tk.id, 'accept', 'department2')).statusCode, 403, 'the co-handler does not accept for the lead');
  t.equal((await act(tk.id, 'record_part', 'department')).statusCode, 400);
  t.equal((await act(tk.id, 'record_part', 'department', { part: 'x' })).statusCode, 403, 'the lead is no co-handler');
  t.equal((await act(tk.id, 'accept', 'department')).statusCode, 200);
  const part = await act(tk.id, 'record_part', 'department2', { part: '二处已核实困难情况' });
  t.equal(part.statusCode, 200, part.body);
  t.match(get(tk.id).coHandlers, [{ departmentId: 'd2', part: '二处已核实困难情况' }, { departmentId: 'd3', part: null }]);
  await act(tk.id, 'contact', 'department', { note: '已联系' });
  t.equal((await act(tk.id, 'resolve', 'department2', { result: 'x' })).statusCode, 403);
  t.equal((await act(tk.id, 'resolve', 'department', { result: '牵头部门答复：已纳入救助' })).statusCode, 200);
});

t.test('提请市局办公室协调: a reason, the bureau office sees it and records its answer', async (t) => {
  const x = await setup(t);
  const { act, get, h, events } = x;
  const office = { role: 'department' as const, name: 'office', userId: 40, departmentId: 'office' };
  const tk = await routedTicket(x);
  await act(tk.id, 'route', 'operator', { departmentId: 'd1', coHandlers: ['d2'] });
  t.equal((await act(tk.id, 'request_coordination', 'department2', { reason: 'x' })).statusCode, 403, 'the lead asks, not a co-handler');
  const asked = await act(tk.id, 'request_coordination', 'department', { reason: '两处对职责划分有分歧' });
  t.equal(asked.statusCode, 200, asked.body);
  t.match(asked.json().coordination, { departmentId: 'office', reason: '两处对职责划分有分歧', answer: null });
  t.equal(get(tk.id).status, 'routed', 'the ticket stays where it is');
  const seen = await h.app.inject({ url: '/api/tickets', headers: h.auth(office) });
  t.same(seen.json().items.map((i: { id: number }) => i.id), [tk.id], 'the bureau office sees it');
  t.equal((await act(tk.id, 'answer_coordination', 'department', { answer: 'x' })).statusCode, 403, 'only the bureau office answers');
  const answer = await h.app.inject({ method: 'POST', url: `/api/tickets/${tk.id}/actions/answer_coordination`, headers: h.auth(office), payload: { answer: '由一处牵头，二处配合' } });
  t.equal(answer.statusCode, 200, answer.body);
  t.match(get(tk.id), { coordinationAnswer: '由一处牵头，二处配合' });
  t.match(events(tk.id).slice(-2).map((e) => [e.action, e.reason]), [['request_coordination', '两处对职责划分有分歧'], ['answer_coordination', '由一处牵头，二处配合']]);
  // no bureau office registered: a clear refusal
  x.s.registry.updateDepartment('office', { active: false });
  const other = await routedTicket(x);
  const r = await act(other.id, 'request_coordination', 'operator', { reason: 'x' });
  t.equal(r.statusCode, 409);
  t.match(r.json().message, /市局办公室/);
});

t.test('limits: a statutory limit longer than 10 working days, or in calendar days, with its legal basis', async (t) => {
  const x = await setup(t);
  const { act, get, clock } = x;
  const a = await routedTicket(x);
  const r = await act(a.id, 'route', 'operator', { departmentId: 'd1', limit: { days: 20, unit: 'working', basis: '《政府信息公开条例》第三十三条' } });
  t.equal(r.statusCode, 200, r.body);
  t.equal(get(a.id).resolveDueAt, deadlineAfter(clock.now, 20));
  t.equal(get(a.id).contactDueAt, deadlineAfter(clock.now, 3), 'contact stays 3 working days');
  t.match(r.json().limit, { days: 20, unit: 'working', basis: '《政府信息公开条例》第三十三条' });
  t.match(x.events(a.id).at(-1)!.data, { limit: { basis: '《政府信息公开条例》第三十三条' } }, 'the basis is in the history');

  const b = await routedTicket(x);
  await act(b.id, 'route', 'operator', { departmentId: 'd1', limit: { days: 60, unit: 'calendar', basis: '《信访工作条例》第三十二条' } });
  // 60 calendar days after Mon 2 March 2026 is Fri 1 May, a holiday: the period ends on the next working day
  t.equal(limitDeadline(MONDAY_9AM, 60, 'calendar').at, deadlineAfter(Date.parse('2026-05-01T04:00:00Z'), 1));
  t.equal(get(b.id).resolveDueAt, limitDeadline(clock.now, 60, 'calendar').at);
  t.equal(limitDeadline(MONDAY_9AM, 4, 'calendar').at, Date.parse('2026-03-06T15:59:59.999Z'), '4 calendar days: Friday');
  t.equal(limitDeadline(MONDAY_9AM, 5, 'calendar').at, Date.parse('2026-03-09T15:59:59.999Z'), 'ending on Saturday: Monday');

  // shorter than the contact limit: both due by then
  const c = await routedTicket(x);
  await act(c.id, 'route', 'operator', { departmentId: 'd1', limit: { days: 1, unit: 'working', basis: '承诺当日回复' } });
  t.equal(get(c.id).contactDueAt, deadlineAfter(clock.now, 1));
  t.equal(get(c.id).resolveDueAt, deadlineAfter(clock.now, 1));
});

t.test('extensions: the handler asks with a reason, a supervisor grants (new due date) or refuses; recorded; in the deadline statistics', async (t) => {
  const x = await setup(t);
  const { act, get, clock, events, s } = x;
  const tk = await routedTicket(x);
  await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  t.equal((await act(tk.id, 'request_extension', 'department', { days: 5, reason: 'x' })).statusCode, 409, 'accept first');
  await act(tk.id, 'accept', 'department');
  await act(tk.id, 'contact', 'department', { note: 'x' });
  const due = get(tk.id).resolveDueAt!;
  const ask = await act(tk.id, 'request_extension', 'department', { days: 5, reason: '需要现场核查' });
  t.equal(ask.statusCode, 200, ask.body);
  t.match(ask.json().extensionRequest, { days: 5, unit: 'working', reason: '需要现场核查', by: 'civil-d1' });
  t.equal((await act(tk.id, 'grant_extension', 'department', {})).statusCode, 403, 'not their own');
  const refused = await act(tk.id, 'refuse_extension', 'supervisor', { reason: '时限内可以办结' });
  t.equal(refused.statusCode, 200);
  t.equal(get(tk.id).resolveDueAt, due, 'refused: the due date stands');
  t.equal(get(tk.id).extensionRequest, null);

  await act(tk.id, 'request_extension', 'department', { days: 5, reason: '仍需现场核查' });
  const granted = await act(tk.id, 'grant_extension', 'supervisor', { days: 3, note: '同意延期3个工作日' });
  t.equal(granted.statusCode, 200, granted.body);
  t.equal(get(tk.id).resolveDueAt, deadlineAfter(due, 3), 'a supervisor may grant fewer days; the new date runs on from the old');
  t.equal(get(tk.id).dueAt, get(tk.id).resolveDueAt);
  t.equal(get(tk.id).extensionCount, 1);
  t.same(events(tk.id).slice(-3).map((e) => [e.action, e.reason]), [['refuse_extension', '时限内可以办结'], ['request_extension', '仍需现场核查'], ['grant_extension', '同意延期3个工作日']]);

  // resolved after the old date, before the new one: on time in the deadline statistics
  clock.now = due + DAY;
  await act(tk.id, 'resolve', 'department', { result: '已办结' });
  const day = (ms: number) => ({ from: '', to: '', days: 60, start: ms - 30 * DAY, end: ms + 30 * DAY });
  const report = deadlineCompliance(s.db, day(due), clock.now);
  t.match(report.departments.find((d) => d.departmentId === 'd1'), { due: 1, onTime: 1, late: 0 });
});

t.test('GET /api/tickets?number= finds exactly that ticket, in scope; a malformed number is a 400 naming it', async (t) => {
  const x = await setup(t);
  const { h, headers } = x;
  const a = x.ticket();
  x.ticket();
  const r = await h.app.inject({ url: `/api/tickets?number=${a.number}`, headers: headers('operator') });
  t.equal(r.statusCode, 200);
  t.same(r.json().items.map((i: { id: number }) => i.id), [a.id]);
  t.equal(r.json().total, 1);
  t.same((await h.app.inject({ url: '/api/tickets?number=962200-20260302-999999', headers: headers('operator') })).json(), { items: [], total: 0 });
  t.same((await h.app.inject({ url: `/api/tickets?number=${a.number}`, headers: headers('department') })).json().items, [], 'not theirs: not found');
  const bad = await h.app.inject({ url: '/api/tickets?number=20260302-1', headers: headers('operator') });
  t.equal(bad.statusCode, 400);
  t.match(bad.json().message, /number/);
});
