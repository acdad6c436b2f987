// Registries an admin keeps (#13, 第四、十、十五条): departments with a kind, streets and towns
// with their district, users (create, disable, reset password, role, unit, seat) and seats.
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { fingerprinter } from '../faults/_db.js';
import { seedDemo } from '../../src/seed/demo.js';
import { DEMO_STREETS } from '../../src/seed/streets.js';
import { systemActor } from '../../src/shared/actor.js';

const admin = { role: 'admin' as const, name: 'admin', userId: 1 };
const operator = { role: 'operator' as const, name: 'op', userId: 2 };

t.test('departments and streets: admin adds and changes them, everyone reads them, others may not write', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const post = (url: string, payload: object, who: object = admin) => h.app.inject({ method: 'POST', url, payload, headers: h.auth(who as typeof admin) });
  const patch = (url: string, payload: object, who: object = admin) => h.app.inject({ method: 'PATCH', url, payload, headers: h.auth(who as typeof admin) });

  const d = await post('/api/departments', { id: 'bureau-office', name: '市民政局办公室', kind: 'bureau_office' });
  t.equal(d.statusCode, 201, d.body);
  t.match(d.json(), { id: 'bureau-office', kind: 'bureau_office', kindText: '市局办公室', active: true });
  t.equal((await post('/api/departments', { id: 'xuhui', name: '徐汇区民政局', kind: 'district_bureau', district: '徐汇区' })).statusCode, 201);
  t.equal((await post('/api/departments', { id: 'veterans', name: '市退役军人事务局', kind: 'outside' })).statusCode, 201);
  t.equal((await post('/api/departments', { id: 'x', name: 'x', kind: 'bureau_division' }, operator)).statusCode, 403, 'an operator may not add');
  const dup = await post('/api/departments', { id: 'xuhui', name: '重复', kind: 'district_bureau' });
  t.equal(dup.statusCode, 409);

  const list = await h.app.inject({ url: '/api/departments', headers: h.auth(operator) });
  t.equal(list.statusCode, 200);
  t.same(list.json().items.map((x: { id: string }) => x.id).sort(), ['bureau-office', 'veterans', 'xuhui']);
  t.same((await h.app.inject({ url: '/api/departments?kind=outside', headers: h.auth(operator) })).json().items.map((x: { id: string }) => x.id), ['veterans']);

  const off = await patch('/api/departments/veterans', { active: false });
  t.equal(off.statusCode, 200);
  t.equal(off.json().active, false);
  t.same((await h.app.inject({ url: '/api/departments?active=true', headers: h.auth(operator) })).json().items.length, 2);
  t.equal((await patch('/api/departments/nobody', { name: 'x' })).statusCode, 404);

  const st = await post('/api/streets', { id: 'xuhui-fenglin', name: '枫林路街道', kind: 'street', district: '徐汇区' });
  t.equal(st.statusCode, 201, st.body);
  t.equal((await post('/api/streets', { id: 'minhang-qibao', name: '七宝镇', kind: 'town', district: '闵行区' })).statusCode, 201);
  const streets = (await h.app.inject({ url: '/api/streets?district=闵行区', headers: h.auth(operator) })).json().items;
  t.match(streets, [{ id: 'minhang-qibao', kind: 'town', district: '闵行区' }]);
  t.equal((await patch('/api/streets/minhang-qibao', { name: '七宝镇（新）' })).json().name, '七宝镇（新）');
});

