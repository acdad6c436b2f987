// Every figure of a generated month (test/stats/_month.ts) two ways: what the API says,
// and a count made here from the generated objects, without SQL.
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { DAY, generateMonth, NOV, NOW, OCT, WORDS, writeMonth, type GenTicket } from './_month.js';

const m = generateMonth();
const byId = new Map(m.tickets.map((x) => [x.id, x]));
const inNov = (at: number) => at >= NOV.start && at < NOV.end;
const statusAt = (x: GenTicket, asOf: number) => [...x.events].reverse().find((e) => e.to !== null && e.at < asOf)!.to!;
const unitOf = (x: GenTicket): [string, string | null] => (x.departmentId ? ['department', x.departmentId] : x.assignedStreet ? ['street', x.assignedStreet] : ['center', null]);
const novTickets = m.tickets.filter((x) => inNov(x.createdAt));

async function app() {
  const h = await makeApp({ now: () => NOW });
  writeMonth(h.app.services.db, m);
  const get = (url: string, who: Parameters<typeof h.auth>[0] = { role: 'supervisor' }) => h.app.inject({ method: 'GET', url, headers: h.auth(who) });
  return { h, get };
}

const count = <K>(xs: K[]) => {
  const out = new Map<string, number>();
  for (const k of xs) out.set(JSON.stringify(k), (out.get(JSON.stringify(k)) ?? 0) + 1);
  return out;
};
const sorted = (mm: Map<string, number>) => [...mm.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

t.test('ticket counts: kind × category × subcategory × source × unit × status at the end of November', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  const res = await get(`/api/stats/tickets?from=${NOV.from}&to=${NOV.to}`);
  t.equal(res.statusCode, 200, res.body);
  const body = res.json();
  t.equal(body.total, novTickets.length, `${novTickets.length} tickets created in November`);
  t.equal(body.statusAsOf, new Date(NOV.end).toISOString());
  const expected = count(novTickets.map((x) => [x.kind, x.category, x.subcategory, x.source, ...unitOf(x), statusAt(x, NOV.end)]));
  const got = new Map<string, number>(body.rows.map((r: Record<string, string | number | null>) => [JSON.stringify([r.kind, r.category, r.subcategory, r.source, r.unitKind, r.unit, r.status]), r.count]));
  t.same(sorted(got), sorted(expected), 'every cell');
  t.ok(novTickets.some((x) => statusAt(x, NOV.end) !== statusAt(x, Infinity)), 'some statuses changed after the month: the history is read, not the status now');
  t.same(body.kinds.map((k: { label: string }) => k.label), ['即办件', '流转件', '督办件', '应急件', '协同件', '未分类']);
  for (const k of body.kinds) t.equal(k.count, novTickets.filter((x) => x.kind === k.kind).length, `${k.label}`);
  const one = body.rows.find((r: { kind: string; subcategory: string | null }) => r.kind === 'routed' && r.subcategory === 'housekeeping');
  t.match(one, { kindLabel: '流转件', categoryLabel: '社区生活', subcategoryLabel: '家政服务' }, 'labels from the taxonomy');

  const monthly = (await get('/api/stats/monthly-report?month=2026-11')).json();
  t.same([monthly.month, monthly.from, monthly.to, monthly.total], ['2026-11', NOV.from, NOV.to, novTickets.length], 'the monthly report is the same count');
  const csv = (await get('/api/stats/monthly-report.csv?month=2026-11')).body.split('\r\n');
  t.equal(csv[0], '\uFEFF期间,类型,类别,子类,来源,承办单位类型,承办单位,期末状态,件数');
  t.equal(csv.at(-2), `2026-11,（总计）,,,,,,,${novTickets.length}`);
  const dataRows = csv.slice(1, -1).filter((l) => !l.includes('（合计）') && !l.includes('（总计）'));
  t.equal(dataRows.reduce((n, l) => n + Number(l.split(',').at(-1)), 0), novTickets.length, 'the CSV rows add up');
  for (const k of ['即办件', '流转件', '督办件', '应急件', '协同件']) t.ok(csv.some((l) => l.startsWith(`2026-11,${k},（合计）`)), `${k} in the CSV`);
  t.equal((await get('/api/stats/monthly-report.csv')).headers['content-disposition'], 'attachment; filename="962200-monthly-report-2026-11.csv"', 'default: last month');
  t.equal((await get('/api/stats/monthly-report?month=2026-13')).statusCode, 400);
});

