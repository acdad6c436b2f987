// Quality inspection (质检, #21): the daily draw per seat, the score sheet as data, scoring
// with comments, results on the call and per seat and month, a seat's own scores.
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { runDailyJob } from '../../src/jobs/run-jobs.js';
import { answeredCall, memoryStore, wav } from '../recordings/_fixtures.js';

const NOW = Date.parse('2026-11-11T03:00:00+08:00');
const DAY_BEFORE = Date.parse('2026-11-10T10:00:00+08:00');
const QUALITY = { role: 'quality' as const, name: 'qc', userId: 701 };
const SUPERVISOR = { role: 'supervisor' as const, name: 'sup', userId: 702 };
const OP1 = { role: 'operator' as const, name: 'op1', userId: 703, seatId: '1001' };
const OP2 = { role: 'operator' as const, name: 'op2', userId: 704, seatId: '1002' };

const FULL = [
  { code: 'service_language', points: 20, comment: '开头语规范' },
  { code: 'answer_accuracy', points: 28 },
  { code: 'process_compliance', points: 25 },
  { code: 'confidentiality', points: 20 },
];

t.test('the daily draw per seat, scoring on the sheet, results per seat and month, a seat sees its own', async (t) => {
  const h = await makeApp({ now: () => NOW, config: { quality: { sampleRate: 0.2, sampleMinimum: 2 } } });
  t.teardown(h.close);
  const s = h.app.services;
  const store = memoryStore();
  s.recordingStore = store;
  const seat1 = Array.from({ length: 20 }, (_, i) => answeredCall(h, { seatId: '1001', startedAt: DAY_BEFORE + i * 60_000 }));
  const seat2 = Array.from({ length: 3 }, (_, i) => answeredCall(h, { seatId: '1002', startedAt: DAY_BEFORE + i * 60_000 }));
  answeredCall(h, { seatId: '1003', startedAt: DAY_BEFORE, outcome: 'abandoned' });
  answeredCall(h, { seatId: '1003', startedAt: NOW - 60_000 }); // today: tomorrow's draw
  for (const c of [...seat1, ...seat2]) store.files.set(c.recordingName!, wav(1));

  const [run] = runDailyJob({ ...s }, 'quality-draw', NOW);
  t.same(run, { day: '2026-11-10', result: { day: '2026-11-10', seats: 2, population: 23, drawn: 6 } }, '20 % of 20 = 4 for 1001, the minimum 2 for 1002');
  t.same(runDailyJob(s, 'quality-draw', NOW), [], 'a day is drawn once');

  t.equal((await h.app.inject({ url: '/api/quality/samples', headers: h.auth(OP1) })).statusCode, 403, 'not for operators');
  const list = await h.app.inject({ url: '/api/quality/samples?day=2026-11-10', headers: h.auth(QUALITY) });
  t.equal(list.statusCode, 200, list.body);
  const samples = list.json().items as Array<{ id: number; seatId: string; callId: string; ticketId: number; population: number; score: unknown }>;
  t.same(samples.map((x) => x.seatId), ['1001', '1001', '1001', '1001', '1002', '1002']);
  t.same(samples.map((x) => x.population), [20, 20, 20, 20, 3, 3]);
  const again = (await h.app.inject({ url: '/api/quality/samples?day=2026-11-10', headers: h.auth(SUPERVISOR) })).json().items.map((x: { callId: string }) => x.callId);
  t.same(again, samples.map((x) => x.callId), 'supervisors see the same draw');

  // the quality role hears the drawn calls, and only those
  const drawn = samples[0];
  const undrawn = seat1.find((c) => !samples.some((x) => x.callId === c.callId))!;
  t.equal((await h.app.inject({ url: `/api/tickets/${drawn.ticketId}/recording`, headers: h.auth(QUALITY) })).statusCode, 200, 'a drawn call plays for the quality role');
  t.equal((await h.app.inject({ url: `/api/tickets/${undrawn.ticket.id}/recording`, headers: h.auth(QUALITY) })).statusCode, 403, 'a call not drawn does not');

  const sheet = (await h.app.inject({ url: '/api/quality/sheet', headers: h.auth(QUALITY) })).json();
  t.same(sheet.items.map((i: { label: string; points: number }) => [i.label, i.points]), [['服务用语', 25], ['答复准确', 30], ['流程规范', 25], ['信息保密', 20]]);
  t.equal(sheet.maxTotal, 100);

  const score = (id: number, payload: unknown, who: { role: 'quality' | 'supervisor' | 'operator'; name: string; userId: number } = QUALITY) => h.app.inject({ method: 'POST', url: `/api/quality/samples/${id}/score`, headers: h.auth(who), payload: payload as object });
  const over = await score(drawn.id, { items: [FULL[0], { code: 'answer_accuracy', points: 31 }, FULL[2], FULL[3]] });
  t.equal(over.statusCode, 400);
  t.equal(over.json().field, 'items/1/points');
  t.match(over.json().message, /答复准确 最多 30 分/);
  const missing = await score(drawn.id, { items: FULL.slice(0, 3) });
  t.equal(missing.statusCode, 400);
  t.match(missing.json().message, /缺少评分项：信息保密/);
  t.equal((await score(drawn.id, { items: [...FULL, { code: 'unknown_item', points: 1 }] })).json().field, 'items/4/code');
  t.equal((await score(drawn.id, { items: FULL }, OP1)).statusCode, 403, 'a seat does not score');
  t.equal((await score(99999, { items: FULL })).statusCode, 404);
  t.equal((s.db.$client.prepare('select count(*) as n from quality_scores').get() as { n: number }).n, 0, 'refused scores change nothing');

  const ok = await score(drawn.id, { items: FULL, comment: '答复基本准确，注意核实低保政策细节' });
  t.equal(ok.statusCode, 200, ok.body);
  t.equal(ok.json().score.total, 93);
  t.equal(ok.json().score.maxTotal, 100);
  t.equal(ok.json().score.scoredBy, 'qc');
  const rescored = await score(drawn.id, { items: FULL.map((i) => ({ ...i, points: i.code === 'confidentiality' ? 10 : i.points })), comment: '复核：透露了来电人住址' }, SUPERVISOR);
  t.equal(rescored.json().score.total, 83, 'scored again: replaced');
  t.equal((await score(samples[4].id, { items: FULL.map((i) => ({ ...i, points: 15 })) })).json().score.total, 60);

  // on the call
  const onCall = (await h.app.inject({ url: `/api/tickets/${drawn.ticketId}/recordings`, headers: h.auth(SUPERVISOR) })).json();
  t.equal(onCall.quality.score.total, 83);
  t.equal(onCall.quality.score.comment, '复核：透露了来电人住址');
  t.equal((await h.app.inject({ url: `/api/tickets/${drawn.ticketId}/recordings`, headers: h.auth(OP1) })).json().quality.score.total, 83, 'the seat that took it sees its score');
  t.equal((await h.app.inject({ url: `/api/tickets/${drawn.ticketId}/recordings`, headers: h.auth(OP2) })).json().quality, null, 'another seat does not');

  // per seat and month
  const stats = await h.app.inject({ url: '/api/quality/stats?from=2026-11&to=2026-11&by=seat_month', headers: h.auth(SUPERVISOR) });
  t.equal(stats.statusCode, 200, stats.body);
  t.same(stats.json().items.map((r: { seatId: string; month: string; scored: number; averagePercent: number }) => [r.seatId, r.month, r.scored, r.averagePercent]), [['1001', '2026-11', 1, 83], ['1002', '2026-11', 1, 60]]);
  const perMonth = (await h.app.inject({ url: '/api/quality/stats?from=2026-01&to=2026-12&by=month', headers: h.auth(QUALITY) })).json().items;
  t.same(perMonth.map((r: { month: string; scored: number; averagePercent: number }) => [r.month, r.scored, r.averagePercent]), [['2026-11', 2, 71.5]]);
  t.same(perMonth[0].items.find((i: { code: string }) => i.code === 'confidentiality').average, 12.5);
  t.equal((await h.app.inject({ url: '/api/quality/stats?from=2026-12&to=2026-11', headers: h.auth(SUPERVISOR) })).statusCode, 400);
  t.equal((await h.app.inject({ url: '/api/quality/stats?from=2026-11&to=2026-11', headers: h.auth(OP1) })).statusCode, 403);

  // a seat sees its own scores, never another's
  const mine = (await h.app.inject({ url: '/api/quality/mine?from=2026-11&to=2026-11', headers: h.auth(OP1) })).json();
  t.equal(mine.seatId, '1001');
  t.same(mine.items.map((x: { callId: string; score: { total: number; comment: string } }) => [x.callId, x.score.total, x.score.comment]), [[drawn.callId, 83, '复核：透露了来电人住址']]);
  t.same(mine.months.map((m: { seatId: string; averagePercent: number }) => [m.seatId, m.averagePercent]), [['1001', 83]]);
  const theirs = (await h.app.inject({ url: '/api/quality/mine?from=2026-11&to=2026-11', headers: h.auth(OP2) })).json();
  t.same(theirs.items.map((x: { seatId: string }) => x.seatId), ['1002']);

  // the sheet is data: a new version, checked
  const dup = await h.app.inject({ method: 'PUT', url: '/api/quality/sheet', headers: h.auth(SUPERVISOR), payload: { items: [{ code: 'a_item', label: '甲', points: 50 }, { code: 'a_item', label: '乙', points: 50 }] } });
  t.equal(dup.statusCode, 400);
  t.equal(dup.json().field, 'items/1/code');
  t.equal((await h.app.inject({ method: 'PUT', url: '/api/quality/sheet', headers: h.auth(QUALITY), payload: { items: [{ code: 'x', label: 'x', points: 1 }] } })).statusCode, 403);
  const v2 = await h.app.inject({ method: 'PUT', url: '/api/quality/sheet', headers: h.auth(SUPERVISOR), payload: { items: [{ code: 'service_language', label: '服务用语', points: 50 }, { code: 'answer_accuracy', label: '答复准确', points: 50 }] } });
  t.equal(v2.statusCode, 200, v2.body);
  t.equal(v2.json().maxTotal, 100);
  t.equal((await score(samples[5].id, { items: [{ code: 'service_language', points: 40 }, { code: 'answer_accuracy', points: 45 }] })).json().score.total, 85, 'scored on the new sheet');
  t.equal((await h.app.inject({ url: `/api/tickets/${drawn.ticketId}/recordings`, headers: h.auth(SUPERVISOR) })).json().quality.score.sheetId, sheet.id, 'earlier scores keep their sheet');
});
