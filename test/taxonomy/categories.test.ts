// The taxonomy (第十三条): seeded tree, GET /api/categories, the admin's changes, and no
// ticket with a category or subcategory outside it.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { makeApp } from '../helpers/app.js';
import { SEED_TAXONOMY } from '../../src/taxonomy/seed.js';

const labels = (items: Array<{ label: string; subcategories: Array<{ label: string }> }>) => items.map((c) => [c.label, c.subcategories.map((s) => s.label)]);

t.test('GET /api/categories: the regulation\'s tree with Chinese labels', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const res = await h.app.inject({ url: '/api/categories', headers: h.auth({ role: 'operator' }) });
  t.equal(res.statusCode, 200);
  t.same(labels(res.json().items), [
    ['咨询', ['社会救助', '社会福利', '优抚安置', '婚姻登记', '收养登记', '跨部门事务导航']],
    ['社区生活', ['家电维修', '水电维修', '家政服务']],
    ['投诉建议', ['政风行风', '违规执法', '意见建议']],
    ['其它', []],
  ]);
  t.match(res.json().items[0], { id: 'consultation', label: '咨询', active: true });
  t.equal((await h.app.inject({ url: '/api/categories' })).statusCode, 401, 'signed in only');
});

t.test('every IVR option lands on the taxonomy', async (t) => {
  const ivr = JSON.parse(readFileSync(new URL('../../config/ivr.json', import.meta.url), 'utf8'));
  const ids = new Map(SEED_TAXONOMY.map((c) => [c.id, new Set((c.subcategories ?? []).map((s) => s.id))]));
  const leaves = [ivr.onFailure, ...Object.values(ivr.menus).flatMap((menu: any) => Object.values(menu.options).filter((o) => typeof o !== 'string'))] as Array<{ category: string; subcategory?: string }>;
  t.ok(leaves.length >= 10);
  for (const o of leaves) {
    t.ok(ids.has(o.category), `category ${o.category}`);
    if (o.subcategory) t.ok(ids.get(o.category)!.has(o.subcategory), `${o.category}/${o.subcategory}`);
  }
});

t.test('an unknown category or subcategory is a 400 on create and classify, and changes nothing', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const op = h.auth({ role: 'operator', userId: 7 });
  const n = () => h.app.services.db.get<{ n: number }>(sql`select (select count(*) from tickets) + (select count(*) from ticket_events) as n`)!.n;
  const post = (payload: object) => h.app.inject({ method: 'POST', url: '/api/tickets', headers: op, payload: { content: '咨询', ...payload } });
  const before = n();
  const bad = await post({ category: '完全随便写的类别' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { error: 'bad_request', message: /category 不是有效的类别：完全随便写的类别/ });
  t.match((await post({ category: 'consultation', subcategory: 'housekeeping' })).json().message, /subcategory 不是类别 咨询 下的有效子类/);
  t.equal((await post({ subcategory: 'housekeeping' })).statusCode, 400, 'a subcategory needs its category');
  t.equal(n(), before, 'nothing written');

  const ok = await post({ kind: 'routed', category: 'community_life', subcategory: 'housekeeping' });
  t.equal(ok.statusCode, 201, ok.body);
  const id = ok.json().id;
  const classify = (payload: object) => h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/classify`, headers: op, payload });
  t.equal((await classify({ category: 'nonsense' })).statusCode, 400);
  t.equal((await classify({ subcategory: 'marriage' })).statusCode, 400, 'marriage is not under 社区生活');
  t.equal((await classify({ subcategory: 'appliance_repair' })).statusCode, 200, 'a subcategory of the ticket\'s category');
  t.equal((await classify({ category: 'complaint', subcategory: 'government_conduct' })).statusCode, 200);
});

t.test('the admin keeps it: add, relabel, retire', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const admin = h.auth({ role: 'admin' });
  const add = (payload: object, headers = admin) => h.app.inject({ method: 'POST', url: '/api/categories', headers, payload });
  t.equal((await add({ id: 'elderly_care', label: '养老服务', parentId: 'consultation' }, h.auth({ role: 'supervisor' }))).statusCode, 403, 'admin only');
  const made = await add({ id: 'elderly_care', label: '养老服务', parentId: 'consultation' });
  t.equal(made.statusCode, 201, made.body);
  t.equal((await add({ id: 'elderly_care', label: 'x' })).statusCode, 409, 'ids are unique');
  t.equal((await add({ id: 'x1', label: 'x', parentId: 'marriage' })).statusCode, 400, 'no third level');
  t.equal((await add({ id: 'Bad Id', label: 'x' })).statusCode, 400);
  const tree = (await h.app.inject({ url: '/api/categories', headers: admin })).json().items;
  t.same(tree[0].subcategories.at(-1), { id: 'elderly_care', label: '养老服务', position: 6, active: true });

  const op = h.auth({ role: 'operator' });
  const ticket = (payload: object) => h.app.inject({ method: 'POST', url: '/api/tickets', headers: op, payload: { content: '养老', ...payload } });
  t.equal((await ticket({ category: 'consultation', subcategory: 'elderly_care' })).statusCode, 201, 'a new subcategory is usable at once');
  t.equal((await h.app.inject({ method: 'PATCH', url: '/api/categories/elderly_care', headers: admin, payload: { label: '养老服务咨询' } })).json().label, '养老服务咨询');
  t.equal((await h.app.inject({ method: 'PATCH', url: '/api/categories/elderly_care', headers: admin, payload: { active: false } })).statusCode, 200);
  t.equal((await ticket({ category: 'consultation', subcategory: 'elderly_care' })).statusCode, 400, 'a retired one takes no new tickets');
  t.notOk((await h.app.inject({ url: '/api/categories', headers: op })).json().items[0].subcategories.some((s: { id: string }) => s.id === 'elderly_care'));
  t.ok((await h.app.inject({ url: '/api/categories?includeInactive=true', headers: op })).json().items[0].subcategories.some((s: { id: string }) => s.id === 'elderly_care'));
  t.equal(h.app.services.taxonomy.label('elderly_care'), '养老服务咨询', 'old tickets keep their label in reports');
  t.equal((await h.app.inject({ method: 'PATCH', url: '/api/categories/nope', headers: admin, payload: { label: 'x' } })).statusCode, 404);
});
