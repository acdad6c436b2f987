// Who may read the statistics, and bad queries: a clear 400 and nothing changed.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { seededApp } from './_stats-fixture.js';

const URLS = [
  '/api/stats/tickets?from=2026-11-01&to=2026-11-30',
  '/api/stats/hot-topics?from=2026-11-01&to=2026-11-30',
  '/api/stats/deadlines?from=2026-11-01&to=2026-11-30',
  '/api/stats/calls?from=2026-11-01&to=2026-11-30&by=queue',
  '/api/stats/calls-per-hour?day=2026-11-02',
  '/api/stats/daily-report.csv?day=2026-11-02',
];

t.test('supervisors, admins and inspectors read statistics; other roles get 403', async (t) => {
  const { h, get } = await seededApp();
  t.teardown(h.close);
  for (const url of URLS) {
    for (const role of ['supervisor', 'admin', 'inspector'] as const) t.equal((await get(url, role)).statusCode, 200, `${role} ${url}`);
    for (const role of ['operator', 'street_seat', 'department', 'integration'] as const) {
      const res = await get(url, role);
      t.same([res.statusCode, res.json().error], [403, 'forbidden'], `${role} ${url}`);
    }
    t.equal((await h.app.inject({ url })).statusCode, 401, `no token ${url}`);
  }
  const bad = await get('/api/stats/calls?from=2026-11-01&by=nonsense', 'operator');
  t.equal(bad.statusCode, 403, 'the role is checked before the query: a forbidden caller learns nothing from a 400');
});

t.test('bad queries: 400 with a clear message, nothing changed', async (t) => {
  const { h, db, get } = await seededApp();
  t.teardown(h.close);
  const counts = () => ['tickets', 'ticket_events', 'calls', 'daily_ticket_report'].map((table) => db.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`))!.n);
  const before = counts();

  const cases: Array<[url: string, message: RegExp]> = [
    ['/api/stats/tickets', /from/],
    ['/api/stats/tickets?from=2026-11', /from/],
    ['/api/stats/tickets?from=yesterday', /from/],
    ['/api/stats/tickets?from=2026-02-30', /from is not a calendar day: 2026-02-30/],
    ['/api/stats/tickets?from=2026-11-01&to=2026-13-01', /to is not a calendar day/],
    ['/api/stats/tickets?from=2026-11-30&to=2026-11-01', /from（2026-11-30）晚于 to（2026-11-01）/],
    ['/api/stats/tickets?from=2025-01-01&to=2026-01-02', /共 367 天，一次最多 366 天/],
    ['/api/stats/tickets?from=2026-11-01&kind=urgent', /kind/],
    ['/api/stats/tickets?from=2026-11-01&source=fax', /source/],
    ['/api/stats/tickets?from=2026-11-01&status=open', /不认识的字段名 status/],
    ['/api/stats/hot-topics?from=2026-11-01&limit=0', /limit/],
    ['/api/stats/hot-topics?from=2026-11-01&limit=many', /limit/],
    ['/api/stats/deadlines?from=2026-11-02&to=2026-11-01', /晚于/],
    ['/api/stats/calls?from=2026-11-01&by=week', /by 只能是：/],
    ['/api/stats/calls-per-hour?day=2026-11-31', /day is not a calendar day/],
    ['/api/stats/calls-per-hour?day=20261102', /day/],
    ['/api/stats/daily-report.csv?day=2026-02-29', /day is not a calendar day/],
  ];
  for (const [url, message] of cases) {
    const res = await get(url);
    t.equal(res.statusCode, 400, url);
    const body = res.json();
    t.equal(body.error, 'bad_request', url);
    t.match(body.message, message, `${url}: ${body.message}`);
  }
  t.equal((await get('/api/stats/tickets?from=2025-01-01&to=2026-01-01')).statusCode, 200, '366 days is allowed');
  t.equal((await get('/api/stats/daily-report.csv?day=2028-02-29')).statusCode, 200, 'a leap day is a day');
  t.same(counts(), before, 'nothing was written');
});
