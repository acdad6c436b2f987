import t from 'tap';
import { makeApp } from '../helpers/app.js';

t.test('calendar routes', async (t) => {
  const h = await makeApp({ now: () => Date.parse('2026-06-01T02:00:00Z') });
  t.teardown(h.close);
  const headers = h.auth({ role: 'operator' });
  const get = (url: string) => h.app.inject({ url, headers });

  t.test('need a token', async (t) => {
    t.equal((await h.app.inject('/api/calendar/add-working-days?from=2026-02-12&days=3')).statusCode, 401);
    t.equal((await h.app.inject('/api/calendar/2026')).statusCode, 401);
  });

  t.test('add-working-days (DESIGN §7)', async (t) => {
    const r = await get('/api/calendar/add-working-days?from=2026-02-12&days=3');
    t.equal(r.statusCode, 200);
    t.same(r.json(), { date: '2026-02-24', provisional: false }, 'over the 2026 Spring Festival');
    t.same((await get('/api/calendar/add-working-days?from=2026-09-30&days=3')).json(), { date: '2026-10-10', provisional: false }, 'over National Day onto the make-up Saturday');
    t.same((await get('/api/calendar/add-working-days?from=2026-03-02&days=1')).json(), { date: '2026-03-03', provisional: false }, 'the start day never counts');
    t.same((await get('/api/calendar/add-working-days?from=2026-03-02&days=0')).json(), { date: '2026-03-02', provisional: false }, '0 days: the same day');
    const other = await h.app.inject({ url: '/api/calendar/add-working-days?from=2026-02-12&days=3', headers: h.auth({ role: 'street_seat', street: 'x' }) });
    t.equal(other.statusCode, 200, 'any role');
  });

  t.test('bad input is a 400', async (t) => {
    for (const q of ['from=2026-02-12', 'days=1', 'from=2026-02-12&days=-1', 'from=2026-02-12&days=1.5', 'from=2026-02-12&days=ten', 'from=2026-2-12&days=1', 'from=2026-02-30&days=1', 'from=&days=1']) {
      const r = await get(`/api/calendar/add-working-days?${q}`);
      t.equal(r.statusCode, 400, q);
      t.equal(r.json().error, 'bad_request', q);
    }
    t.equal((await get('/api/calendar/working-day?date=tomorrow')).statusCode, 400);
    t.equal((await get('/api/calendar/working-day')).statusCode, 400);
    t.equal((await get('/api/calendar/twenty')).statusCode, 400);
  });

  t.test('a year beyond the lunar calendar is a clear 4xx; a year with no notice is provisional', async (t) => {
    const r = await get('/api/calendar/add-working-days?from=2150-03-02&days=1');
    t.equal(r.statusCode, 422);
    t.match(r.json(), { error: 'calendar_year_missing', message: /2150/ });
    t.equal((await get('/api/calendar/working-day?date=2150-03-02')).statusCode, 422);
    t.same((await get('/api/calendar/add-working-days?from=2099-03-02&days=1')).json(), { date: '2099-03-03', provisional: true });
    const y = await get('/api/calendar/2099');
    t.equal(y.statusCode, 404, 'no notice document for 2099');
    t.match(y.json(), { error: 'not_found', message: /2099/ });
  });

  t.test('working-day says why', async (t) => {
    t.same((await get('/api/calendar/working-day?date=2026-02-14')).json(), { date: '2026-02-14', working: true, reason: 'make_up_workday', holiday: '春节', provisional: false });
    t.same((await get('/api/calendar/working-day?date=2026-10-01')).json(), { date: '2026-10-01', working: false, reason: 'holiday', holiday: '国庆节', provisional: false });
    t.same((await get('/api/calendar/working-day?date=2026-03-07')).json(), { date: '2026-03-07', working: false, reason: 'weekend', holiday: null, provisional: false });
    t.same((await get('/api/calendar/working-day?date=2026-03-09')).json(), { date: '2026-03-09', working: true, reason: 'workday', holiday: null, provisional: false });
  });

  t.test('a year and its source notice', async (t) => {
    t.same((await get('/api/calendar')).json(), { years: [2025, 2026] });
    const r = await get('/api/calendar/2026');
    t.equal(r.statusCode, 200);
    const body = r.json();
    t.match(body.source, { title: '国务院办公厅关于2026年部分节假日安排的通知', documentNumber: '国办发明电〔2025〕7号', published: '2025-11-04' });
    t.match(body.holidays[1], { name: '春节', from: '2026-02-15', to: '2026-02-23', days: 9 });
    t.same(body.makeUpWorkdays.map((w: { date: string }) => w.date), ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });
});

t.test('/ready warns of provisional years, never fails for them', async (t) => {
  const in2025 = await makeApp({ now: () => Date.parse('2025-12-01T02:00:00Z') });
  t.teardown(in2025.close);
  t.same((await in2025.app.inject('/ready')).json().warnings, [], '2025 and 2026 both have notices');

  // 31 October 2026: next year is not watched yet
  const october = await makeApp({ now: () => Date.parse('2026-10-31T02:00:00Z') });
  t.teardown(october.close);
  t.same((await october.app.inject('/ready')).json().warnings, []);

  // 2026-10-31 16:00 UTC is already 1 November in Shanghai
  const november = await makeApp({ now: () => Date.parse('2026-10-31T16:00:00Z') });
  t.teardown(november.close);
  const r = await november.app.inject('/ready');
  t.equal(r.statusCode, 503, 'no ARI in tests; the calendar adds nothing to the status');
  t.match(r.json().warnings, [/calendar: 2027 provisional/]);
});

t.test('a bad BUSINESS_HOURS stops the app at start', async (t) => {
  await t.rejects(makeApp({ config: { businessHours: '17:00-09:00' } }), { message: /BUSINESS_HOURS/ });
});
