// #14 point 5 (第十七条): alerts that cannot be missed. Stored, listed, in the supervisor
// socket's snapshot, acknowledged by a supervisor; unacknowledged past ALERT_REPEAT_MS
// pushed again and e-mailed to the duty supervisors (a real local SMTP sink), on an
// injected clock. Drafts waiting for review and 12345 urgings raise them too; the
// request to 市局办公室 is a step to the bureau office with its own deadline.
import t from 'tap';
import { escalateAlerts } from '../../src/alerts/escalation.js';
import { recordUrge } from '../../src/intake/twelve345/urge.js';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { connect } from '../helpers/ws-client.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { setup } from '../tickets/_fixtures.js';

const MIN = 60_000;

t.test('an emergency is a stored alert: listed for supervisors, acknowledged once; bad input is a 400 and changes nothing', async (t) => {
  const { act, ticket, h, headers, s } = await setup(t);
  const tk = ticket({ title: '小区燃气泄漏' });
  t.equal((await act(tk.id, 'classify', 'operator', { kind: 'emergency' })).statusCode, 200);

  const list = await h.app.inject({ url: '/api/alerts?acknowledged=false', headers: headers('supervisor') });
  t.equal(list.statusCode, 200);
  const [alert] = list.json().items;
  t.match(alert, { code: 'emergency_ticket', ticketId: tk.id, ticketNumber: tk.number, acknowledged: false, pushCount: 1, emailedAt: null });
  t.match(alert.summary, /^应急工单 962200-\d{8}-\d{6}：小区燃气泄漏$/);
  t.equal((await h.app.inject({ url: '/api/alerts', headers: headers('operator') })).statusCode, 403, 'for supervisors');
  // a number in the text is in clear for supervisors only; an admin watching the wallboard sees it masked
  const withNumber = ticket({ title: '求助电话13912345678' });
  await act(withNumber.id, 'classify', 'operator', { kind: 'emergency' });
  const forAdmin = (await h.app.inject({ url: '/api/alerts?acknowledged=false', headers: headers('admin') })).json().items[0];
  t.notMatch(forAdmin.summary, /13912345678/);
  t.match((await h.app.inject({ url: '/api/alerts?acknowledged=false', headers: headers('supervisor') })).json().items[0].summary, /13912345678/);
  s.alerts.acknowledge(forAdmin.id, { role: 'supervisor', name: 'sup', userId: 13 });
  // an IVR emergency call whose ticket is then classified 应急件: one emergency, one alert
  const called = ticket({ title: '老人摔倒' });
  s.bus.emit('emergency', { code: 'emergency_call', ticketId: called.id, callId: 'call-x', callerNumber: '13800000000', at: Date.now(), summary: 'emergency call', data: { menuPath: 'main:9' } });
  await act(called.id, 'classify', 'operator', { kind: 'emergency' });
  const one = s.alerts.list({ ticketId: called.id });
  t.equal(one.total, 1, 'the call and the classification raise one alert');
  s.alerts.acknowledge(one.items[0].id, { role: 'supervisor', name: 'sup', userId: 13 });
  t.equal((await h.app.inject({ url: '/api/alerts', headers: {} })).statusCode, 401);
  for (const q of ['acknowledged=maybe', 'limit=0', 'ticketId=abc', 'colour=red']) {
    const r = await h.app.inject({ url: `/api/alerts?${q}`, headers: headers('supervisor') });
    t.equal(r.statusCode, 400, `?${q}: 400`);
  }

  const ack = (id: number | string, who: 'supervisor' | 'operator', payload?: object) =>
    h.app.inject({ method: 'POST', url: `/api/alerts/${id}/ack`, headers: headers(who), ...(payload ? { payload } : {}) });
  t.equal((await ack(alert.id, 'operator')).statusCode, 403, 'an operator does not acknowledge');
  for (const [id, body] of [['abc', undefined], [alert.id, { note: 5 }], [alert.id, { note: '' }], [alert.id, { colour: 'red' }]] as const) {
    t.equal((await ack(id, 'supervisor', body as object | undefined)).statusCode, 400, `ack ${id} ${JSON.stringify(body)}: 400`);
  }
  t.equal(s.alerts.get(alert.id)!.acknowledged, false, 'nothing changed');
  t.equal((await ack(99999, 'supervisor')).statusCode, 404);

  const done = await ack(alert.id, 'supervisor', { note: '已电话通知燃气公司' });
  t.equal(done.statusCode, 200);
  t.match(done.json(), { acknowledged: true, acknowledgedBy: 'sup', ackNote: '已电话通知燃气公司' });
  const again = await ack(alert.id, 'supervisor');
  t.equal(again.statusCode, 409);
  t.match(again.json().message, /已由 sup 确认/);
  t.equal((await h.app.inject({ url: '/api/alerts?acknowledged=false', headers: headers('supervisor') })).json().total, 0);
  t.equal((await h.app.inject({ url: '/api/alerts?acknowledged=true', headers: headers('supervisor') })).json().total, 3);
});

