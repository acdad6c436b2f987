import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { publish } from './kb-helpers.js';

t.test('tickets link the entries that answered them; top entries counts them', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const a = await publish(h, { title: '低保申请', body: '低保申请指南。' });
  const b = await publish(h, { title: '临时救助', body: '临时救助指南。' });
  const admin = h.auth({ role: 'admin' });
  const draft = (await h.app.inject({ method: 'POST', url: '/api/kb/entries', headers: admin, payload: { type: 'qa', category: 'other', title: '草稿', body: '草稿' } })).json().id;
  const ticket = (n: number) => h.app.services.tickets.create({ source: 'phone', content: `来电${n}` }, { name: 'op1', role: 'operator' });
  const [t1, t2] = [ticket(1), ticket(2)];
  const operator = h.auth({ role: 'operator' });
  const link = (id: number, entryIds: number[], headers = operator) => h.app.inject({ method: 'POST', url: `/api/tickets/${id}/kb-links`, headers, payload: { entryIds } });

  const r = await link(t1.id, [a, b]);
  t.equal(r.statusCode, 200);
  t.same(r.json().items.map((l: { entryId: number }) => l.entryId), [a, b]);
  t.equal((await link(t1.id, [a])).json().items.length, 2, 'linking again is harmless');
  t.equal((await link(t2.id, [a], h.auth({ role: 'supervisor' }))).statusCode, 200);

  t.equal((await link(t1.id, [a], h.auth({ role: 'department', departmentId: 'x' }))).statusCode, 403);
  t.equal((await link(t1.id, [draft])).statusCode, 409, 'only published entries answer');
  t.equal((await link(t1.id, [99999])).statusCode, 404);
  t.equal((await link(99999, [a])).statusCode, 404);
  t.equal((await link(t1.id, [])).statusCode, 400);

  t.same((await h.app.inject({ url: `/api/tickets/${t2.id}/kb-links`, headers: operator })).json().items.map((l: { entryId: number }) => l.entryId), [a]);
  const top = (await h.app.inject({ url: '/api/kb/stats/top-entries', headers: h.auth({ role: 'supervisor' }) })).json().items;
  t.same(top.map((e: { entryId: number; tickets: number }) => [e.entryId, e.tickets]), [[a, 2], [b, 1]]);
  t.match(top[0], { title: '低保申请', type: 'guide', category: 'social_assistance', status: 'published' });
  const none = (await h.app.inject({ url: '/api/kb/stats/top-entries?from=2000-01-01&to=2000-01-02', headers: admin })).json().items;
  t.same(none, []);
});