type Rating = 'satisfied' | 'fair' | 'unsatisfied';
interface R {
  channel: 'callback' | 'spot_check' | 'ivr';
  rating: Rating;
  ticket: GenTicket;
  seat: string | null;
}
const ratings: R[] = [
  ...m.tickets.flatMap((x) =>
    x.events.filter((e) => (e.action === 'callback' || e.action === 'spot_check') && inNov(e.at)).map((e) => ({ channel: e.action as R['channel'], rating: e.data!.satisfaction as Rating, ticket: x, seat: x.assignedSeatId })),
  ),
  ...m.calls.filter((c) => c.rating && inNov(c.startedAt)).map((c) => ({ channel: 'ivr' as const, rating: c.rating as Rating, ticket: byId.get(c.ticketId)!, seat: c.seatId })),
];
const tallyOf = (rs: R[]) => {
  const n = (r: Rating) => rs.filter((x) => x.rating === r).length;
  const total = rs.length;
  return { satisfied: n('satisfied'), fair: n('fair'), unsatisfied: n('unsatisfied'), total, rate: total ? n('satisfied') / total : null, acceptableRate: total ? (n('satisfied') + n('fair')) / total : null };
};

t.test('satisfaction per unit, seat and category, per channel and together; the spot-check response', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  t.ok(ratings.length > 100 && new Set(ratings.map((r) => r.channel)).size === 3, `${ratings.length} ratings over three channels`);
  const keys: Record<string, (r: R) => [string, string | null]> = {
    unit: (r) => unitOf(r.ticket),
    seat: (r) => ['seat', r.seat],
    category: (r) => ['category', r.ticket.category],
  };
  for (const [by, key] of Object.entries(keys)) {
    const body = (await get(`/api/stats/satisfaction?from=${NOV.from}&to=${NOV.to}&by=${by}`)).json();
    t.same(body.total, tallyOf(ratings), `${by}: total`);
    for (const ch of ['callback', 'spot_check', 'ivr'] as const) t.same(body.channels[ch], tallyOf(ratings.filter((r) => r.channel === ch)), `${by}: ${ch}`);
    const groups = new Map<string, R[]>();
    for (const r of ratings) {
      const k = JSON.stringify(key(r));
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    t.equal(body.items.length, groups.size, `${by}: ${groups.size} groups`);
    for (const it of body.items) {
      const rs = groups.get(JSON.stringify([it.unitKind, it.unit])) ?? [];
      const { channels, unitKind: _k, unit: _u, unitLabel: _l, ...together } = it;
      t.same(together, tallyOf(rs), `${by} ${it.unitKind} ${it.unit}`);
      for (const ch of ['callback', 'spot_check', 'ivr'] as const) t.same(channels[ch], tallyOf(rs.filter((r) => r.channel === ch)), `${by} ${it.unit} ${ch}`);
    }
  }
  const cat = (await get(`/api/stats/satisfaction?from=${NOV.from}&to=${NOV.to}&by=category`)).json();
  t.ok(cat.items.some((i: { unitLabel: string }) => i.unitLabel === '投诉建议'), 'categories by their label');
  const drawn = m.samples.filter((s) => s.day >= NOV.from && s.day <= NOV.to);
  const responded = drawn.filter((s) => byId.get(s.ticketId)!.events.some((e) => e.action === 'spot_check' && e.at >= s.sampledAt));
  t.same(cat.spotCheck, { drawn: drawn.length, responded: responded.length, responseRate: responded.length / drawn.length }, `spot-check: ${responded.length} of ${drawn.length} reached`);
});