t.test('the supervisor socket: unacknowledged alerts in the snapshot, new ones pushed, acknowledgements too', async (t) => {
  const { act, ticket, h, s } = await setup(t);
  const early = ticket({ title: '山体滑坡' });
  await act(early.id, 'classify', 'operator', { kind: 'emergency' });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `ws://127.0.0.1:${(h.app.server.address() as { port: number }).port}/ws/supervisor?token=${h.token({ role: 'supervisor', name: 'sup', userId: 13 })}`;
  const c = await connect(url);
  t.teardown(() => c.ws.close());
  const snapshot = await c.next('snapshot');
  t.same(snapshot.alerts.map((a: { ticketId: number }) => a.ticketId), [early.id], 'raised while no wallboard was open: in the snapshot');

  const later = ticket({ title: '火灾' });
  await act(later.id, 'classify', 'operator', { kind: 'emergency' });
  const pushed = await c.next('alert');
  t.match(pushed, { repeat: false, alert: { ticketId: later.id, code: 'emergency_ticket' } });
  await h.app.inject({ method: 'POST', url: `/api/alerts/${pushed.alert.id}/ack`, headers: h.auth({ role: 'supervisor', name: 'sup', userId: 13 }) });
  t.match(await c.next('alert_ack'), { id: pushed.alert.id, by: 'sup' });
  t.equal(s.alerts.list({ acknowledged: false }).total, 1);
});

t.test('unacknowledged after 3 minutes: pushed again and e-mailed to the duty supervisors (injected clock, real SMTP sink)', async (t) => {
  const sink = new SmtpSink();
  const port = await sink.start();
  t.teardown(() => sink.stop());
  const { act, ticket, s, clock } = await setup(t);
  // the services read their config live (checkMs 0 stops the app's own check: the test drives it): point this app's mail and alerts at the sink
  Object.assign(s.config.alerts, { repeatMs: 3 * MIN, emailTo: ['duty1@example.org', 'duty2@example.org'], checkMs: 0 });
  t.equal(s.config.alerts.repeatMs, 180_000, 'default 3 minutes');
  const { MailOut } = await import('../../src/mailout/services.js');
  const { ReplyTokens } = await import('../../src/intake/mail/threading.js');
  const mailOut = new MailOut({ config: { ...s.config, mailOut: { ...s.config.mailOut, url: `smtp://127.0.0.1:${port}`, pollMs: 0 } }, db: s.db, tickets: s.tickets, now: s.now, tokens: new ReplyTokens('k'), threadOf: () => [], log: { info() {}, warn() {}, error() {} } });
  t.teardown(() => mailOut.stop());
  const deps = { ...s, mailOut };
  const pushes: Array<{ id: number; repeat: boolean }> = [];
  s.bus.on('alert', ({ alert, repeat }) => pushes.push({ id: alert.id, repeat }));

  const tk = ticket({ title: '暴雨积水困人' });
  await act(tk.id, 'classify', 'operator', { kind: 'emergency' });
  const [alert] = s.alerts.list({ acknowledged: false }).items;
  t.same(pushes, [{ id: alert.id, repeat: false }]);

  clock.now += 3 * MIN - 1;
  t.same(escalateAlerts(deps), { repushed: 0, emailed: 0 }, 'not yet');
  clock.now += 1;
  t.same(escalateAlerts(deps), { repushed: 1, emailed: 1 }, 'at 3 minutes: again, and by e-mail');
  t.same(pushes.at(-1), { id: alert.id, repeat: true });
  t.match(s.alerts.get(alert.id), { pushCount: 2, emailedAt: new Date(clock.now).toISOString() });
  t.same(await mailOut.deliverDue(), { sent: 1, failed: 0 });
  t.equal(sink.mails.length, 1);
  const mail = sink.mails[0];
  t.same((Array.isArray(mail.to) ? mail.to : [mail.to!]).flatMap((a) => a.value.map((v) => v.address)), ['duty1@example.org', 'duty2@example.org']);
  t.match(mail.subject, /^【962200 警报未确认】应急工单 .*暴雨积水困人$/);
  t.match(mail.text, /已 3 分钟无人确认/);

  clock.now += 3 * MIN;
  t.same(escalateAlerts(deps), { repushed: 1, emailed: 0 }, 'pushed every 3 minutes; e-mailed once');
  s.alerts.acknowledge(alert.id, { role: 'supervisor', name: 'sup', userId: 13 });
  clock.now += 30 * MIN;
  t.same(escalateAlerts(deps), { repushed: 0, emailed: 0 }, 'acknowledged: quiet');
});

