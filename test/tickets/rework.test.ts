// #14 point 7 (第十六条: 督办 when the citizen is *still* unsatisfied after callback): the
// department reworks first, on a shorter limit; a 督办 opens after the rework, or at once
// when a supervisor decides; a 督办 for a leader's instruction says who instructed.
import t from 'tap';
import { workingDeadline } from '../../src/calendar/working-days.js';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { setup } from './_fixtures.js';

t.test('unsatisfied at callback: back to the department with 5 working days; still unsatisfied after the rework: 督办', async (t) => {
  const { act, ticket, get, s, clock, events } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'resolved', departmentId: 'd1', result: '已疏通', contactedAt: clock.now });
  const r = await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied', note: '仍然漏水' });
  t.equal(r.statusCode, 200);
  const row = get(tk.id);
  t.equal(row.status, 'in_progress', 'the department has it again');
  t.equal(row.reworkCount, 1);
  t.equal(row.resolvedAt, null);
  t.equal(row.resolveDueAt, workingDeadline(clock.now, 5).at, 'a shorter limit: 5 working days');
  t.equal(row.dueAt, row.resolveDueAt);
  t.equal(events(tk.id).at(-1)!.toStatus, 'in_progress');
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 0, 'no 督办 yet');
  t.match(runDeadlineSweep(s, clock.now), { supervisionsOpened: 0 }, 'nor from the sweep while it is reworked');

  // the department's rework runs late: swept like any answer deadline
  t.match(runDeadlineSweep(s, row.resolveDueAt! + 1), { overdue: 1, supervisionsOpened: 1 });
  t.equal(s.tickets.list({ kind: 'supervised' }).items[0].supervisionReason, 'overdue');

  t.equal((await act(tk.id, 'resolve', 'department', { result: '已更换水管' })).json().status, 'resolved');
  t.equal((await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied' })).json().status, 'called_back');
  const opened = s.tickets.events(tk.id).filter((e) => e.action === 'supervision_opened');
  t.equal(opened.length, 2);
  t.match(opened.at(-1)!.data, { reason: 'unsatisfied' });
});

t.test('the rework limit is configurable (REWORK_DAYS)', async (t) => {
  const { act, ticket, get, s, clock } = await setup(t);
  s.config.reworkDays = 3;
  const tk = ticket({ kind: 'routed', status: 'resolved', departmentId: 'd1' });
  await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied' });
  t.equal(get(tk.id).resolveDueAt, workingDeadline(clock.now, 3).at);
});

t.test('a supervisor may open the 督办 at once; an operator may not decide so; bad input changes nothing', async (t) => {
  const { act, ticket, get, s, events } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'resolved', departmentId: 'd1' });
  const before = { version: get(tk.id).version, events: events(tk.id).length };
  const byOperator = await act(tk.id, 'callback', 'operator', { satisfaction: 'unsatisfied', superviseNow: true });
  t.equal(byOperator.statusCode, 403);
  t.match(byOperator.json().message, /只有主管可以决定立即督办/);
  const satisfied = await act(tk.id, 'callback', 'supervisor', { satisfaction: 'satisfied', superviseNow: true });
  t.equal(satisfied.statusCode, 400);
  t.match(satisfied.json().message, /^superviseNow: /);
  t.equal((await act(tk.id, 'callback', 'supervisor', { satisfaction: 'unsatisfied', superviseNow: 'yes' })).statusCode, 400);
  t.equal(get(tk.id).version, before.version, 'nothing changed');
  t.equal(events(tk.id).length, before.events);

  const now = await act(tk.id, 'callback', 'supervisor', { satisfaction: 'unsatisfied', superviseNow: true, note: '多次投诉' });
  t.equal(now.json().status, 'called_back');
  const [sup] = s.tickets.list({ kind: 'supervised' }).items;
  t.match(sup, { parentTicketId: tk.id, departmentId: 'd1', supervisionReason: 'unsatisfied' });
});

t.test("a 督办 for a leader's instruction (领导批示): its own reason and who instructed", async (t) => {
  const { act, ticket, s } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'in_progress', departmentId: 'd1' });
  const r = await act(tk.id, 'supervise', 'supervisor', { reason: '请尽快解决居民用水问题', leaderInstruction: { by: '王副局长' } });
  t.equal(r.statusCode, 200, r.body);
  const [sup] = s.tickets.list({ kind: 'supervised' }).items;
  t.match(sup, { supervisionReason: 'leader_instruction', instructedBy: '王副局长', departmentId: 'd1' });
  t.match(sup.content, /^督办（领导批示，批示人：王副局长）：请尽快解决居民用水问题$/);
  t.match(s.tickets.events(tk.id).at(-1)!.data, { reason: 'leader_instruction', instructedBy: '王副局长' });
  // and a second instruction opens a second 督办 (each decision is its own)
  await act(tk.id, 'supervise', 'supervisor', { reason: '再次批示', leaderInstruction: { by: '李局长' } });
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 2);
  for (const bad of [{ reason: 'x', leaderInstruction: {} }, { reason: 'x', leaderInstruction: { by: '' } }, { reason: 'x', leaderInstruction: { by: '张', at: 1 } }]) {
    t.equal((await act(tk.id, 'supervise', 'supervisor', bad)).statusCode, 400, JSON.stringify(bad));
  }
  t.equal(s.tickets.list({ kind: 'supervised' }).total, 2, 'bad input opened nothing');
  // the desk's own supervision stays "manual"
  await act(tk.id, 'supervise', 'operator', { reason: '话务员督办' });
  t.equal(s.tickets.list({ kind: 'supervised' }).items[0].supervisionReason, 'manual');
});