t.test('the evaluation per department and street, and its ranking', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  const asOf = NOV.end;
  const units = new Map<string, GenTicket[]>();
  for (const x of novTickets) {
    const [kind, unit] = unitOf(x);
    if (kind === 'center') continue;
    const k = `${kind}/${unit}`;
    units.set(k, [...(units.get(k) ?? []), x]);
  }
  const timely = (xs: GenTicket[], at: (x: GenTicket) => number | null, due: (x: GenTicket) => number | null) => {
    const d = xs.filter((x) => due(x) !== null);
    const onTime = d.filter((x) => at(x) !== null && at(x)! < asOf && at(x)! <= due(x)!).length;
    const late = d.filter((x) => at(x) !== null && at(x)! < asOf && at(x)! > due(x)!).length;
    const overdue = d.filter((x) => (at(x) === null || at(x)! >= asOf) && due(x)! < asOf).length;
    return { due: d.length, onTime, late, overdue, pending: d.length - onTime - late - overdue, onTimeRate: onTime + late + overdue ? onTime / (onTime + late + overdue) : null };
  };
  const missed = (x: GenTicket, at: number | null, due: number | null) => due !== null && ((at !== null && at < asOf && at > due) || ((at === null || at >= asOf) && due < asOf));
  const bounceUnit = new Map<string, number>();
  for (const x of m.tickets) {
    x.events.forEach((e, i) => {
      if (e.action !== 'bounce' || !inNov(e.at)) return;
      const route = x.events.slice(0, i).reverse().find((p) => p.action === 'route')!.data!;
      const k = route.departmentId ? `department/${route.departmentId}` : `street/${route.street}`;
      bounceUnit.set(k, (bounceUnit.get(k) ?? 0) + 1);
    });
  }
  const body = (await get(`/api/stats/evaluation?from=${NOV.from}&to=${NOV.to}`)).json();
  const all = [...body.departments, ...body.streets];
  t.same(all.map((u) => `${u.unitKind}/${u.unit}`).sort(), [...new Set([...units.keys(), ...bounceUnit.keys()])].sort(), 'every unit that had tickets or bounces');
  for (const u of all) {
    const xs = units.get(`${u.unitKind}/${u.unit}`) ?? [];
    const routed = xs.filter((x) => x.routeDueAt !== null && x.routedAt !== null);
    const rOn = routed.filter((x) => x.routedAt! < asOf && x.routedAt! <= x.routeDueAt!).length;
    const rLate = routed.filter((x) => x.routedAt! < asOf && x.routedAt! > x.routeDueAt!).length;
    const unitRatings = ratings.filter((r) => unitOf(r.ticket).join('/') === `${u.unitKind}/${u.unit}`);
    const expected = {
      tickets: xs.length,
      routing: { due: routed.length, onTime: rOn, late: rLate, onTimeRate: rOn + rLate ? rOn / (rOn + rLate) : null, limitDays: 2 },
      contact: { ...timely(xs, (x) => x.contactedAt, (x) => x.contactDueAt), limitDays: 3 },
      answer: { ...timely(xs, (x) => x.resolvedAt, (x) => x.resolveDueAt), limitDays: 10 },
      overdue: xs.filter((x) => missed(x, x.contactedAt, x.contactDueAt) || missed(x, x.resolvedAt, x.resolveDueAt)).length,
      supervised: xs.filter((x) => x.kind === 'supervised').length,
      bounces: bounceUnit.get(`${u.unitKind}/${u.unit}`) ?? 0,
      extensions: m.tickets.filter((x) => unitOf(x).join('/') === `${u.unitKind}/${u.unit}`).flatMap((x) => x.events).filter((e) => e.action === 'grant_extension' && inNov(e.at)).length,
      satisfaction: tallyOf(unitRatings),
    };
    const { unitKind: _k, unit: _u, unitLabel: _l, score, rank: _r, rankOf: _o, ...figures } = u;
    t.same(figures, expected, `${u.unitKind} ${u.unit}`);
    // the score as documented: 0.4 answer, 0.2 contact, 0.4 (满意 + 基本满意), over the parts with figures
    const parts = [[0.4, expected.answer.onTimeRate], [0.2, expected.contact.onTimeRate], [0.4, expected.satisfaction.acceptableRate]].filter((p) => p[1] !== null) as number[][];
    const w = parts.reduce((s, p) => s + p[0], 0);
    t.equal(score, w ? Math.round((1000 * parts.reduce((s, p) => s + p[0] * p[1], 0)) / w) / 10 : null, `${u.unit} score`);
  }
  for (const list of [body.departments, body.streets]) {
    t.same(list.map((u: { rank: number }) => u.rank), list.map((_: unknown, i: number) => i + 1), 'ranked 1..n');
    t.ok(list.every((u: { score: number }, i: number) => i === 0 || list[i - 1].score >= u.score), 'best score first');
  }
  t.ok(all.some((u) => u.bounces > 0) && all.some((u) => u.extensions > 0) && all.some((u) => u.answer.late > 0) && all.some((u) => u.contact.overdue > 0), 'the month has bounces, extensions, late and overdue work');
  t.equal(body.streets.find((s: { unit: string }) => s.unit === 'xuhui-tianlin').unitLabel, '徐汇区田林街道');

  const csv = (await get(`/api/stats/evaluation.csv?from=${NOV.from}&to=${NOV.to}`)).body.split('\r\n').filter(Boolean);
  t.match(csv[0], /^\uFEFF排名,单位类型,单位,工单数,派转应办/);
  t.equal(csv.length - 1, all.length, 'one CSV row per unit');
  t.match(csv[1], /^1\/\d+,部门,/);
});

