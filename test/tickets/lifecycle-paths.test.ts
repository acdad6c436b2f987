import t from 'tap';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { DAY, setup } from './_fixtures.js';

t.test('immediate: answered on the call', async (t) => {
  const { act, ticket, get, events } = await setup(t);
  const tk = ticket();
  t.equal((await act(tk.id, 'classify', 'operator', { kind: 'immediate', category: 'consultation', subcategory: 'social_assistance' })).statusCode, 200);
  const r = await act(tk.id, 'answer', 'operator', { reply: '低保申请请到街道社区事务受理中心办理' });
  t.equal(r.statusCode, 200, r.body);
  t.equal(r.json().status, 'closed');
  t.equal(get(tk.id).reply, '低保申请请到街道社区事务受理中心办理');
  t.ok(get(tk.id).closedAt);
  t.same(events(tk.id).map((e) => e.action), ['created', 'classify', 'answer']);
});

t.test('immediate: draft, sent back, redrafted, approved, reply given', async (t) => {
  const { act, ticket, get } = await setup(t);
  const tk = ticket({ kind: 'immediate' });
  t.equal((await act(tk.id, 'draft_reply', 'operator', { draft: 'first try' })).json().status, 'in_review');
  const back = await act(tk.id, 'send_back', 'supervisor', { reason: 'cite the policy' });
  t.equal(back.json().status, 'sent_back');
  t.equal((await act(tk.id, 'draft_reply', 'operator', { draft: 'per 沪民规 2019-1 ...' })).json().status, 'in_review');
  t.equal((await act(tk.id, 'approve', 'supervisor')).json().status, 'approved');
  const done = await act(tk.id, 'give_reply', 'operator');
  t.equal(done.json().status, 'closed');
  t.equal(get(tk.id).reply, 'per 沪民规 2019-1 ...');
});

t.test('routed: route, accept, contact, resolve, callback, close, reopen — with deadlines', async (t) => {
  const { act, ticket, get, clock, events } = await setup(t);
  const tk = ticket();
  await act(tk.id, 'classify', 'operator', { kind: 'routed', category: 'community_life', subcategory: 'water_electric_repair' });
  t.equal(get(tk.id).routeDueAt, deadlineAfter(tk.createdAt, 2), 'route within 2 working days of creation');

  clock.now += DAY;
  const routedAt = clock.now;
  const r = await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  t.equal(r.statusCode, 200, r.body);
  let row = get(tk.id);
  t.equal(row.status, 'routed');
  t.equal(row.departmentId, 'd1');
  t.equal(row.routedAt, routedAt);
  t.equal(row.contactDueAt, deadlineAfter(routedAt, 3), 'contact within 3 working days of receiving');
  t.equal(row.resolveDueAt, deadlineAfter(routedAt, 10), 'resolve within 10 working days of receiving');

  t.equal((await act(tk.id, 'accept', 'department')).json().status, 'accepted');
  t.equal((await act(tk.id, 'contact', 'department', { note: 'phoned the citizen' })).json().status, 'in_progress');
  t.ok(get(tk.id).contactedAt);
  t.equal((await act(tk.id, 'resolve', 'department', { result: 'repaired the pipe' })).json().status, 'resolved');
  t.equal(get(tk.id).result, 'repaired the pipe');
  t.equal((await act(tk.id, 'callback', 'operator', { satisfaction: 'satisfied' })).json().status, 'called_back');
  t.equal((await act(tk.id, 'close', 'operator')).json().status, 'closed');
  row = get(tk.id);
  t.equal(row.satisfaction, 'satisfied');
  t.ok(row.closedAt);

  clock.now += DAY;
  const reopened = await act(tk.id, 'reopen', 'supervisor', { reason: 'citizen called again' });
  t.equal(reopened.json().status, 'open');
  t.equal(get(tk.id).closedAt, null);
  t.equal(get(tk.id).routeDueAt, deadlineAfter(clock.now, 2), 'a reopened ticket gets a fresh routing limit');
  const history = events(tk.id);
  t.same(
    history.map((e) => [e.action, e.fromStatus, e.toStatus]),
    [
      ['created', null, 'open'],
      ['classify', 'open', 'open'],
      ['route', 'open', 'routed'],
      ['accept', 'routed', 'accepted'],
      ['contact', 'accepted', 'in_progress'],
      ['resolve', 'in_progress', 'resolved'],
      ['callback', 'resolved', 'called_back'],
      ['close', 'called_back', 'closed'],
      ['reopen', 'closed', 'open'],
    ],
    'status history is appended per step',
  );
  t.equal(history.at(-1)!.reason, 'citizen called again');
  t.equal(history.at(-1)!.actor, 'sup');
});

