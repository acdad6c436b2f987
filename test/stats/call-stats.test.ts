// Call KPIs and calls per hour against hand-counted numbers from test/stats/_stats-fixture.ts.
import t from 'tap';
import { at, seededApp } from './_stats-fixture.js';
import { SERVICE_LEVEL_SECONDS } from '../../src/stats/call-kpis.js';

const k = (offered: number, answered: number, abandoned: number, voicemail: number, callback: number, asaSeconds: number | null, ahtSeconds: number | null, serviceLevel: number | null) =>
  ({ offered, answered, abandoned, voicemail, callback, asaSeconds, ahtSeconds, serviceLevel });

// 2–3 November: c01–c24 and c29 (c25 at 23:59:59.999 on the 1st and c26 at 00:00 on the 4th are outside)
// answered waits 5 20 21 10 0 40 15 8 3 | 12 25 18 20 2 = 199 s over 14; talks 1450 + 1340 = 2790 s
// within 20 s (≤ 20 counts): 7 on the 2nd (not c05 21 s, c11 40 s), 4 on the 3rd (not c19 25 s)
const TOTAL = k(25, 14, 5, 3, 2, 14.2, 199.3, 11 / 14);

t.test('call KPIs per day, queue and seat', async (t) => {
  const { h, get } = await seededApp();
  t.teardown(h.close);
  t.equal(SERVICE_LEVEL_SECONDS, 20);

  const byDay = await get('/api/stats/calls?from=2026-11-02&to=2026-11-03&by=day');
  t.equal(byDay.statusCode, 200);
  t.same(byDay.json(), {
    from: '2026-11-02',
    to: '2026-11-03',
    by: 'day',
    serviceLevelSeconds: 20,
    total: TOTAL,
    rows: [
      // c01 (00:00) … c16 (23:59:59.999): 122 s / 9 = 13.56, 1450 s / 9 = 161.11
      { key: '2026-11-02', ...k(16, 9, 3, 3, 1, 13.6, 161.1, 7 / 9) },
      // c17 (00:00) … c24, c29 (interrupted: offered, nothing else): 77 s / 5, 1340 s / 5
      { key: '2026-11-03', ...k(9, 5, 2, 0, 1, 15.4, 268, 4 / 5) },
    ],
  });

  const byQueue = (await get('/api/stats/calls?from=2026-11-02&to=2026-11-03&by=queue')).json();
  t.same(byQueue.total, TOTAL);
  t.same(byQueue.rows, [
    { key: null, ...k(2, 0, 0, 2, 0, null, null, null) }, // c01 c02: after-hours voicemail, never queued
    { key: 'community_life', ...k(5, 2, 2, 0, 1, 14, 330, 1) }, // c07 c08 c09 c20 c21
    { key: 'complaint', ...k(3, 2, 1, 0, 0, 5, 450, 1) }, // c13 c14 c24
    { key: 'consultation', ...k(10, 7, 1, 1, 0, 16.9, 150, 5 / 7) }, // c03 c04 c05 c06 c12 c15 c18 c19 c22 c29: 118 s / 7, 1050 s / 7
    { key: 'operator', ...k(5, 3, 1, 0, 1, 14.3, 60, 2 / 3) }, // c10 c11 c16 c17 c23: 43 s / 3
  ]);

  const bySeat = (await get('/api/stats/calls?from=2026-11-02&to=2026-11-03&by=seat')).json();
  t.same(bySeat.rows, [
    { key: null, ...k(11, 0, 5, 3, 2, null, null, null) }, // the calls no seat took
    { key: '1001', ...k(6, 6, 0, 0, 0, 17.5, 175, 5 / 6) }, // c03 c04 c11 c13 c18 c22: 105 s, 1050 s
    { key: '1002', ...k(6, 6, 0, 0, 0, 11, 180, 4 / 6) }, // c05 c10 c12 c16 c19 c24: 66 s, 1080 s
    { key: 'street-tianlin', ...k(2, 2, 0, 0, 0, 14, 330, 1) }, // c07 c20
  ]);

  const days = (await get('/api/stats/calls?from=2026-11-01&to=2026-11-05')).json();
  t.equal(days.by, 'day', 'by defaults to day');
  t.same(days.rows.map((r: { key: string }) => r.key), ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'], 'every day of the period');
  t.same(days.rows[0], { key: '2026-11-01', ...k(1, 1, 0, 0, 0, 1, 10, 1) }, 'c25 at 23:59:59.999 is the 1st');
  t.same(days.rows[3], { key: '2026-11-04', ...k(1, 1, 0, 0, 0, 1, 10, 1) }, 'c26 at 00:00 is the 4th');
  t.same(days.rows[4], { key: '2026-11-05', ...k(0, 0, 0, 0, 0, null, null, null) }, 'a day without calls: zeros');
  t.equal(days.total.offered, 27);

  const oct = (await get('/api/stats/calls?from=2026-10-01&to=2026-10-31&by=queue')).json();
  t.same(oct.rows, [
    { key: 'community_life', ...k(1, 0, 1, 0, 0, null, null, null) }, // c28, 23:59:59 on 31 Oct
    { key: 'consultation', ...k(1, 1, 0, 0, 0, 5, 100, 1) }, // c27
  ]);
});

t.test('calls per hour: 24 rows for a Shanghai day', async (t) => {
  const { h, get, clock } = await seededApp();
  t.teardown(h.close);

  const res = await get('/api/stats/calls-per-hour?day=2026-11-02');
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.day, '2026-11-02');
  t.equal(body.hours.length, 24);
  t.same(body.hours.map((x: { hour: number }) => x.hour), Array.from({ length: 24 }, (_, i) => i));
  const busy = body.hours.filter((x: { offered: number }) => x.offered > 0).map((x: { hour: number; offered: number; answered: number; abandoned: number }) => [x.hour, x.offered, x.answered, x.abandoned]);
  t.same(busy, [
    [0, 1, 0, 0], // c01 at 00:00
    [8, 1, 0, 0], // c02 at 08:59:59
    [9, 5, 4, 1], // c03–c07
    [10, 4, 2, 1], // c08–c11 (c11 at 10:59:59)
    [11, 1, 1, 0], // c12
    [14, 2, 1, 1], // c13 c14
    [16, 1, 0, 0], // c15
    [23, 1, 1, 0], // c16 at 23:59:59.999
  ]);
  t.same(body.hours[12], { hour: 12, offered: 0, answered: 0, abandoned: 0 }, 'quiet hours are zeros');

  // 07:30 on the 3rd in Shanghai is still the 2nd in UTC
  clock.now = at('2026-11-03 07:30');
  const today = (await get('/api/stats/calls-per-hour')).json();
  t.equal(today.day, '2026-11-03', 'default: today in Shanghai');
  t.same(
    today.hours.filter((x: { offered: number }) => x.offered > 0).map((x: { hour: number; offered: number; answered: number; abandoned: number }) => [x.hour, x.offered, x.answered, x.abandoned]),
    [[0, 1, 0, 1], [9, 2, 2, 0], [10, 2, 1, 1], [11, 1, 1, 0], [12, 1, 0, 0], [15, 1, 0, 0], [16, 1, 1, 0]],
  );

  const empty = (await get('/api/stats/calls-per-hour?day=2026-12-25')).json();
  t.equal(empty.hours.length, 24);
  t.ok(empty.hours.every((x: { offered: number }) => x.offered === 0));
});