t.test('departments and streets read their own unit only', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  const q = `from=${NOV.from}&to=${NOV.to}`;
  const everyone = (await get(`/api/stats/evaluation?${q}`)).json();
  const dept = { role: 'department' as const, departmentId: 'welfare' };
  const mine = (await get(`/api/stats/evaluation?${q}`, dept)).json();
  t.same(mine.departments, everyone.departments.filter((d: { unit: string }) => d.unit === 'welfare'), 'its own figures, with its rank among all');
  t.same(mine.streets, []);
  t.equal((await get(`/api/stats/evaluation?${q}&unitKind=department&unit=veterans`, dept)).statusCode, 403, 'never another unit');
  t.equal((await get(`/api/stats/evaluation.csv?${q}&unitKind=street&unit=xuhui-tianlin`, dept)).statusCode, 403);
  const sat = (await get(`/api/stats/satisfaction?${q}`, dept)).json();
  t.same(sat.items.map((i: { unit: string }) => i.unit), ['welfare']);
  t.equal(sat.total.total, ratings.filter((r) => r.ticket.departmentId === 'welfare').length, 'totals of its own tickets only');
  const street = { role: 'street_seat' as const, street: 'xuhui-tianlin', seatId: 'st-1' };
  const s = (await get(`/api/stats/evaluation?${q}`, street)).json();
  t.same([s.departments.length, s.streets.map((x: { unit: string }) => x.unit)], [0, ['xuhui-tianlin']]);
  t.equal((await get(`/api/stats/evaluation.csv?${q}`, street)).body.split('\r\n').filter(Boolean).length, 2, 'its CSV: the header and its row');
  t.equal((await get(`/api/stats/evaluation?${q}`, { role: 'department' })).statusCode, 403, 'a department account without a department');
  for (const role of ['operator', 'integration'] as const) t.equal((await get(`/api/stats/evaluation?${q}`, { role })).statusCode, 403, role);
  for (const url of [`/api/stats/tickets?${q}`, `/api/stats/online?${q}`, `/api/stats/hot-topics?${q}`]) t.equal((await get(url, dept)).statusCode, 403, `${url}: the centre's figures are not a department's`);
});

t.test('online answering: asked, answered, tickets opened, the unanswered asked most', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  const qs = m.questions.filter((q) => inNov(q.at));
  const body = (await get(`/api/stats/online?from=${NOV.from}&to=${NOV.to}`)).json();
  const answered = qs.filter((q) => q.answered).length;
  t.match(body, { asked: qs.length, answered, unanswered: qs.length - answered, answerRate: answered / qs.length, ticketsOpened: qs.filter((q) => q.ticketId !== null).length });
  const gaps = count(qs.filter((q) => !q.answered).map((q) => q.question));
  const order = (xs: Array<[string, number]>) => xs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  t.same(order(body.topUnanswered.map((g: { question: string; count: number }) => [JSON.stringify(g.question), g.count])), order(sorted(gaps)), 'most asked first');
});

t.test('hot terms from ticket content and online questions, their change, and 焦点/难点', async (t) => {
  const { h, get } = await app();
  t.teardown(h.close);
  const textsIn = (start: number, end: number) => [
    ...m.tickets.filter((x) => x.createdAt >= start && x.createdAt < end).map((x) => x.words),
    ...m.questions.filter((q) => q.at >= start && q.at < end && q.answered).map((q) => WORDS.filter((w) => q.question.includes(w))),
  ];
  const now = textsIn(NOV.start, NOV.end);
  const before = textsIn(OCT.start, OCT.end);
  const res = await get(`/api/stats/hot-topics?from=${NOV.from}&to=${NOV.to}&limit=100`);
  const body = res.json();
  for (const w of WORDS) {
    const term = body.terms.find((x: { term: string }) => x.term === w);
    const c = now.filter((ws) => ws.includes(w)).length;
    const p = before.filter((ws) => ws.includes(w)).length;
    t.match(term, { count: c, previousCount: p, change: c - p }, `${w}: ${c} now, ${p} before`);
  }
  t.ok(body.terms.every((x: { count: number }, i: number) => i === 0 || body.terms[i - 1].count >= x.count), 'most frequent first');
  t.notOk(body.terms.some((x: { term: string }) => ['怎么', '问题', '和', '低', '保'].includes(x.term)), 'no stop words, no single characters');
  t.equal(body.terms.find((x: { term: string }) => x.term === '申请').online, m.questions.filter((q) => inNov(q.at) && q.answered).length, 'online questions count too');
  t.ok(body.risingTerms.every((x: { change: number }) => x.change > 0));

  const problem = novTickets.filter((x) => x.overdue || x.satisfaction === 'unsatisfied' || x.kind === 'supervised' || x.escalated);
  for (const w of WORDS) {
    const f = body.focus.find((x: { term: string }) => x.term === w);
    const hits = problem.filter((x) => x.words.includes(w));
    if (!hits.length) continue;
    t.match(f, { count: hits.length, overdue: hits.filter((x) => x.overdue).length, unsatisfied: hits.filter((x) => x.satisfaction === 'unsatisfied').length }, `焦点 ${w}`);
  }
  // the days are stored: asking again reads them, and gives the same
  t.same((await get(`/api/stats/hot-topics?from=${NOV.from}&to=${NOV.to}&limit=100`)).json().terms, body.terms, 'stored days give the same terms');
  const days = h.app.services.db.$client.prepare(`select count(distinct day) as n from hot_term_days`).get() as { n: number };
  t.equal(days.n, 60, 'November and the 30 days before it stored');
  t.ok(DAY > 0);
});
