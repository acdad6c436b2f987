// Ticket statistics against hand-counted numbers from test/stats/_stats-fixture.ts.
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { at, seededApp } from './_stats-fixture.js';
import { buildDailyReport } from '../../src/jobs/daily-report.js';
import { dailyTicketReport } from '../../src/jobs/schema.js';
import { csvField } from '../../src/stats/csv.js';

const r = (kind: string | null, category: string | null, status: string, source: string, count: number) => ({ kind, category, status, source, count });
type Row = { kind: string | null; category: string | null; status: string; source: string; count: number };
/** the rows summed over subcategory and unit: kind × category × status × source, in that order */
function collapse(body: { rows: Row[] } & Record<string, unknown>) {
  const m = new Map<string, Row>();
  for (const x of body.rows) {
    const k = JSON.stringify([x.kind ?? '', x.category ?? '', x.status, x.source]);
    const y = m.get(k) ?? m.set(k, r(x.kind, x.category, x.status, x.source, 0)).get(k)!;
    y.count += x.count;
  }
  const { statusAsOf: _a, kinds: _k, ...rest } = body;
  return { ...rest, rows: [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v) };
}

t.test('ticket counts by kind × category × status × source over Shanghai days', async (t) => {
  const { h, get } = await seededApp();
  t.teardown(h.close);

  const nov = await get('/api/stats/tickets?from=2026-11-01&to=2026-11-30');
  t.equal(nov.statusCode, 200);
  // 23 November tickets: 00:00 on the 1st and 23:59:59.999 on the 30th in, 23:59 on 31 Oct and 00:00 on 1 Dec out
  t.same(collapse(nov.json()), {
    from: '2026-11-01',
    to: '2026-11-30',
    total: 23,
    rows: [
      r(null, null, 'open', 'phone', 1), // U1
      r('collaborative', '=1+1', 'coordinated', 'manual', 1), // Q2
      r('collaborative', '养老服务, "助餐"', 'coordinated', 'manual', 1), // Q1
      r('emergency', 'emergency', 'closed', 'email', 1), // U2
      r('immediate', 'consultation', 'closed', 'email', 1), // S3
      r('immediate', 'consultation', 'closed', 'online', 1), // M1
      r('immediate', 'consultation', 'closed', 'phone', 4), // S1 S2 S5 M2
      r('immediate', 'consultation', 'in_review', 'phone', 1), // S4
      r('routed', 'community_life', 'closed', '12345', 1), // A4
      r('routed', 'community_life', 'closed', 'online', 1), // H3
      r('routed', 'community_life', 'closed', 'phone', 4), // A1 A2 H1 H2
      r('routed', 'community_life', 'in_progress', 'phone', 2), // A3 H5
      r('routed', 'community_life', 'open', 'phone', 1), // A6
      r('routed', 'community_life', 'resolved', 'phone', 1), // H4
      r('routed', 'community_life', 'routed', 'phone', 1), // A5
      r('supervised', 'complaint', 'supervising', '12345', 1), // G1
    ],
  });

  const routed = (await get('/api/stats/tickets?from=2026-11-01&to=2026-11-30&kind=routed')).json();
  t.equal(routed.total, 11, 'kind=routed: A1–A6 and H1–H5');
  t.equal(collapse(routed).rows.length, 7);
  t.ok(routed.rows.every((x: { kind: string }) => x.kind === 'routed'));

  const email = (await get('/api/stats/tickets?from=2026-11-01&to=2026-11-30&source=email')).json();
  t.same(collapse(email).rows, [r('emergency', 'emergency', 'closed', 'email', 1), r('immediate', 'consultation', 'closed', 'email', 1)]);

  t.same(collapse((await get('/api/stats/tickets?from=2026-11-01')).json()), { from: '2026-11-01', to: '2026-11-01', total: 1, rows: [r('routed', 'community_life', 'closed', 'phone', 1)] }, 'to defaults to from; H1 at 00:00 is on the 1st');
  t.same(collapse((await get('/api/stats/tickets?from=2026-11-30')).json()).rows, [r('routed', 'community_life', 'open', 'phone', 1)], 'A6 at 23:59:59.999 is still the 30th');

  t.same(collapse((await get('/api/stats/tickets?from=2026-10-01&to=2026-10-31')).json()), {
    from: '2026-10-01',
    to: '2026-10-31',
    total: 10,
    rows: [
      r('immediate', 'consultation', 'closed', 'phone', 4), // OS1–OS4 (OS4 at 23:59 on the 31st)
      r('routed', 'community_life', 'closed', 'phone', 3), // OH1 OA1 OA2
      r('supervised', 'complaint', 'closed', '12345', 3), // OG1–OG3
    ],
  });
  t.same((await get('/api/stats/tickets?from=2026-10-31&to=2026-11-01')).json().total, 2, 'OS4 (31 Oct 23:59) and H1 (1 Nov 00:00)');
  t.same((await get('/api/stats/tickets?from=2026-12-01')).json().total, 1, 'D1 only');
});

