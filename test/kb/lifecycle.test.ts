import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { publish, search } from './kb-helpers.js';

t.test('draft → submitted → published → withdrawn, with role checks', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const civil = h.auth({ role: 'department', departmentId: 'civil-affairs' });
  const other = h.auth({ role: 'department', departmentId: 'veterans' });
  const admin = h.auth({ role: 'admin' });
  const operator = h.auth({ role: 'operator' });
  const act = (id: number, action: string, headers: Record<string, string>, reason?: string) =>
    h.app.inject({ method: 'POST', url: `/api/kb/entries/${id}/${action}`, headers, payload: reason ? { reason } : undefined });
  const entry = async (id: number) => (await h.app.inject({ url: `/api/kb/entries/${id}`, headers: admin })).json();

  const refused = await h.app.inject({ method: 'POST', url: '/api/kb/entries', headers: operator, payload: { type: 'qa', category: 'marriage', title: '补办结婚证', body: '带身份证' } });
  t.equal(refused.statusCode, 403, 'operators do not write entries');

  const created = await h.app.inject({
    method: 'POST',
    url: '/api/kb/entries',
    headers: civil,
    payload: { type: 'policy', category: 'social_assistance', title: '低保申请条件', body: '本市户籍家庭人均收入低于低保标准的可以申请。', keywords: ['低保'], effectiveFrom: '2020-01-01' },
  });
  t.equal(created.statusCode, 201);
  const e = created.json();
  t.match(e, { status: 'draft', version: 1, sourceDepartment: 'civil-affairs', keywords: ['低保'] });

  t.test('a draft is never shown to a citizen', async (t) => {
    t.same((await search(h, { q: '低保' })).body.items, []);
    t.equal((await h.app.inject({ url: `/api/kb/entries/${e.id}` })).statusCode, 404);
    t.same((await search(h, { q: '低保' }, operator)).body.items, [], 'staff too, unless they ask for drafts');
    const drafts = await search(h, { q: '低保', includeDrafts: 'true' }, civil);
    t.same(drafts.body.items.map((i) => [i.id, i.status]), [[e.id, 'draft']]);
    t.same((await search(h, { q: '低保', includeDrafts: 'true' }, other)).body.items, [], "another department's drafts stay hidden");
    t.same((await search(h, { q: '低保', includeDrafts: 'true' })).body.items, [], 'the flag means nothing without a token');
  });

  t.test('departments edit their own drafts; every edit is a new version', async (t) => {
    const edit = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { body: '本市户籍家庭，人均收入和财产符合规定的，可以申请低保。', note: '补充财产条件', expectedVersion: 1 } });
    t.equal(edit.statusCode, 200);
    t.equal(edit.json().version, 2);
    const stale = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { title: 'x', expectedVersion: 1 } });
    t.equal(stale.statusCode, 409, 'a stale version is refused');
    t.equal((await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: other, payload: { title: 'x' } })).statusCode, 403);
    const dates = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { effectiveUntil: '2019-12-31' } });
    t.equal(dates.statusCode, 400, 'effectiveUntil before effectiveFrom');
    const notADay = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { effectiveUntil: '2025-02-30' } });
    t.equal(notADay.statusCode, 400);
    const versions = (await h.app.inject({ url: `/api/kb/entries/${e.id}/versions`, headers: civil })).json().items;
    t.same(versions.map((v: { version: number; note: string | null }) => [v.version, v.note]), [[1, null], [2, '补充财产条件']]);
    t.match(versions[0].body, /人均收入低于/);
  });

  t.test('illegal moves are 409 with the reason, and change nothing', async (t) => {
    const r = await act(e.id, 'publish', admin);
    t.equal(r.statusCode, 409);
    t.match(r.json().message, /条目状态为 draft，不能执行 publish/);
    t.equal((await entry(e.id)).status, 'draft');
    t.equal((await act(e.id, 'withdraw', admin, 'old')).statusCode, 409);
  });

  t.test('submit: own department only', async (t) => {
    t.equal((await act(e.id, 'submit', other)).statusCode, 403);
    t.equal((await act(e.id, 'submit', operator)).statusCode, 403);
    const r = await act(e.id, 'submit', civil);
    t.equal(r.statusCode, 200);
    t.equal(r.json().status, 'submitted');
    t.equal((await act(e.id, 'submit', civil)).statusCode, 409, 'twice is a conflict');
    t.equal((await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { title: 'x' } })).statusCode, 409, 'departments cannot edit once submitted');
  });

  t.test('return needs a reason and goes back to draft', async (t) => {
    t.equal((await act(e.id, 'return', admin)).statusCode, 400);
    t.equal((await act(e.id, 'return', civil, '请补充')).statusCode, 403);
    t.equal((await act(e.id, 'return', admin, '请补充材料清单')).json().status, 'draft');
    t.equal((await act(e.id, 'submit', civil)).json().status, 'submitted');
  });

  t.test('only admins publish; then citizens see it', async (t) => {
    t.equal((await act(e.id, 'publish', civil)).statusCode, 403);
    const r = await act(e.id, 'publish', admin);
    t.equal(r.statusCode, 200);
    t.equal(r.json().status, 'published');
    t.ok(r.json().publishedAt);
    t.same((await search(h, { q: '低保' })).body.items.map((i) => i.id), [e.id]);
    t.equal((await h.app.inject({ url: `/api/kb/entries/${e.id}` })).statusCode, 200);
  });

  t.test('admins may correct a published entry; it stays published', async (t) => {
    const r = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: admin, payload: { title: '低保申请条件（修订）' } });
    t.match(r.json(), { status: 'published', version: 3, title: '低保申请条件（修订）' });
    t.equal((await search(h, { q: '修订' })).body.items.length, 1, 'the index follows the edit');
    t.equal((await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: civil, payload: { title: 'x' } })).statusCode, 409);
  });

  t.test('withdrawn entries disappear for citizens; reopening starts a new draft', async (t) => {
    t.equal((await act(e.id, 'withdraw', other, '过期')).statusCode, 403);
    t.equal((await act(e.id, 'withdraw', civil, '政策已调整')).json().status, 'withdrawn');
    t.same((await search(h, { q: '低保' })).body.items, []);
    t.equal((await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${e.id}`, headers: admin, payload: { title: 'x' } })).statusCode, 409, 'withdrawn: reopen first');
    t.equal((await act(e.id, 'reopen', civil)).json().status, 'draft');
    const events = (await h.app.inject({ url: `/api/kb/entries/${e.id}/events`, headers: admin })).json().items;
    t.same(
      events.map((ev: { action: string }) => ev.action),
      ['created', 'edited', 'submit', 'return', 'submit', 'publish', 'edited', 'withdraw', 'reopen'],
    );
    t.equal(events.find((ev: { action: string }) => ev.action === 'withdraw').reason, '政策已调整');
  });

  t.test('unknown entries and actions', async (t) => {
    t.equal((await act(99999, 'submit', admin)).statusCode, 404);
    t.equal((await act(e.id, 'delete', admin)).statusCode, 400);
  });
});

t.test('effective dates: citizens see only entries in effect today', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const current = await publish(h, { title: '临时救助', body: '因突发困难可申请临时救助。', effectiveFrom: '2000-01-01' });
  await publish(h, { title: '临时救助（旧）', body: '旧版临时救助办法。', effectiveUntil: '2001-12-31' });
  await publish(h, { title: '临时救助（新）', body: '将来施行的临时救助办法。', effectiveFrom: '2999-01-01' });
  t.same((await search(h, { q: '临时救助' })).body.items.map((i) => i.id), [current]);
  t.equal((await search(h, { q: '临时救助', includeDrafts: 'true' }, h.auth({ role: 'supervisor' }))).body.items.length, 3);
});