t.test('routed: a shorter promised limit wins', async (t) => {
  const { act, ticket, get, clock } = await setup(t);
  const tk = ticket({ kind: 'routed' });
  await act(tk.id, 'route', 'operator', { street: 's1', promisedDays: 2 });
  const row = get(tk.id);
  t.equal(row.assignedStreet, 's1');
  t.equal(row.contactDueAt, deadlineAfter(clock.now, 2));
  t.equal(row.resolveDueAt, deadlineAfter(clock.now, 2));
  t.equal((await act(tk.id, 'accept', 'street_seat')).statusCode, 200, 'the street seat of s1 works it');
});

t.test('routed: bounced twice opens one supervision', async (t) => {
  const { act, ticket, get, s } = await setup(t);
  const tk = ticket({ kind: 'routed' });
  await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  const b1 = await act(tk.id, 'bounce', 'department', { reason: 'not ours' });
  t.equal(b1.json().status, 'bounced');
  t.equal(get(tk.id).departmentId, null, 'the department lets go of it');
  t.equal((await act(tk.id, 'route', 'operator', { departmentId: 'd2' })).statusCode, 200);
  await act(tk.id, 'accept', 'department2');
  t.equal((await act(tk.id, 'bounce', 'department2', { reason: 'not ours either' })).statusCode, 200);
  t.equal(get(tk.id).bounceCount, 2);
  const sup = s.tickets.list({}).items.filter((x) => x.parentTicketId === tk.id);
  t.equal(sup.length, 1);
  t.equal(sup[0].kind, 'supervised');
});

t.test('unsatisfied at callback: rework first, then supervision, worked by the inspection office and the department', async (t) => {
  const { act, ticket, get, s, clock } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'resolved', departmentId: 'd1', result: 'done' });
  t.equal((await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied', note: 'still leaking' })).json().status, 'in_progress', 'back to the department to rework');
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 0);
  t.equal((await act(tk.id, 'resolve', 'department', { result: 'reworked' })).statusCode, 200);
  t.equal((await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied', note: 'still leaking' })).statusCode, 200);
  const [sup] = s.tickets.list({ kind: 'supervised' }).items;
  t.ok(sup, 'a supervision was opened');
  t.equal(sup.parentTicketId, tk.id);
  t.equal(sup.departmentId, 'd1', 'it supervises the department that handled it');
  t.equal(sup.dueAt, deadlineAfter(clock.now, 3), 'the inspection office acts within 3 working days');
  t.ok(s.tickets.events(tk.id).some((e) => e.action === 'supervision_opened'));

  const started = await act(sup.id, 'start_supervision', 'inspector', { note: 'department to re-inspect within a week' });
  t.equal(started.json().status, 'supervising');
  t.equal(get(sup.id).resolveDueAt, deadlineAfter(clock.now, 10), 'the department answers within 10');
  t.equal((await act(sup.id, 'respond', 'department', { result: 'replaced the riser' })).json().status, 'responded');
  t.equal((await act(sup.id, 'close', 'inspector')).json().status, 'closed');
  // a second unsatisfied verdict on the same ticket opens no second supervision
  await act(tk.id, 'close', 'operator');
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 1);
});

t.test('supervision opened by the desk, and by POST /api/tickets with a parent', async (t) => {
  const { act, ticket, h, headers, s } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'routed', departmentId: 'd1' });
  t.equal((await act(tk.id, 'supervise', 'supervisor', { reason: '领导批示' })).statusCode, 200);
  const r = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: headers('operator'), payload: { kind: 'supervised', parentTicketId: tk.id, content: '领导批示：加快处理' } });
  t.equal(r.statusCode, 201, r.body);
  t.equal(r.json().parentTicketId, tk.id);
  t.equal(r.json().departmentId, 'd1');
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 2, 'manual supervisions are not deduplicated');
  const bad = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: headers('operator'), payload: { kind: 'routed', parentTicketId: tk.id, content: 'x' } });
  t.equal(bad.statusCode, 400);
});

