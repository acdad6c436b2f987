// Deadlines past the last holiday notice (DESIGN §4): provisional 2027 counted by rule,
// the 2027 notice loaded by an admin, open deadlines counted again, 12345 told, the sweep
// going on through a bad ticket. An injected clock stands at 2026-12-20.
import t, { type Test } from 'tap';
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { makeApp, type TestApp } from '../helpers/app.js';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { tickets as ticketsTable } from '../../src/tickets/schema.js';
import { systemActor } from '../../src/shared/actor.js';

const SECRET = 'test-12345-secret';
const DEC_20_10AM = Date.parse('2026-12-20T02:00:00Z'); // a Sunday, 10:00 in Shanghai
const endOf = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();

const ADMIN = { role: 'admin' as const, name: 'admin-li', userId: 901 };
const OPERATOR = { role: 'operator' as const, name: 'op1', userId: 902 };
const DEPARTMENT = { role: 'department' as const, name: 'social-assistance-wang', userId: 903, departmentId: 'social-assistance' };

/** A 2027 notice for the tests: 元旦 1-1 to 1-4 (one day more than the rule's), 春节 a week with a make-up Saturday. */
const NOTICE_2027 = {
  title: '国务院办公厅关于2027年部分节假日安排的通知',
  documentNumber: '国办发明电〔2026〕99号',
  holidays: [
    '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04',
    '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
    '2027-04-03', '2027-04-04', '2027-04-05',
    '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  workdays: ['2027-02-20', '2027-10-09'],
};

async function hotline(t: Test, start = DEC_20_10AM) {
  const clock = { now: start };
  const h = await makeApp({ now: () => clock.now, config: { integration12345: { secret: SECRET, url: null } } });
  t.teardown(h.close);
  h.app.services.registry.upsertDepartment({ id: 'social-assistance', name: '社会救助处', kind: 'bureau_division' });
  return { h, clock, ...helpers(h) };
}

function helpers(h: TestApp) {
  const as = (who: Parameters<TestApp['auth']>[0]) => h.auth(who);
  const act = async (id: number, action: string, who: Parameters<TestApp['auth']>[0], payload: object = {}) => {
    const r = await h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/${action}`, headers: as(who), payload });
    if (r.statusCode !== 200) throw new Error(`${action}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const pushOrder = async (orderId: string) => {
    const body = JSON.stringify({ orderId, callerNumber: '13800138000', content: '咨询困难家庭临时救助的申请条件', callerName: '赵六' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/integrations/12345/orders',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', SECRET).update(body).digest('hex') },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id as number;
  };
  const ticket = async (id: number) => (await h.app.inject({ url: `/api/tickets/${id}`, headers: as({ role: 'supervisor', name: 'sup', userId: 904 }) })).json();
  const outbox = (id: number) => h.app.services.intake.outbox.byTicket(id).map((r) => JSON.parse(r.body));
  const put = (year: number, payload: object, who: Parameters<TestApp['auth']>[0] = ADMIN) =>
    h.app.inject({ method: 'PUT', url: `/api/calendar/years/${year}`, headers: as(who), payload });
  const get = async (url: string) => (await h.app.inject({ url, headers: as(OPERATOR) })).json();
  return { act, pushOrder, ticket, outbox, put, get };
}

t.test('2026-12-20: a 12345 order classified, routed and answered on provisional 2027 deadlines; the 2027 notice moves them', async (t) => {
  const { h, act, pushOrder, ticket, outbox, put, get } = await hotline(t);

  t.same(await get('/api/calendar/add-working-days?from=2026-12-18&days=10'), { date: '2027-01-04', provisional: true }, '10 working days from 12-18 reach 2027: computed, not refused');
  t.match(await get('/api/calendar/years/2027'), { year: 2027, source: 'provisional', workdays: [], loadedBy: null });
  t.match(await get('/api/calendar/status'), { provisionalYears: [2027], message: /2027年节假日安排尚未载入/ });
  t.match((await h.app.inject('/metrics')).body, /hotline_calendar_provisional_years\{[^}]*\} 1/);
  t.match((await h.app.inject('/ready')).json().warnings, [/2027 provisional/]);

  // order A: classified, routed, accepted, contacted: its answer is due in 2027
  const a = await pushOrder('SH12345-20261220-0001');
  await act(a, 'classify', OPERATOR, { kind: 'routed', category: 'consultation' });
  const routed = await act(a, 'route', OPERATOR, { departmentId: 'social-assistance' });
  t.match(routed, {
    routeDueAt: endOf('2026-12-22'),
    routeDueAtProvisional: false,
    contactDueAt: endOf('2026-12-23'),
    contactDueAtProvisional: false,
    // 12-21..12-31 are 9 working days; 2027-01-01 元旦 is off by rule; the 10th is 01-04
    resolveDueAt: endOf('2027-01-04'),
    resolveDueAtProvisional: true,
  });
  await act(a, 'accept', DEPARTMENT);
  const contacted = await act(a, 'contact', DEPARTMENT, { note: '已电话联系市民' });
  t.match(contacted, { dueAt: endOf('2027-01-04'), dueAtProvisional: true }, 'the current step is the provisional one');

  // order B: answered (resolved) before the notice comes
  const b = await pushOrder('SH12345-20261220-0002');
  await act(b, 'classify', OPERATOR, { kind: 'routed' });
  await act(b, 'route', OPERATOR, { departmentId: 'social-assistance' });
  await act(b, 'accept', DEPARTMENT);
  await act(b, 'contact', DEPARTMENT, { note: '已联系' });
  await act(b, 'resolve', DEPARTMENT, { result: '已告知申请条件和材料' });

  const history = (await ticket(a)).events;
  const routeEvent = history.find((e: { action: string }) => e.action === 'route');
  t.same(routeEvent.data.provisionalDeadlines, { resolveDueAt: endOf('2027-01-04') }, 'the history says which deadline is provisional');
  const routeMessage = outbox(a).find((m) => m.action === 'route');
  t.match(routeMessage.dueDates, { resolveDueAt: endOf('2027-01-04'), provisional: true }, '12345 is told the due dates, and that they are provisional');

  t.test('a bad notice is a 400 naming the date, and changes nothing', async (t) => {
    const before = { a: await ticket(a), b: await ticket(b), outboxA: outbox(a).length };
    // an impossible date is refused by the input checks of every route, naming the field
    const impossible = await put(2027, { holidays: ['2027-01-01', '2027-02-30'], workdays: [] });
    t.equal(impossible.statusCode, 400);
    t.match(impossible.json(), { error: 'bad_request', message: /holidays\/1.*2027-02-30/ });
    const bad: Array<[object, RegExp, string]> = [
      [{ holidays: ['2027-01-01', '2026-12-31'], workdays: [] }, /2026-12-31 不在 2027 年内/, 'holidays[1]'],
      [{ holidays: ['2027-01-01'], workdays: ['2027-01-06'] }, /2027-01-06 是工作日/, 'workdays[0]'],
      [{ holidays: ['2027-02-20'], workdays: ['2027-02-20'] }, /2027-02-20 不能既是放假日又是调休上班日/, 'workdays[0]'],
      [{ holidays: ['2027-01-01', '2027-01-01'], workdays: [] }, /重复/, 'holidays[1]'],
      [{ holidays: ['27-1-1'], workdays: [] }, /27-1-1/, 'holidays[0]'],
    ];
    for (const [payload, message, field] of bad) {
      const r = await put(2027, payload);
      t.equal(r.statusCode, 400, JSON.stringify(payload));
      t.match(r.json(), { error: 'bad_request', field, message });
    }
    t.equal((await put(2027, { holidays: [] })).statusCode, 400, 'workdays missing');
    t.equal((await put(2027, { ...NOTICE_2027, extra: 1 })).statusCode, 400, 'unknown field');
    t.equal((await put(2027, NOTICE_2027, OPERATOR)).statusCode, 403, 'only an admin loads a notice');
    t.equal((await put(2027, NOTICE_2027, { role: 'supervisor', name: 'sup', userId: 904 })).statusCode, 403);
    t.equal((await h.app.inject({ method: 'PUT', url: '/api/calendar/years/2027', payload: NOTICE_2027 })).statusCode, 401);

    t.match(await get('/api/calendar/years/2027'), { source: 'provisional' }, 'still provisional');
    t.same(await ticket(a), before.a, 'order A untouched');
    t.same(await ticket(b), before.b, 'order B untouched');
    t.equal(outbox(a).length, before.outboxA, 'nothing sent to 12345');
  });

  t.test('loading the notice counts both orders again, in the history and to 12345', async (t) => {
    const r = await put(2027, NOTICE_2027);
    t.equal(r.statusCode, 200, r.body);
    t.match(r.json(), { year: 2027, source: 'official', loadedBy: 'admin-li', title: NOTICE_2027.title, ticketsRecomputed: 2 });
    t.match(r.json().periods, [{ name: '元旦', from: '2027-01-01', to: '2027-01-04', days: 4 }, { name: '春节', from: '2027-02-05', to: '2027-02-11', days: 7 }]);
    t.same(r.json().makeUpWorkdays, [{ date: '2027-02-20', name: '春节' }, { date: '2027-10-09', name: '国庆节' }]);
    t.match(await get('/api/calendar/years/2027'), { source: 'official', loadedBy: 'admin-li', holidays: NOTICE_2027.holidays });

    const after = await ticket(a);
    t.match(after, { resolveDueAt: endOf('2027-01-05'), resolveDueAtProvisional: false, dueAt: endOf('2027-01-05'), dueAtProvisional: false, contactDueAt: endOf('2026-12-23') });
    const recount = after.events.find((e: { action: string }) => e.action === 'deadlines_recomputed');
    t.match(recount, { actor: 'admin-li', reason: /2027年节假日安排已载入.*办结期限 2027-01-04 → 2027-01-05/ });
    t.same(
      recount.data.moved.map((m: { field: string; before: string; after: string }) => [m.field, m.before, m.after]),
      [
        ['dueAt', endOf('2027-01-04'), endOf('2027-01-05')],
        ['resolveDueAt', endOf('2027-01-04'), endOf('2027-01-05')],
      ],
    );
    t.match(await ticket(b), { status: 'resolved', resolveDueAt: endOf('2027-01-05'), resolveDueAtProvisional: false }, 'the answered order too');

    const told = outbox(a).find((m) => m.action === 'deadlines_recomputed');
    t.match(told, { orderId: 'SH12345-20261220-0001', type: 'status', dueDates: { resolveDueAt: endOf('2027-01-05'), dueAt: endOf('2027-01-05'), provisional: false } });

    t.same(await get('/api/calendar/add-working-days?from=2026-12-18&days=10'), { date: '2027-01-05', provisional: false });
    t.match(await get('/api/calendar/working-day?date=2027-02-20'), { working: true, reason: 'make_up_workday', holiday: '春节', provisional: false });
    t.match((await h.app.inject('/metrics')).body, /hotline_calendar_provisional_years\{[^}]*\} 0/);
    t.notOk((await h.app.inject('/ready')).json().warnings.some((w: string) => w.startsWith('calendar')), 'no calendar warning on /ready');
    t.same(await get('/api/calendar'), { years: [2025, 2026, 2027] });
    t.match(await get('/api/calendar/2027'), { year: 2027, source: { title: NOTICE_2027.title }, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04', days: 4 }] });

    // loading the same notice again changes no day: nothing recounted
    t.match((await put(2027, NOTICE_2027)).json(), { ticketsRecomputed: 0 });
    t.equal((await ticket(a)).events.filter((e: { action: string }) => e.action === 'deadlines_recomputed').length, 1);
  });

  t.test('the notice outlives a restart; the file seed never overwrites it', async (t) => {
    const again = await makeApp({ db: h.app.services.db, now: () => DEC_20_10AM });
    t.teardown(() => again.app.close());
    t.match((await again.app.inject({ url: '/api/calendar/years/2027', headers: again.auth(OPERATOR) })).json(), { source: 'official', loadedBy: 'admin-li' });
    t.match((await again.app.inject({ url: '/api/calendar/years/2026', headers: again.auth(OPERATOR) })).json(), { source: 'official', loadedBy: 'calendar/2026.json' });
  });
});

t.test('a notice that keeps the times only confirms them: no move, not sent to 12345', async (t) => {
  const { act, pushOrder, ticket, outbox, put } = await hotline(t, Date.parse('2026-12-29T02:00:00Z'));
  const id = await pushOrder('SH12345-20261229-0001');
  await act(id, 'classify', OPERATOR, { kind: 'routed' });
  // 2 working days from Tue 12-29: 12-30, 12-31 (2026, official); 3 for contact: 2027-01-04 by rule
  const routed = await act(id, 'route', OPERATOR, { departmentId: 'social-assistance' });
  t.match(routed, { contactDueAt: endOf('2027-01-04'), contactDueAtProvisional: true });
  const sent = outbox(id).length;
  // a notice with 元旦 1-1 to 1-3 (Fri to Sun) leaves 1-4 a working day
  const r = await put(2027, { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] });
  t.equal(r.json().ticketsRecomputed, 1);
  const after = await ticket(id);
  t.match(after, { contactDueAt: endOf('2027-01-04'), contactDueAtProvisional: false, dueAtProvisional: false });
  t.match(after.events.at(-1), { action: 'deadlines_confirmed', reason: /期限不变/ });
  t.equal(outbox(id).length, sent, '12345 is not sent a confirmation of unchanged dates');
});

t.test('2026-12-30: the sweep marks overdue tickets and goes on past a bad one', async (t) => {
  const { h, clock, act } = await hotline(t, Date.parse('2026-12-24T02:00:00Z'));
  const s = h.app.services;
  const make = () => s.tickets.create({ source: 'phone', callerNumber: '13900001111', content: '反映小区路灯不亮' }, systemActor('test'));
  const late = make();
  await act(late.id, 'classify', OPERATOR, { kind: 'routed' }); // route due 12-28
  const routedLate = make();
  await act(routedLate.id, 'classify', OPERATOR, { kind: 'routed' });
  await act(routedLate.id, 'route', OPERATOR, { departmentId: 'social-assistance' }); // contact due 12-29
  const broken = make();
  await act(broken.id, 'classify', OPERATOR, { kind: 'routed' });
  // a row the sweep cannot count: no route deadline and a creation time beyond any calendar
  s.db.update(ticketsTable).set({ routeDueAt: null, createdAt: Date.parse('2200-01-01T00:00:00Z') }).where(eq(ticketsTable.id, broken.id)).run();

  clock.now = Date.parse('2026-12-30T02:00:00Z');
  const result = runDeadlineSweep(s, clock.now);
  // the desk's own routing is the supervisor's to see (an alert); the department's contact is supervised
  t.same(result, { overdue: 2, supervisionsOpened: 1, alertsRaised: 1, skipped: 1 }, 'two marked overdue, one supervised, one alerted; the bad one skipped');
  t.equal(s.tickets.get(late.id)!.overdue, true);
  t.equal(s.tickets.get(routedLate.id)!.overdue, true);
  t.equal(s.tickets.list({ kind: 'supervised', parentTicketId: late.id }).total, 0, 'no 督办 without a department');
  const supervision = s.tickets.list({ kind: 'supervised', parentTicketId: routedLate.id }).items[0];
  // 3 working days from 12-30: 12-31, (2027-01-01 元旦 by rule), 01-04, 01-05
  t.match(supervision, { dueAt: Date.parse(endOf('2027-01-05')), dueAtProvisional: true });

  t.same(runDeadlineSweep(s, clock.now), { overdue: 0, supervisionsOpened: 0, alertsRaised: 0, skipped: 1 }, 'a second run: nothing twice, the bad one still reported');
  t.equal(s.db.get<{ n: number }>(sql`select count(*) as n from tickets where overdue = 1`)!.n, 2);
});
