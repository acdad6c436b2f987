import t from 'tap';
import { eq } from 'drizzle-orm';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { jobRuns } from '../../src/jobs/schema.js';
import { ticketEscalations } from '../../src/tickets/schema.js';
import { DAY, setup } from '../tickets/_fixtures.js';

t.test('overdue routing (the center’s own 2 working days): marked once, flagged to the supervisor as an alert, no 督办 without a department', async (t) => {
  const { act, ticket, get, clock, s } = await setup(t);
  const tk = ticket();
  await act(tk.id, 'classify', 'operator', { kind: 'routed' });
  const due = get(tk.id).routeDueAt!;
  t.equal(due, deadlineAfter(tk.createdAt, 2));
  const supervisions = () => s.tickets.list({ kind: 'supervised' }).items.filter((x) => x.parentTicketId === tk.id);

  t.same(runDeadlineSweep(s, clock.now), { overdue: 0, supervisionsOpened: 0, alertsRaised: 0, skipped: 0 }, 'nothing due yet');
  clock.now = due; // the last moment of the last working day is still in time
  t.same(runDeadlineSweep(s, clock.now), { overdue: 0, supervisionsOpened: 0, alertsRaised: 0, skipped: 0 });

  clock.now = due + 1;
  t.same(runDeadlineSweep(s, clock.now), { overdue: 1, supervisionsOpened: 0, alertsRaised: 1, skipped: 0 });
  const row = get(tk.id);
  t.equal(row.overdue, true);
  t.equal(row.status, 'open', 'overdue is a flag, not a status');
  t.equal(supervisions().length, 0, 'no 督办 with no department to supervise');
  const [alert] = s.alerts.list({ acknowledged: false }).items;
  t.match(alert, { code: 'routing_overdue', ticketId: tk.id, ticketNumber: tk.number, acknowledged: false });
  t.match(alert.summary, /已超过 2 个工作日仍未完成分类派转/);
  t.equal(s.tickets.events(tk.id).filter((e) => e.action === 'overdue').length, 1);

  for (let i = 0; i < 5; i++) {
    clock.now += 7 * DAY;
    runDeadlineSweep(s, clock.now);
  }
  t.equal(s.alerts.list({}).total, 1, 'alerted exactly once');
  t.equal(supervisions().length, 0);
  t.equal(s.tickets.events(tk.id).filter((e) => e.action === 'overdue').length, 1, 'marked overdue once');
  t.ok(s.db.select().from(jobRuns).where(eq(jobRuns.job, 'deadline-sweep')).get(), 'the run is recorded');
});

t.test('overdue at a department: supervised once, however often the sweep runs; the late supervision is flagged', async (t) => {
  const { act, ticket, get, clock, s } = await setup(t);
  const tk = ticket({ kind: 'routed' });
  await act(tk.id, 'route', 'operator', { departmentId: 'd1' });
  clock.now = get(tk.id).contactDueAt! + 1;
  t.match(runDeadlineSweep(s, clock.now), { overdue: 1, supervisionsOpened: 1, alertsRaised: 0 });
  const supervisions = () => s.tickets.list({ kind: 'supervised' }).items.filter((x) => x.parentTicketId === tk.id);
  const [sup] = supervisions();
  t.equal(sup.departmentId, 'd1');
  t.equal(sup.callerNumber, tk.callerNumber);
  t.equal(sup.dueAt, deadlineAfter(clock.now, 3));
  for (let i = 0; i < 5; i++) {
    clock.now += 7 * DAY;
    runDeadlineSweep(s, clock.now);
  }
  t.equal(supervisions().length, 1, 'supervision opened exactly once');
  t.equal(s.db.select().from(ticketEscalations).where(eq(ticketEscalations.ticketId, tk.id)).all().length, 1);
  const late = get(sup.id);
  t.equal(late.overdue, true);
  t.equal(late.flaggedForSupervisor, true);
});

t.test('contact and resolve deadlines of a routed ticket', async (t) => {
  const { act, ticket, get, clock, s } = await setup(t);
  const slow = ticket({ kind: 'routed' });
  await act(slow.id, 'route', 'operator', { departmentId: 'd1' });
  await act(slow.id, 'accept', 'department');
  const quick = ticket({ kind: 'routed' });
  await act(quick.id, 'route', 'operator', { departmentId: 'd1' });
  await act(quick.id, 'accept', 'department');
  await act(quick.id, 'contact', 'department', { note: 'called' });

  clock.now = get(slow.id).contactDueAt! + 1;
  t.match(runDeadlineSweep(s, clock.now), { overdue: 1, supervisionsOpened: 1 }, 'no contact within 3 working days');
  t.equal(get(slow.id).overdue, true);
  t.equal(get(quick.id).overdue, false, 'contacted in time; resolving has 10 days');
  clock.now = get(quick.id).resolveDueAt! + 1;
  // the quick one, and the slow one's supervision, which the inspector left past 3 days
  t.match(runDeadlineSweep(s, clock.now), { overdue: 2, supervisionsOpened: 1 });
  t.equal(get(quick.id).overdue, true);
});

t.test('the sweep catches bounced and unsatisfied tickets the actions did not escalate', async (t) => {
  const { ticket, clock, s } = await setup(t);
  const bounced = ticket({ kind: 'routed', status: 'bounced', bounceCount: 2 });
  const unhappy = ticket({ kind: 'routed', status: 'closed', satisfaction: 'unsatisfied', departmentId: 'd1' });
  const fine = ticket({ kind: 'routed', status: 'closed', satisfaction: 'fair', bounceCount: 1 });
  t.match(runDeadlineSweep(s, clock.now), { supervisionsOpened: 2 });
  t.match(runDeadlineSweep(s, clock.now), { supervisionsOpened: 0 }, 'a second run opens nothing');
  const parents = s.tickets.list({ kind: 'supervised' }).items.map((x) => x.parentTicketId).sort();
  t.same(parents, [bounced.id, unhappy.id].sort());
  t.notOk(parents.includes(fine.id));
});

t.test('tickets made elsewhere without deadlines are swept from their creation time', async (t) => {
  const { ticket, clock, s, get } = await setup(t);
  // a row from before intake set routeDueAt (or written past TicketService): none stored
  const fromIntake = ticket({ kind: 'routed', routeDueAt: null, dueAt: null });
  clock.now = deadlineAfter(fromIntake.createdAt, 2) + 1;
  t.match(runDeadlineSweep(s, clock.now), { overdue: 1 });
  t.equal(get(fromIntake.id).overdue, true);
});