t.test('bad input on every registry route: a 400 naming the field, nothing changed', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  s.registry.upsertDepartment({ id: 'd1', name: '部门一', kind: 'bureau_division' });
  s.registry.upsertStreet({ id: 's1', name: '街道一', kind: 'street', district: '徐汇区' });
  const u = await s.userAdmin.create({ username: 'op9', password: 'password-9', role: 'operator' });
  // the tokens' user rows are made before the fingerprint
  h.auth(admin);
  h.auth(operator);
  const fingerprint = fingerprinter(s.db);
  const before = fingerprint();
  const cases: Array<[string, string, object, RegExp]> = [
    ['POST', '/api/departments', { id: 'bad id!', name: 'x', kind: 'outside' }, /id/],
    ['POST', '/api/departments', { id: 'd2', name: '', kind: 'outside' }, /name/],
    ['POST', '/api/departments', { id: 'd2', name: 'x', kind: 'ministry' }, /kind/],
    ['POST', '/api/departments', { id: 'd2', name: 'x', kind: 'outside', colour: 'red' }, /colour|additional/],
    ['PATCH', '/api/departments/d1', {}, /fewer than 1|minProperties|body/],
    ['PATCH', '/api/departments/d1', { active: 'no' }, /active/],
    ['POST', '/api/streets', { id: 's2', name: 'x', kind: 'village', district: '徐汇区' }, /kind/],
    ['POST', '/api/streets', { id: 's2', name: 'x', kind: 'street' }, /district/],
    ['PATCH', '/api/streets/s1', { district: '   ' }, /district/],
    ['POST', '/api/users', { username: 'new', password: 'short', role: 'operator' }, /password/],
    ['POST', '/api/users', { username: 'new', password: 'long-enough', role: 'king' }, /role/],
    ['POST', '/api/users', { username: 'new', password: 'long-enough', role: 'department' }, /departmentId/],
    ['POST', '/api/users', { username: 'new', password: 'long-enough', role: 'department', departmentId: 'nope' }, /departmentId.*nope/],
    ['POST', '/api/users', { username: 'new', password: 'long-enough', role: 'street_seat', street: 'nowhere' }, /street.*nowhere/],
    ['POST', '/api/users', { username: 'new', password: 'long-enough', role: 'operator', seatId: '9999' }, /seatId/],
    ['PATCH', `/api/users/${u.id}`, { active: 'false' }, /active/],
    ['PATCH', `/api/users/${u.id}`, { role: 'department' }, /departmentId/],
    ['PATCH', `/api/users/${u.id}`, { password: '123' }, /password/],
    ['PATCH', '/api/users/abc', { active: false }, /id/],
    ['POST', '/api/seats', { id: 'st9', name: '坐席', kind: 'street', dial: 'PJSIP/1@street-gw' }, /street/],
    ['POST', '/api/seats', { id: 'st9', name: '坐席', kind: 'street', dial: 'PJSIP/1@street-gw', street: 'nowhere' }, /street.*nowhere/],
    ['POST', '/api/seats', { id: 'st9', name: '坐席', kind: 'center', dial: 'tel:123' }, /dial/],
    ['PATCH', '/api/seats/st9', { skills: 'all' }, /skills/],
  ];
  for (const [method, url, payload, field] of cases) {
    const r = await h.app.inject({ method: method as 'POST', url, payload, headers: h.auth(admin) });
    t.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${r.body}`);
    t.match(r.json().message, field, `names the field: ${r.json().message}`);
  }
  t.equal(fingerprint(), before, 'nothing changed');
});

t.test('users: admin lists, creates, changes role/unit/seat, resets the password, disables; a disabled user is locked out at once', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = async (username: string, password: string) => h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: `10.3.0.${Math.floor(Math.random() * 250)}` });
  const adminToken = (await login('admin', 'demo-password')).json().token;

  const list = await h.app.inject({ url: '/api/users', headers: as(adminToken) });
  t.equal(list.statusCode, 200);
  t.ok(list.json().items.some((u: { username: string }) => u.username === 'op1'));
  t.notOk(JSON.stringify(list.json()).includes('scrypt'), 'no password hashes');
  t.equal((await h.app.inject({ url: '/api/users', headers: h.auth(operator) })).statusCode, 403, 'admin only');

  const made = await h.app.inject({ method: 'POST', url: '/api/users', headers: as(adminToken), payload: { username: 'dept-new', password: 'first-password', role: 'department', departmentId: 'elderly-services', displayName: '养老服务处 张' } });
  t.equal(made.statusCode, 201, made.body);
  const id = made.json().id;
  t.match(made.json(), { role: 'department', departmentId: 'elderly-services', active: true });
  const first = await login('dept-new', 'first-password');
  t.equal(first.statusCode, 200);
  const token = first.json().token;
  t.equal((await h.app.inject({ url: '/api/tickets', headers: as(token) })).statusCode, 200);

  // reset the password: the old one stops working for log-in
  t.equal((await h.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(adminToken), payload: { password: 'second-password' } })).statusCode, 200);
  t.equal((await login('dept-new', 'first-password')).statusCode, 401);
  t.equal((await login('dept-new', 'second-password')).statusCode, 200);

  // a new unit and a seat
  const moved = await h.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(adminToken), payload: { role: 'street_seat', departmentId: null, street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' } });
  t.equal(moved.statusCode, 200, moved.body);
  t.match(moved.json(), { role: 'street_seat', departmentId: null, street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' });

  // disabled: the token already handed out stops working at once, and log-in fails
  const off = await h.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(adminToken), payload: { active: false } });
  t.equal(off.statusCode, 200);
  t.equal(off.json().active, false);
  const refused = await h.app.inject({ url: '/api/tickets', headers: as(token) });
  t.equal(refused.statusCode, 401, 'the old token is refused');
  t.equal(h.app.tokenActor(token), null, 'and on the websockets');
  t.equal((await login('dept-new', 'second-password')).statusCode, 401);
  t.equal((await h.app.inject({ url: '/api/users?active=false', headers: as(adminToken) })).json().items.length, 1);
  t.equal((await h.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(adminToken), payload: { active: true } })).statusCode, 200);
  t.equal((await h.app.inject({ url: '/api/tickets', headers: as(token) })).statusCode, 401, 'enabled again: the old session stays ended');
  t.equal((await login('dept-new', 'second-password')).statusCode, 200, 'and a new log-in works');

  const self = (await h.app.inject({ url: '/api/users?role=admin', headers: as(adminToken) })).json().items[0].id;
  const selfOff = await h.app.inject({ method: 'PATCH', url: `/api/users/${self}`, headers: as(adminToken), payload: { active: false } });
  t.equal(selfOff.statusCode, 400, 'an admin cannot lock themselves out');
  t.equal((await h.app.inject({ method: 'POST', url: '/api/users', headers: as(adminToken), payload: { username: 'op1', password: 'whatever-1', role: 'operator' } })).statusCode, 409, 'usernames are unique');
});

t.test('seats: admin registers and edits; the roster and routing see them', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  s.registry.upsertStreet({ id: 'xuhui-fenglin', name: '枫林路街道', kind: 'street', district: '徐汇区' });
  const r = await h.app.inject({ method: 'POST', url: '/api/seats', headers: h.auth(admin), payload: { id: 'street-xuhui-fenglin', name: '枫林路街道远程坐席', kind: 'street', dial: 'PJSIP/02164001009@street-gw', street: 'xuhui-fenglin' } });
  t.equal(r.statusCode, 201, r.body);
  t.match(r.json(), { street: 'xuhui-fenglin', district: '徐汇区', skills: ['community_life'], state: 'logged_out' });
  t.equal((await h.app.inject({ method: 'POST', url: '/api/seats', headers: h.auth(operator), payload: { id: 'x1', name: 'x', kind: 'center', dial: 'PJSIP/1' } })).statusCode, 403);
  const e = await h.app.inject({ method: 'PATCH', url: '/api/seats/street-xuhui-fenglin', headers: h.auth(admin), payload: { name: '枫林坐席', skills: ['community_life', 'consultation'] } });
  t.equal(e.statusCode, 200, e.body);
  t.equal(s.seats.get('street-xuhui-fenglin')!.name, '枫林坐席');
  t.ok((await h.app.inject({ url: '/api/seats', headers: h.auth(operator) })).json().items.some((x: { id: string }) => x.id === 'street-xuhui-fenglin'));
  t.equal((await h.app.inject({ method: 'PATCH', url: '/api/seats/none', headers: h.auth(admin), payload: { name: 'x' } })).statusCode, 404);
});

t.test('routing names a registered, active unit: unknown or disabled → 400 naming it, nothing changed', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  s.registry.upsertDepartment({ id: 'd1', name: '部门一', kind: 'bureau_division' });
  s.registry.upsertDepartment({ id: 'old', name: '已撤销处室', kind: 'bureau_division', active: false });
  s.registry.upsertStreet({ id: 's1', name: '街道一', kind: 'street', district: '徐汇区' });
  s.registry.upsertStreet({ id: 'gone', name: '已合并街道', kind: 'street', district: '徐汇区', active: false });
  const tk = s.tickets.create({ source: 'phone', kind: 'routed', content: '家里水管漏水' }, systemActor('test'));
  const desk = h.auth({ role: 'operator', name: 'op-routing' });
  const fingerprint = fingerprinter(s.db);
  const before = fingerprint();
  for (const [body, name] of [
    [{ departmentId: 'no-such-department' }, /departmentId.*no-such-department/],
    [{ street: 'nowhere-street' }, /street.*nowhere-street/],
    [{ departmentId: 'old' }, /departmentId.*已停用/],
    [{ street: 'gone' }, /street.*已停用/],
    [{ departmentId: 'd1', coHandlers: ['old'] }, /coHandlers\/0.*已停用/],
    [{ departmentId: 'd1', street: 's1' }, /departmentId \/ street/],
    [{}, /departmentId \/ street/],
  ] as const) {
    const r = await h.app.inject({ method: 'POST', url: `/api/tickets/${tk.id}/actions/route`, headers: desk, payload: body });
    t.equal(r.statusCode, 400, `${JSON.stringify(body)}: ${r.body}`);
    t.match(r.json().message, name);
  }
  t.equal(fingerprint(), before, 'nothing changed');
  t.equal((await h.app.inject({ method: 'POST', url: `/api/tickets/${tk.id}/actions/route`, headers: h.auth({ role: 'operator' }), payload: { street: 's1' } })).statusCode, 200);
});

t.test('the demo seed fills the registries: the streets of src/seed/streets.ts, the departments the regulation names', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  await seedDemo(h.app.services.db);
  await seedDemo(h.app.services.db); // idempotent
  const streets = (await h.app.inject({ url: '/api/streets', headers: h.auth(operator) })).json().items;
  t.same(streets.map((x: { id: string }) => x.id).sort(), DEMO_STREETS.map((x) => x.id).sort());
  t.match(streets.find((x: { id: string }) => x.id === 'minhang-qibao'), { kind: 'town', district: '闵行区' });
  const departments = (await h.app.inject({ url: '/api/departments', headers: h.auth(operator) })).json().items as Array<{ name: string; kind: string }>;
  for (const kind of ['bureau_division', 'district_bureau', 'bureau_office', 'outside']) t.ok(departments.some((d) => d.kind === kind), `a ${kind}`);
  for (const name of ['市民政局办公室', '市局监察室', '市局信息研究中心', '市社区服务中心', '社会救助处']) t.ok(departments.some((d) => d.name === name), name);
});
