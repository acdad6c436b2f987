import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { ids, publish, search } from './kb-helpers.js';

t.test('Chinese search', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const dibao = await publish(h, {
    title: '最低生活保障申请指南',
    body: '家庭人均收入低于本市低保标准的，可以向街镇社区事务受理服务中心申请低保。',
    keywords: ['低保'],
  });
  const marriage = await publish(h, {
    category: 'marriage',
    title: '结婚登记办理指南',
    body: '婚姻登记需要双方携带身份证和户口簿，到婚姻登记处办理。',
    keywords: ['婚姻登记', '结婚登记'],
  });
  const repair = await publish(h, {
    type: 'service',
    category: 'community_life',
    title: '家电维修服务',
    body: '冰箱、洗衣机等家电故障可以拨打962200预约上门维修，支持APP预约。',
    keywords: ['家电维修'],
  });
  const elderly = await publish(h, {
    category: 'social_welfare',
    title: '老年综合津贴申领',
    body: '年满65周岁的本市户籍老人可以申领老年综合津贴。',
  });

  t.test('2-character queries match', async (t) => {
    t.same(ids((await search(h, { q: '低保' })).body.items), [dibao]);
    t.same(ids((await search(h, { q: '婚姻' })).body.items), [marriage]);
    t.same(ids((await search(h, { q: '家电' })).body.items), [repair]);
  });

  t.test('3- and 4-character queries match as phrases', async (t) => {
    t.same(ids((await search(h, { q: '户口簿' })).body.items), [marriage]);
    t.same(ids((await search(h, { q: '最低生活' })).body.items), [dibao]);
    t.same(ids((await search(h, { q: '综合津贴' })).body.items), [elderly]);
    // the characters of 低生 occur, but not next to each other in this order
    t.same((await search(h, { q: '生低' })).body.items, [], 'a pair that does not occur matches nothing');
  });

  t.test('a 1-character query finds it where it stands as a word, not inside others', async (t) => {
    const r = await search(h, { q: '婚' });
    t.equal(r.status, 200);
    t.same(r.body.items, [], '婚 is only ever part of 婚姻 or 结婚 here');
  });

  t.test('mixed Chinese and ASCII, full-width and case folded', async (t) => {
    t.same(ids((await search(h, { q: '962200 维修' })).body.items), [repair]);
    t.same(ids((await search(h, { q: 'app预约' })).body.items), [repair]);
    t.same(ids((await search(h, { q: 'ＡＰＰ' })).body.items), [repair]);
    t.same(ids((await search(h, { q: '65周岁' })).body.items), [elderly]);
  });

  t.test('punctuation between words is ignored', async (t) => {
    t.same(ids((await search(h, { q: '“低保”，申请！' })).body.items), [dibao]);
    t.equal((await search(h, { q: '"婚姻" OR NOT *' })).body.items[0]?.id, marriage, 'query syntax typed by a user is just text');
  });

  t.test('the title weighs more than the body', async (t) => {
    const { body } = await search(h, { q: '登记' });
    t.equal(body.items[0].id, marriage);
    t.ok(body.items.every((i) => i.score > 0));
    t.match(body.items[0], { title: '结婚登记办理指南', type: 'guide', category: 'marriage', snippet: /登记/ });
  });

  t.test('filters by type and category', async (t) => {
    t.same(ids((await search(h, { q: '962200', type: 'service' })).body.items), [repair]);
    t.same((await search(h, { q: '962200', type: 'policy' })).body.items, []);
    t.same(ids((await search(h, { q: '申请', category: 'social_assistance' })).body.items), [dibao]);
  });

  t.test('when nothing holds every term, entries sharing some come back marked as such', async (t) => {
    const r = await search(h, { q: '婚姻登记材料' });
    t.equal(r.body.match, 'some');
    t.equal(r.body.items[0].id, marriage);
    t.equal((await search(h, { q: '婚姻登记' })).body.match, 'all');
  });

  t.test('empty or punctuation-only q is a clear 400', async (t) => {
    for (const q of ['', '   ', '，。！？', '***']) {
      const r = await search(h, { q });
      t.equal(r.status, 400, JSON.stringify(q));
      t.equal(r.body.message && typeof r.body.message, 'string');
    }
    t.equal((await h.app.inject('/api/kb/search')).statusCode, 400, 'no q at all');
  });

  t.test('limit', async (t) => {
    t.equal((await search(h, { q: '申请', limit: '1' })).body.items.length, 1);
  });
});

t.test('synonyms (colloquial → formal) are read in questions and entries alike, and editable by admins only', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const formal = await publish(h, { title: '最低生活保障待遇', body: '符合条件的家庭可以享受最低生活保障。' });
  t.same((await search(h, { q: '低保' })).body.items, [], 'no synonym yet');

  const admin = h.auth({ role: 'admin' });
  const denied = await h.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: h.auth({ role: 'operator' }), payload: { terms: ['低保', '最低生活保障'] } });
  t.equal(denied.statusCode, 403);
  const created = await h.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: admin, payload: { terms: ['低保', '最低生活保障'] } });
  t.equal(created.statusCode, 201);
  t.same(ids((await search(h, { q: '低保' })).body.items), [formal]);
  t.same(ids((await search(h, { q: '低保待遇' })).body.items), [formal], 'a synonym inside a longer run');

  const bad = await h.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: admin, payload: { terms: ['低保', '低保'] } });
  t.equal(bad.statusCode, 400, 'a group needs two different terms');

  const id = created.json().id;
  const put = await h.app.inject({ method: 'PUT', url: `/api/kb/synonyms/${id}`, headers: admin, payload: { terms: ['困难救助金', '最低生活保障'] } });
  t.equal(put.statusCode, 200);
  t.same((await search(h, { q: '低保' })).body.items, [], 'an edit takes effect at once');
  t.equal((await h.app.inject({ method: 'DELETE', url: `/api/kb/synonyms/${id}`, headers: admin })).statusCode, 204);
  t.same((await h.app.inject({ url: '/api/kb/synonyms', headers: admin })).json().items, []);
});