t.test('hot topics: top subcategories and the rising ones against the previous period', async (t) => {
  const { h, get } = await seededApp();
  t.teardown(h.close);

  const nov = await get('/api/stats/hot-topics?from=2026-11-01&to=2026-11-30');
  t.equal(nov.statusCode, 200);
  const housekeeping = { category: 'community_life', subcategory: 'housekeeping', count: 5, previousCount: 0, change: 5, ratio: null };
  const appliance = { category: 'community_life', subcategory: 'appliance_repair', count: 6, previousCount: 2, change: 4, ratio: 3 };
  const { terms: _t, risingTerms: _r, focus: _f, ...subcategories } = nov.json();
  t.same(subcategories, {
    from: '2026-11-01',
    to: '2026-11-30',
    // 30 days before 1 Nov: 2–31 Oct, so OH1 (1 Oct) is not in it and OA1 (2 Oct 00:00) is
    previousFrom: '2026-10-02',
    previousTo: '2026-10-31',
    total: 19,
    rule: { minCount: 5, minGrowth: 0.5 },
    top: [
      appliance,
      housekeeping, // ties with social_assistance at 5: community_life sorts before consultation
      { category: 'consultation', subcategory: 'social_assistance', count: 5, previousCount: 4, change: 1, ratio: 1.25 },
      { category: 'consultation', subcategory: 'marriage', count: 2, previousCount: 0, change: 2, ratio: null },
      { category: 'complaint', subcategory: 'government_conduct', count: 1, previousCount: 3, change: -2, ratio: 1 / 3 },
    ],
    // social_assistance grew only 25%, marriage has fewer than 5: not rising
    rising: [housekeeping, appliance],
  });

  const one = (await get('/api/stats/hot-topics?from=2026-11-01&to=2026-11-30&limit=1')).json();
  t.same([one.top.map((x: { subcategory: string }) => x.subcategory), one.rising.map((x: { subcategory: string }) => x.subcategory)], [['appliance_repair'], ['housekeeping']], 'limit caps both lists');

  const oct = (await get('/api/stats/hot-topics?from=2026-10-01&to=2026-10-31')).json();
  t.same([oct.previousFrom, oct.previousTo, oct.total], ['2026-08-31', '2026-09-30', 10]);
  t.same(oct.top.map((x: { subcategory: string; count: number }) => [x.subcategory, x.count]), [['social_assistance', 4], ['government_conduct', 3], ['appliance_repair', 2], ['housekeeping', 1]]);
  t.same(oct.rising, [], 'all new against an empty September, but none reaches 5 tickets');
});

t.test('deadline compliance per department and per street', async (t) => {
  const { h, get, clock } = await seededApp(at('2026-11-28 12:00'));
  t.teardown(h.close);

  const c = (due: number, onTime: number, late: number, overdue: number, pending: number, onTimeRate: number | null) => ({ due, onTime, late, overdue, pending, onTimeRate });
  const nov = await get('/api/stats/deadlines?from=2026-11-01&to=2026-11-30');
  t.equal(nov.statusCode, 200);
  t.same(nov.json(), {
    from: '2026-11-01',
    to: '2026-11-30',
    // due in November: OA2 OG2 OG3 A1 A2 A3 A4 H1 H2 H3 H5 G1 (OA1's deadline is 31 Oct 23:59:59.999: October)
    total: c(12, 7, 2, 2, 1, 7 / 11),
    departments: [
      { departmentId: 'civil-d1', ...c(2, 1, 1, 0, 0, 0.5) }, // A4 on time, OG2 resolved 3 Nov for 1 Nov
      { departmentId: 'civil-d2', ...c(2, 1, 0, 1, 0, 0.5) }, // OG3 on time, G1 open past 19 Nov
    ],
    streets: [
      { street: 'tianlin', ...c(4, 3, 1, 0, 0, 0.75) }, // OA2 (dueAt, 23:00 on the day) A1 H3 on time, A2 late
      { street: 'xujiahui', ...c(4, 2, 0, 1, 1, 2 / 3) }, // H1, H2 (closedAt, no resolvedAt) on time, A3 overdue, H5 pending
    ],
  });

  const longer = (await get('/api/stats/deadlines?from=2026-11-01&to=2026-12-05')).json();
  // adds A5 (tianlin, pending), H4 (xujiahui, resolved early), A6 and D1 (not routed yet: total only, pending)
  t.same(longer.total, c(16, 8, 2, 2, 4, 8 / 12));
  t.same(longer.streets, [
    { street: 'tianlin', ...c(5, 3, 1, 0, 1, 0.75) },
    { street: 'xujiahui', ...c(5, 3, 0, 1, 1, 0.75) },
  ]);
  t.same(longer.departments.map((d: { due: number }) => d.due), [2, 2]);

  clock.now = at('2026-12-01 09:00');
  t.same((await get('/api/stats/deadlines?from=2026-11-01&to=2026-11-30')).json().total, c(12, 7, 2, 3, 0, 7 / 12), 'once 30 Nov has passed H5 is overdue');

  t.same((await get('/api/stats/deadlines?from=2026-10-01&to=2026-10-31')).json().total, c(3, 2, 1, 0, 0, 2 / 3), 'October: OA1, OG1 on time, OH1 late');
});

