// Chinese for people, codes for programs: refusals, validation errors, history reasons.
import t from 'tap';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { openSupervision } from '../../src/tickets/escalation.js';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { setup, MONDAY_9AM } from './_fixtures.js';

const HAN = /[\u4e00-\u9fff]/;

t.test('API errors: Chinese message, stable English code, the field and the allowed values', async (t) => {
  const { h, act, ticket, headers } = await setup(t);
  const tk = ticket();

  const badKind = await act(tk.id, 'classify', 'operator', { kind: 'urgent' });
  t.equal(badKind.statusCode, 400);
  t.match(badKind.json(), { error: 'bad_request', field: 'kind', allowed: ['immediate', 'routed', 'supervised', 'emergency', 'collaborative'] });
  t.match(badKind.json().message, /^kind 只能是：immediate、routed、supervised、emergency、collaborative$/);

  const missing = await act(tk.id, 'route', 'operator', {});
  t.equal(missing.statusCode, 400);
  t.match(missing.json().message, HAN, missing.json().message);

  const unknownField = await act(tk.id, 'take', 'operator', { whatever: 1 });
  t.equal(unknownField.statusCode, 400);
  t.match(unknownField.json(), { error: 'bad_request', message: /不认识的字段名 whatever/ });

  const wrongType = await h.app.inject({ url: '/api/tickets?limit=abc', headers: headers('operator') });
  t.match(wrongType.json(), { error: 'bad_request', field: 'limit', message: 'limit 应为整数' });
  const tooBig = await h.app.inject({ url: '/api/tickets?limit=501', headers: headers('operator') });
  t.match(tooBig.json(), { field: 'limit', message: 'limit 不能大于 500' });

  // lifecycle refusals
  const wrongStep = await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  t.equal(wrongStep.statusCode, 409);
  t.match(wrongStep.json(), { error: 'conflict', message: /^未定性的工单没有「派转」（route）这一步$/ });
  await act(tk.id, 'classify', 'operator', { kind: 'routed' });
  const wrongRole = await act(tk.id, 'accept', 'operator');
  t.equal(wrongRole.statusCode, 403);
  t.match(wrongRole.json(), { error: 'forbidden', message: '「签收」（accept）只能由部门、街镇坐席执行' });
  const wrongStatus = await act(tk.id, 'callback', 'operator', { satisfaction: 'satisfied' });
  t.match(wrongStatus.json(), { error: 'conflict', message: /^流转件处于「待处理」（open），不能「回访」（callback）；可执行于：已办结$/ });

  const none = await h.app.inject({ url: '/api/tickets/99999', headers: headers('operator') });
  t.match(none.json(), { error: 'not_found', message: '工单不存在' });
  const noRoute = await h.app.inject({ url: '/api/nothing-here', headers: headers('operator') });
  t.match(noRoute.json(), { error: 'not_found', message: /^没有这个接口：GET \/api\/nothing-here$/ });
});

t.test('history reasons: Chinese', async (t) => {
  const { s, act, ticket, clock } = await setup(t, MONDAY_9AM);
  const tk = ticket();
  await act(tk.id, 'classify', 'operator', { kind: 'routed' });
  clock.now = deadlineAfter(MONDAY_9AM, 2) + 1;
  runDeadlineSweep(s, clock.now);
  const overdue = s.tickets.events(tk.id).find((e) => e.action === 'overdue')!;
  t.equal(overdue.reason, '派转期限 2026-03-04 23:59 已过（「待处理」时超期）');
  // the desk's own routing late: the supervisor's alert says so in Chinese (no 督办 without a department)
  t.match(s.alerts.list({ ticketId: tk.id }).items[0]?.summary, /已超过 2 个工作日仍未完成分类派转/);
  openSupervision(s, s.tickets.get(tk.id)!, 'overdue', { role: 'system', name: 'system:test' });
  const opened = s.tickets.events(tk.id).find((e) => e.action === 'supervision_opened')!;
  t.equal(opened.reason, '督办：办理超期');
  for (const e of s.tickets.events(tk.id)) if (e.reason) t.match(e.reason, HAN, `${e.action}: ${e.reason}`);
});