t.test('drafts waiting for review and 12345 urgings use the same alerts', async (t) => {
  const { act, ticket, s, clock } = await setup(t);
  const tk = ticket({ kind: 'immediate' });
  await act(tk.id, 'draft_reply', 'operator', { draft: '答复草稿' });
  const [draft] = s.alerts.list({ acknowledged: false }).items;
  t.match(draft, { code: 'draft_review', ticketId: tk.id });
  t.match(draft.summary, /答复草稿待审核（起草人 op1）/);
  await act(tk.id, 'approve', 'supervisor');
  t.match(s.alerts.get(draft.id), { acknowledged: true, acknowledgedBy: 'sup' }, 'the review settles it');

  const order = ticket({ source: '12345', externalOrderId: 'GD-1', kind: 'routed', status: 'routed', departmentId: 'd1' });
  recordUrge(s.tickets, s.bus, () => clock.now, 'GD-1', '市民反映仍未处理');
  const [urge] = s.alerts.list({ acknowledged: false }).items;
  t.match(urge, { code: 'urged', ticketId: order.id });
  t.match(urge.summary, /12345 催办工单 .*：市民反映仍未处理/);
});

t.test('提请市局办公室紧急处理 is a step to the bureau office with its own deadline; missed, the supervisor is alerted', async (t) => {
  const { act, ticket, get, s, clock, h } = await setup(t);
  const tk = ticket({ kind: 'emergency', title: '危房倒塌' });
  const r = await act(tk.id, 'dispatch', 'supervisor', { note: '请市局办公室协调应急处置' });
  t.equal(r.statusCode, 200, r.body);
  t.match(r.json().coordination, { departmentId: 'office', reason: '请市局办公室协调应急处置', dueAt: new Date(clock.now + 120 * MIN).toISOString(), answer: null });
  const office = { role: 'department', name: 'office-user', userId: 40, departmentId: 'office' } as const;
  const seen = await h.app.inject({ url: `/api/tickets/${tk.id}`, headers: h.auth(office) });
  t.equal(seen.statusCode, 200, 'the bureau office sees the ticket');
  t.match(runDeadlineSweep(s, clock.now + 120 * MIN), { alertsRaised: 0 });
  t.match(runDeadlineSweep(s, clock.now + 120 * MIN + 1), { alertsRaised: 1, supervisionsOpened: 0 });
  const late = s.alerts.list({ acknowledged: false }).items.find((a) => a.code === 'bureau_office_overdue');
  t.match(late?.summary, /提请市局办公室处理，已过答复时限仍未答复/);
  t.equal(get(tk.id).overdue, true);
  t.match(runDeadlineSweep(s, clock.now + 200 * MIN), { alertsRaised: 0 }, 'once per request');

  const answered = await h.app.inject({ method: 'POST', url: `/api/tickets/${tk.id}/actions/answer_coordination`, headers: h.auth(office), payload: { answer: '已调派应急队伍' } });
  t.equal(answered.statusCode, 200, answered.body);
  t.match(answered.json().coordination, { answer: '已调派应急队伍' });
  t.equal((await act(tk.id, 'resolve', 'supervisor', { result: '已处置' })).json().status, 'resolved');
  // without a registered bureau office there is no one to ask
  s.registry.upsertDepartment({ id: 'office', name: '市局办公室', kind: 'bureau_office', active: false });
  const other = ticket({ kind: 'emergency' });
  const none = await act(other.id, 'dispatch', 'supervisor', { note: '报市局办公室' });
  t.equal(none.statusCode, 409);
  t.match(none.json().message, /没有登记在册的市局办公室/);
});
