// The desk's inbox from the API: GET /api/tickets?open=true&sort=deadline, paged, with
// counts per status, overdue first; ?mine=true for the tickets the viewer works.
import t from 'tap';
import { systemActor } from '../../src/shared/actor.js';
import { DAY, PEOPLE, setup, type Person } from './_fixtures.js';

const sys = systemActor('test');

t.test('open tickets by deadline: overdue first, nearest next, none last; counts; pages; mine; scope', async (t) => {
  const { h, s, clock } = await setup(t);
  const now = clock.now;
  const make = (later: Parameters<typeof s.tickets.update>[1]) => {
    const made = s.tickets.create({ source: 'phone', content: '咨询' }, sys);
    return s.tickets.update(made.id, later, { actor: sys, action: 'fixture' });
  };
  const inFive = make({ kind: 'routed', status: 'in_progress', dueAt: now + 5 * DAY, departmentId: 'd1' });
  const lateOld = make({ kind: 'routed', status: 'routed', dueAt: now - 3 * DAY, overdue: true, assignedSeatId: '1001' });
  const none = make({ kind: 'immediate', status: 'in_review', dueAt: null });
  const tomorrow = make({ kind: 'routed', status: 'routed', dueAt: now + DAY, assignedUserId: PEOPLE.operator.userId });
  const lateNew = make({ kind: 'routed', status: 'open', dueAt: now - DAY, overdue: true });
  make({ kind: 'immediate', status: 'closed', dueAt: null, closedAt: now });
  make({ kind: 'collaborative', status: 'returned', dueAt: null, closedAt: now });
  // an unclassified ticket: due in 2 working days from intake
  const fresh = s.tickets.create({ source: 'email', content: '新来信' }, sys);

  const get = async (who: Person, query: string) => {
    const r = await h.app.inject({ url: `/api/tickets?${query}`, headers: h.auth(PEOPLE[who]) });
    t.equal(r.statusCode, 200, r.body);
    return r.json() as { items: Array<{ id: number }>; total: number; counts?: { byStatus: Record<string, number>; overdue: number; total: number } };
  };
  const ids = (r: { items: Array<{ id: number }> }) => r.items.map((x) => x.id);

  const all = await get('operator', 'open=true&sort=deadline');
  t.same(ids(all), [lateOld.id, lateNew.id, tomorrow.id, fresh.id, inFive.id, none.id], 'overdue first (the longest late first), then the nearest deadline, none last; finished ones left out');
  t.equal(all.total, 6);
  t.same(all.counts, { byStatus: { in_progress: 1, in_review: 1, open: 2, routed: 2 }, overdue: 2, total: 6 }, 'counts per status and overdue');

  const page2 = await get('operator', 'open=true&sort=deadline&limit=4&offset=4');
  t.same(ids(page2), [inFive.id, none.id], 'paged in the same order');
  t.equal(page2.total, 6);
  const routed = await get('operator', 'open=true&sort=deadline&status=routed');
  t.same(ids(routed), [lateOld.id, tomorrow.id]);
  t.same(routed.counts?.byStatus, { in_progress: 1, in_review: 1, open: 2, routed: 2 }, 'the counts leave the status out, so the chips keep their numbers');

  t.same(ids(await get('operator', 'open=true&sort=deadline&mine=true')), [tomorrow.id], "mine: assigned to the operator");
  const finished = await get('operator', 'open=false');
  t.equal(finished.total, 2, 'open=false: the closed and the returned one');
  t.equal(finished.counts, undefined, 'counts come with open=true');

  const dept = await get('department', 'open=true&sort=deadline');
  t.same(ids(dept), [inFive.id], "a department's inbox is its own tickets");
  t.same(dept.counts, { byStatus: { in_progress: 1 }, overdue: 0, total: 1 });
  t.same(ids(await get('operator', 'open=true')), [fresh.id, lateNew.id, tomorrow.id, none.id, lateOld.id, inFive.id], 'open=true alone: newest first');
});

t.test('bad open, mine and sort: 400 naming the field, nothing changed', async (t) => {
  const { h, s } = await setup(t);
  s.tickets.create({ source: 'phone' }, sys);
  for (const [query, field] of [['open=yes', /open/], ['mine=1x', /mine/], ['sort=oldest', /sort/], ['sort=deadline&open=false', /sort/], ['open=true&sort=deadline&limit=0', /limit/], ['open=true&sort=deadline&offset=-1', /offset/]] as const) {
    const r = await h.app.inject({ url: `/api/tickets?${query}`, headers: h.auth(PEOPLE.operator) });
    t.equal(r.statusCode, 400, query);
    t.equal(r.json().error, 'bad_request');
    t.match(r.json().message, field, `${query}: ${r.json().message}`);
  }
});