t.test('daily report CSV: the job\'s rows, quoted for spreadsheets', async (t) => {
  const { h, db, get } = await seededApp();
  t.teardown(h.close);

  const res = await get('/api/stats/daily-report.csv?day=2026-11-02');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(res.headers['content-disposition'], 'attachment; filename="962200-daily-report-2026-11-02.csv"');
  // A1 was routed on the 2nd and accepted at 00:00 on the 3rd: at the end of the 2nd it was routed (it is closed now)
  const HEAD = '\uFEFF期间,类型,类别,子类,来源,承办单位类型,承办单位,期末状态,件数\r\n';
  const kinds = (day: string, immediate: number, routed: number, supervised: number, emergency: number, collaborative: number, none: number) =>
    [['即办件', immediate], ['流转件', routed], ['督办件', supervised], ['应急件', emergency], ['协同件', collaborative], ['未分类', none]].map(([k, n]) => `${day},${k},（合计）,,,,,,${n}\r\n`).join('') +
    `${day},（总计）,,,,,,,${immediate + routed + supervised + emergency + collaborative + none}\r\n`;
  t.equal(
    res.body,
    HEAD +
      "2026-11-02,协同件,'=1+1,,人工登记,热线中心,热线中心,已协同,1\r\n" +
      '2026-11-02,协同件,"养老服务, ""助餐""",,人工登记,热线中心,热线中心,已协同,1\r\n' +
      '2026-11-02,即办件,咨询,社会救助,电话,热线中心,热线中心,已结案,2\r\n' +
      '2026-11-02,流转件,社区生活,家电维修,电话,街镇,tianlin,已派转,1\r\n' +
      kinds('2026-11-02', 2, 1, 0, 0, 2, 0),
    'Chinese labels, the five kinds always, status at the end of the day',
  );
  t.equal(res.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'starts with the UTF-8 BOM');

  t.same(buildDailyReport(db, '2026-11-02', at('2026-11-03 01:00')), { day: '2026-11-02', tickets: 5, rows: 4 }, 'the job counts the same');
  const stored = db.select().from(dailyTicketReport).where(eq(dailyTicketReport.day, '2026-11-02')).orderBy(asc(dailyTicketReport.id)).all();
  t.same(stored.map((x) => [x.kind, x.category, x.status, x.source, x.count]), [
    ['collaborative', '=1+1', 'coordinated', 'manual', 1],
    ['collaborative', '养老服务, "助餐"', 'coordinated', 'manual', 1],
    ['immediate', 'consultation', 'closed', 'phone', 2],
    ['routed', 'community_life', 'routed', 'phone', 1],
  ], 'and still writes its table');

  t.equal((await get('/api/stats/daily-report.csv?day=2026-11-07')).body, HEAD + '2026-11-07,未分类,未分类,,电话,热线中心,热线中心,待处理,1\r\n' + kinds('2026-11-07', 0, 0, 0, 0, 0, 1), 'unclassified');
  t.equal((await get('/api/stats/daily-report.csv?day=2026-11-08')).body, HEAD + kinds('2026-11-08', 0, 0, 0, 0, 0, 0), 'a day without tickets: zeros');
  const yesterday = await get('/api/stats/daily-report.csv');
  t.equal(yesterday.headers['content-disposition'], 'attachment; filename="962200-daily-report-2026-11-27.csv"', 'default: yesterday in Shanghai');

  t.equal(csvField('a\nb'), '"a\nb"');
  t.equal(csvField(' padded'), '" padded"');
  t.equal(csvField('说"好"'), '"说""好"""');
  t.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  t.equal(csvField(null), '');
  t.equal(csvField(-3), '-3', 'numbers are not formulas');
});
