import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { search } from './kb-helpers.js';

const entry = (title: string, extra: object = {}) => ({ type: 'qa', category: 'social_welfare', title, body: `${title}的办理说明。`, keywords: ['津贴'], ...extra });

t.test('departments import in bulk: validated, all or nothing, arriving as submitted', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const dept = h.auth({ role: 'department', departmentId: 'welfare' });
  const admin = h.auth({ role: 'admin' });
  const imp = (payload: object, headers = dept) => h.app.inject({ method: 'POST', url: '/api/kb/import', headers, payload });

  const ok = await imp({ entries: [entry('高龄津贴申领'), entry('护理补贴申领', { ref: 'w-2', effectiveFrom: '2024-01-01' })] });
  t.equal(ok.statusCode, 201);
  t.equal(ok.json().created, 2);
  const list = (await h.app.inject({ url: '/api/kb/entries?status=submitted', headers: admin })).json();
  t.equal(list.total, 2);
  t.ok(list.items.every((e: { sourceDepartment: string }) => e.sourceDepartment === 'welfare'));
  t.same((await search(h, { q: '津贴' })).body.items, [], 'submitted entries are not public');
  t.equal((await search(h, { q: '津贴', includeDrafts: 'true' }, admin)).body.items.length, 2, 'but indexed');

  t.test('one bad entry refuses the whole import', async (t) => {
    const count = async () => (await h.app.inject({ url: '/api/kb/entries', headers: admin })).json().total;
    const before = await count();
    const badDates = await imp({ entries: [entry('甲'), entry('乙', { effectiveFrom: '2025-02-01', effectiveUntil: '2025-01-01' })] });
    t.equal(badDates.statusCode, 400);
    t.match(badDates.json().message, /entries\[1\]/);
    t.equal((await imp({ entries: [entry('丙'), { title: '缺少类型' }] })).statusCode, 400);
    t.equal((await imp({ entries: [entry('丁', { ref: 'w-2' })] })).statusCode, 409, 'a ref already there');
    t.equal((await imp({ entries: [entry('戊', { ref: 'r' }), entry('己', { ref: 'r' })] })).statusCode, 400);
    t.equal((await imp({ entries: [entry('庚', { sourceDepartment: 'someone-else' })] })).statusCode, 403);
    t.equal((await imp({ entries: [] })).statusCode, 400);
    t.equal((await imp({ entries: [entry('辛')] }, h.auth({ role: 'operator' }))).statusCode, 403);
    t.equal(await count(), before, 'nothing was added');
  });

  t.test('export gives JSON that imports back', async (t) => {
    const r = await h.app.inject({ url: '/api/kb/export', headers: dept });
    t.equal(r.statusCode, 200);
    const body = r.json();
    t.equal(body.format, 'hotline-kb/1');
    t.equal(body.entries.length, 2);
    t.match(body.entries[0], { id: Number, status: 'submitted', version: 1, sourceDepartment: 'welfare' });
    const again = await imp({ format: body.format, entries: body.entries.map((e: { ref: string | null }) => ({ ...e, ref: e.ref && `${e.ref}-copy` })) }, admin);
    t.equal(again.statusCode, 201);
    t.equal((await h.app.inject({ url: '/api/kb/export', headers: h.auth({ role: 'department', departmentId: 'other' }) })).json().entries.length, 0, "departments export only their own");
    t.equal((await h.app.inject({ url: '/api/kb/export?status=submitted', headers: admin })).json().entries.length, 4);
  });
});
