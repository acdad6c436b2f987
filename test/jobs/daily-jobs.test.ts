import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { runDailyJob, runDueJobs } from '../../src/jobs/run-jobs.js';
import { callbackSamples, dailyTicketReport, jobRuns } from '../../src/jobs/schema.js';
import { sampleSize } from '../../src/jobs/callback-sampling.js';
import { buildDailyReport } from '../../src/jobs/daily-report.js';
import { shanghaiInstant } from '../../src/shared/time.js';
import { DAY, makeAppWithJobs, setup } from './_jobs-fixtures.js';

const at = (day: string, h: number, m = 0) => shanghaiInstant(day, h, m);

t.test('daily report: counts by kind × category × status × source, status at the end of the day', async (t) => {
  const { act, ticket, clock, s } = await setup(t, at('2026-03-02', 9));
  ticket({ kind: 'routed', category: 'community_life' });
  ticket({ kind: 'routed', category: 'community_life' });
  const answered = ticket({ kind: 'immediate', category: 'consultation' });
  await act(answered.id, 'answer', 'operator', { reply: 'x' });
  const later = ticket({ kind: 'immediate', category: 'consultation', source: 'email' });
  clock.now = at('2026-03-03', 10);
  await act(later.id, 'answer', 'operator', { reply: 'answered the next day' });
  ticket({ kind: 'immediate', category: 'consultation' }); // created on the 3rd: not in the 2nd's report

  const rows = () =>
    s.db.select().from(dailyTicketReport).where(eq(dailyTicketReport.day, '2026-03-02')).orderBy(asc(dailyTicketReport.kind), asc(dailyTicketReport.source), asc(dailyTicketReport.status)).all()
      .map((r) => [r.kind, r.category, r.status, r.source, r.count]);
  t.same(buildDailyReport(s.db, '2026-03-02', clock.now), { day: '2026-03-02', tickets: 4, rows: 3 });
  const expected = [
    ['immediate', 'consultation', 'open', 'email', 1],
    ['immediate', 'consultation', 'closed', 'phone', 1],
    ['routed', 'community_life', 'open', 'phone', 2],
  ];
  t.same(rows(), expected, 'the email ticket answered the next day still counts as open on the 2nd');
  buildDailyReport(s.db, '2026-03-02', clock.now);
  t.same(rows(), expected, 'a re-run replaces the day, never doubles it');
});

t.test('catch-up: days missed while the server was down are done at start-up, once each', async (t) => {
  const { ticket, clock, s } = await setup(t, at('2026-03-02', 9));
  ticket({ kind: 'routed' });
  clock.now = at('2026-03-03', 0, 30);
  let done = runDueJobs(s, clock.now);
  t.same(done.daily['daily-report'].map((d) => d.day), ['2026-03-02']);
  t.equal(s.db.select().from(jobRuns).where(eq(jobRuns.job, 'daily-report')).get()!.lastPeriod, '2026-03-02');
  t.same(runDailyJob(s, 'daily-report', at('2026-03-03', 1, 30)), [], 'an hour later nothing is owed');

  // down from the 3rd to the 6th: tickets still came in (e.g. recovered from CDRs)
  clock.now = at('2026-03-04', 11);
  ticket({ kind: 'immediate' });
  clock.now = at('2026-03-06', 8);
  done = runDueJobs(s, clock.now);
  t.same(done.daily['daily-report'].map((d) => d.day), ['2026-03-03', '2026-03-04', '2026-03-05'], 'each missed day is reported');
  t.same(done.daily['callback-sampling'].map((d) => d.day), ['2026-03-03', '2026-03-04', '2026-03-05']);
  t.equal(s.db.select().from(jobRuns).where(eq(jobRuns.job, 'daily-report')).get()!.lastPeriod, '2026-03-05');
  t.same(s.db.select().from(dailyTicketReport).where(eq(dailyTicketReport.day, '2026-03-04')).all().map((r) => [r.kind, r.count]), [['immediate', 1]]);
  done = runDueJobs(s, clock.now);
  t.same(done.daily['daily-report'], [], 'running again owes nothing');
});

t.test('callback sampling: 10% or at least 5, deterministic, recorded, and worked by spot_check', async (t) => {
  t.equal(sampleSize(0), 0);
  t.equal(sampleSize(3), 3);
  t.equal(sampleSize(30), 5);
  t.equal(sampleSize(120), 12);

  const draw = async () => {
    const { act, ticket, clock, s, get } = await setup(t, at('2026-03-02', 9));
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const tk = ticket({ kind: 'immediate' });
      await act(tk.id, 'answer', 'operator', { reply: 'x' });
      ids.push(tk.id);
    }
    ticket({ kind: 'immediate', status: 'open' }); // not closed: never drawn
    clock.now = at('2026-03-03', 1);
    const [{ result }] = runDailyJob(s, 'callback-sampling', clock.now);
    t.same(result, { day: '2026-03-02', population: 30, sampled: 5 });
    t.same(runDailyJob(s, 'callback-sampling', clock.now), [], 'done once per day');
    const samples = s.db.select().from(callbackSamples).orderBy(asc(callbackSamples.rank)).all();
    t.equal(samples.length, 5);
    for (const x of samples) {
      t.equal(get(x.ticketId).needsCallback, true);
      t.ok(s.tickets.events(x.ticketId).some((e) => e.action === 'sampled_for_callback'));
    }
    const picked = samples.map((x) => get(x.ticketId).number);
    const notPicked = ids.find((id) => !samples.some((x) => x.ticketId === id))!;
    t.equal((await act(notPicked, 'take_spot_check', 'operator', {})).statusCode, 409, 'only drawn tickets are taken for a spot-check');
    t.equal((await act(notPicked, 'spot_check', 'operator', { satisfaction: 'fair' })).statusCode, 409, 'only drawn tickets are spot-checked');
    t.equal((await act(samples[0].ticketId, 'take_spot_check', 'operator', {})).statusCode, 200, 'the operator takes the drawn callback');
    const r = await act(samples[0].ticketId, 'spot_check', 'operator', { satisfaction: 'unsatisfied', note: '回访不满意' });
    t.equal(r.statusCode, 200, r.body);
    t.equal(get(samples[0].ticketId).needsCallback, false);
    t.equal(s.tickets.list({ kind: 'supervised' }).total, 1, 'unsatisfied at the spot-check opens supervision');
    return picked;
  };
  t.same(await draw(), await draw(), 'the same closed tickets draw the same sample');
});

t.test('the jobs plugin catches up at start-up and stops its timers on close', async (t) => {
  const h = await makeAppWithJobs(at('2026-03-10', 9));
  const runs = h.app.services.db.select().from(jobRuns).all().map((r) => [r.job, r.lastPeriod]).sort();
  t.same(runs, [
    ['callback-sampling', '2026-03-09'],
    ['daily-report', '2026-03-09'],
    ['deadline-sweep', new Date(at('2026-03-10', 9)).toISOString()],
    ['hot-terms', '2026-03-09'],
    ['quality-draw', '2026-03-09'],
  ]);
  await h.close();
  t.pass('closed without hanging timers');
  void DAY;
});