t.test('emergency: the supervisor is alerted at once', async (t) => {
  const { act, ticket, s } = await setup(t);
  const alerts: unknown[] = [];
  s.bus.on('emergency', (e) => alerts.push(e));
  const tk = ticket({ title: '小区燃气泄漏' });
  await act(tk.id, 'classify', 'operator', { kind: 'emergency' });
  t.equal(alerts.length, 1);
  t.match(alerts[0], { ticketId: tk.id, callerNumber: '13800138000', summary: '小区燃气泄漏' });
  t.equal(s.tickets.get(tk.id)!.flaggedForSupervisor, true);
  await act(tk.id, 'classify', 'operator', { category: 'other' });
  t.equal(alerts.length, 1, 'reclassifying the category does not alert again');
  t.equal((await act(tk.id, 'dispatch', 'supervisor', { note: '已通知局办公室' })).json().status, 'dispatched');
  t.equal((await act(tk.id, 'resolve', 'operator', { result: '燃气公司已处置' })).json().status, 'resolved');
  t.equal((await act(tk.id, 'close', 'supervisor')).json().status, 'closed');
});

t.test('emergency opened by hand alerts too', async (t) => {
  const { h, headers, s } = await setup(t);
  let alerts = 0;
  s.bus.on('emergency', () => alerts++);
  const r = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: headers('operator'), payload: { kind: 'emergency', content: '道路塌陷', callerNumber: '13912345678' } });
  t.equal(r.statusCode, 201, r.body);
  t.equal(r.json().source, 'manual');
  t.equal(r.json().callerNumber, '13912345678', 'the operator who opened it works it and sees the number');
  t.equal(alerts, 1);
});

t.test('collaborative: coordinate and close; return to 12345 with a reason', async (t) => {
  const { act, ticket, events, s } = await setup(t);
  const a = ticket({ kind: 'collaborative' });
  const c = await act(a.id, 'coordinate', 'operator', { organisation: '区房管局', note: '已电话协调' });
  t.equal(c.json().status, 'coordinated');
  t.match(s.tickets.get(a.id)!.result, /区房管局/);
  t.equal((await act(a.id, 'close', 'operator')).json().status, 'closed');

  const b = ticket({ source: '12345', externalOrderId: 'ORD-1' });
  const changed: string[] = [];
  s.bus.on('ticket.changed', (e) => changed.push(e.action));
  const r = await act(b.id, 'return_to_12345', 'operator', { reason: '不属于民政业务' });
  t.equal(r.statusCode, 200, r.body);
  t.equal(r.json().status, 'returned');
  t.equal(r.json().kind, 'collaborative');
  t.same(changed, ['return_to_12345'], 'the 12345 outbox hears of it');
  t.equal(events(b.id).at(-1)!.reason, '不属于民政业务');
});

t.test('manual ticket by an operator', async (t) => {
  const { h, headers, s } = await setup(t);
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/tickets',
    headers: headers('operator'),
    payload: { kind: 'routed', category: 'community_life', subcategory: 'housekeeping', content: '想找钟点工', callerNumber: '13800001111', callerName: '李四' },
  });
  t.equal(r.statusCode, 201, r.body);
  const body = r.json();
  t.equal(body.source, 'manual');
  t.equal(body.kind, 'routed');
  t.match(body.number, /^962200-20260302-\d{6}$/);
  t.ok(body.routeDueAt);
  t.same(body.allowedActions.includes('route'), true);
  t.equal(s.tickets.get(body.id)!.assignedUserId, 11);
  t.equal((await h.app.inject({ method: 'POST', url: '/api/tickets', headers: headers('department'), payload: { content: 'x' } })).statusCode, 403);
  const n = s.tickets.list({}).total;
  for (const payload of [{}, { content: '' }, { content: 'x', kind: 'urgent' }, { content: 'x', callerNumber: 'abc' }, { content: 'x', extra: 1 }]) {
    t.equal((await h.app.inject({ method: 'POST', url: '/api/tickets', headers: headers('operator'), payload })).statusCode, 400, JSON.stringify(payload));
  }
  t.equal(s.tickets.list({}).total, n, 'bad input made no ticket');
});

t.test('allowed actions are listed per user', async (t) => {
  const { h, headers, ticket } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'routed', departmentId: 'd1' });
  const as = async (who: 'operator' | 'department') => (await h.app.inject({ url: `/api/tickets/${tk.id}/actions`, headers: headers(who) })).json().actions;
  t.same((await as('department')).sort(), ['accept', 'bounce', 'request_coordination']);
  t.ok((await as('operator')).includes('supervise'));
});
