// The desk's registry pages (#13) in real Chromium: an admin keeps departments, streets, users
// and seats; and the desk's route form offers them (a lead with co-handlers, a statutory limit).
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { fakeTelephony } from './fake-telephony.js';
import { login, loginDesk, openTicket, takeAction } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

const started = demoServer;

const tab = async (page: Page, id: string) => {
  await page.click(`#admin-tabs button[data-tab="${id}"]`);
  await page.locator(`#panel form[data-form]`).waitFor();
};
const fillForm = async (page: Page, form: string, values: Record<string, string>) => {
  for (const [name, value] of Object.entries(values)) {
    const f = page.locator(`form[data-form="${form}"] [name="${name}"]`);
    if ((await f.evaluate((n) => n.tagName)) === 'SELECT') await f.selectOption(value);
    else await f.fill(value);
  }
  await page.click(`form[data-form="${form}"] button[type=submit]`);
};
/** Does the panel's message come to say this (within 5 s)? */
const says = (page: Page, text: RegExp) =>
  page.locator('#panel .admin-msg', { hasText: text }).waitFor({ timeout: 5000 }).then(() => true, () => false);

t.test('admin pages: departments, streets, users, seats — add, refuse bad input, disable, reset a password', async (t) => {
  const { s, base } = await started(t);
  const { page, errors } = await newPage(browser, { width: 1500, height: 1000 });
  await login(page, base, '/desk/admin', 'admin');

  // departments: the seeded ones are listed with their kind; add one; a bad id is refused naming the field
  await page.locator('#panel tr[data-id="bureau-office"]').waitFor();
  t.match(await page.locator('#panel tr[data-id="bureau-office"]').textContent(), /市局办公室/);
  await fillForm(page, 'department', { id: 'civil-ngo', name: '社会组织服务中心', kind: 'outside' });
  t.ok(await says(page, /已新增部门/), String(/已新增部门/));
  t.match(s.registry.department('civil-ngo'), { name: '社会组织服务中心', kind: 'outside', active: true });
  await fillForm(page, 'department', { id: 'bad id', name: 'x', kind: 'outside' });
  t.ok(await says(page, /操作失败.*id/), 'the 400 names the field');
  await page.click('#panel tr[data-id="veterans-affairs"] button[data-act="disable"]');
  await page.locator('#panel tr[data-id="veterans-affairs"].inactive').waitFor();
  t.equal(s.registry.department('veterans-affairs')?.active, false);
  await screenshot(page, 'admin-departments');

  // streets
  await tab(page, 'streets');
  await fillForm(page, 'street', { id: 'xuhui-fenglin', name: '枫林路街道', kind: 'street', district: '徐汇区' });
  t.ok(await says(page, /已新增街镇/), String(/已新增街镇/));
  t.match(s.registry.street('xuhui-fenglin'), { district: '徐汇区' });
  await page.locator('#panel tr[data-id="minhang-qibao"]').waitFor();
  t.match(await page.locator('#panel tr[data-id="minhang-qibao"]').textContent(), /镇.*闵行区/);
  await screenshot(page, 'admin-streets');

  // users: create a department user, reset its password, disable it
  await tab(page, 'users');
  await fillForm(page, 'user', { username: 'dept-ngo', password: 'start-password', displayName: '社会组织中心 王', role: 'department', departmentId: 'civil-ngo' });
  t.ok(await says(page, /已新增用户/), String(/已新增用户/));
  const made = s.userAdmin.list().find((u) => u.username === 'dept-ngo')!;
  t.match(made, { role: 'department', departmentId: 'civil-ngo', active: true });
  await fillForm(page, 'user', { username: 'no-unit', password: 'start-password', role: 'department' });
  t.ok(await says(page, /操作失败.*departmentId/), 'a department user needs its department');
  const row = page.locator('#panel tr[data-username="dept-ngo"]');
  await row.locator('button[data-edit="password"]').click();
  await row.locator('input[name="password"]').fill('second-password');
  await row.locator('button[data-save="password"]').click();
  t.ok(await says(page, /已重置 dept-ngo 的密码/), String(/已重置 dept-ngo 的密码/));
  t.equal((await s.users.authenticate('dept-ngo', 'second-password'))?.username, 'dept-ngo', 'the new password works');
  await page.locator('#panel tr[data-username="dept-ngo"] button[data-act="disable"]').click();
  await page.locator('#panel tr[data-username="dept-ngo"].inactive').waitFor();
  t.equal(s.userAdmin.get(made.id)?.active, false);
  await screenshot(page, 'admin-users');

  // seats
  await tab(page, 'seats');
  await fillForm(page, 'seat', { id: 'street-xuhui-fenglin', name: '枫林路街道远程坐席', kind: 'street', dial: 'PJSIP/02164001009@street-gw', street: 'xuhui-fenglin' });
  t.ok(await says(page, /已新增坐席/), String(/已新增坐席/));
  t.match(s.seats.get('street-xuhui-fenglin'), { street: 'xuhui-fenglin', district: '徐汇区', kind: 'street', screening: true });
  // a remote seat: its phone-line PIN (hashed on the server) and the whisper switched off and on
  const seatRow = page.locator(`#panel tr[data-id="street-xuhui-fenglin"]`);
  await seatRow.locator(`button[data-edit="pin"]`).click();
  await seatRow.locator(`input[name="pin"]`).fill('2468');
  await seatRow.locator(`button[data-save="pin"]`).click();
  t.ok(await says(page, /电话PIN已设置/), 'PIN set');
  t.ok(s.seats.get('street-xuhui-fenglin')?.pinHash?.startsWith('scrypt$'), 'stored hashed');
  await page.locator('#panel tr[data-id="street-xuhui-fenglin"] td[data-pin="true"]').waitFor();
  await page.locator('#panel tr[data-id="street-xuhui-fenglin"] button[data-act="screening"]').click();
  t.ok(await says(page, /直接接通/), 'screening off');
  t.equal(s.seats.get('street-xuhui-fenglin')?.screening, false);
  await screenshot(page, 'admin-seats');

  t.same(errors, [], 'no script errors');
});

t.test('admin pages refuse a non-admin', async (t) => {
  const { base } = await started(t);
  const { page } = await newPage(browser);
  await page.goto(`${base}/desk/admin`);
  await page.fill('#login-form input[name=username]', 'op1');
  await page.fill('#login-form input[name=password]', 'demo-password');
  await page.click('#login-form button[type=submit]');
  await page.locator('.login-error', { hasText: '仅供系统管理员' }).waitFor();
  t.ok(await page.locator('#app').isHidden());
});

t.test("desk: route a 12345 order to a lead with a co-handler under a statutory limit; 12345's due date and the units shown", async (t) => {
  const { h, s, base } = await started(t);
  fakeTelephony(h.app);
  const order = s.tickets.create({ source: '12345', externalOrderId: 'WEB-1', callerNumber: '13800138000', title: '高龄老人居家养老服务申请', content: '高龄老人居家养老服务申请', orderDueAt: Date.now() + 20 * 86_400_000 }, systemActor('12345'));
  s.tickets.update(order.id, { kind: 'routed', assignedSeatId: '1001' }, { actor: systemActor('test'), action: 'test_setup' });
  const { page, errors } = await newPage(browser, { width: 1600, height: 1100 });
  await loginDesk(page, base, 'op1');
  await page.locator(`#inbox tr[data-number="${order.number}"]`).waitFor();
  await openTicket(page, order.number);
  t.match(await page.locator('#detail .detail-facts').textContent(), /12345期限/, "12345's own due date is on the desk");

  const refused = await takeAction(page, 'route', { target: 'departmentId', to: 'no-such-department' });
  t.match(refused, /departmentId.*no-such-department/, `an unknown unit is refused by name: ${refused}`);
  await openTicket(page, order.number);
  t.equal(
    await takeAction(page, 'route', { target: 'departmentId', to: 'elderly-services', coHandlers: 'xuhui-civil-affairs', limitDays: '20', unit: 'working', limitBasis: '《上海市养老服务条例》' }),
    null,
  );
  const row = s.tickets.get(order.id)!;
  t.match(row, { status: 'routed', departmentId: 'elderly-services', limitDays: 20, limitBasis: '《上海市养老服务条例》' });
  t.same(row.coHandlers.map((c) => c.departmentId), ['xuhui-civil-affairs']);
  await page.locator('#detail .detail-facts', { hasText: '协办部门' }).waitFor();
  const facts = (await page.locator('#detail .detail-facts').textContent()) ?? '';
  t.match(facts, /牵头部门\s*养老服务处/);
  t.match(facts, /协办部门\s*徐汇区民政局/);
  t.match(facts, /20个工作日（依据：《上海市养老服务条例》）/);
  t.ok(await page.locator('#detail .actions button[data-action="recall"]').isVisible(), 'the routing operator may recall it');
  await screenshot(page, 'desk-route-lead-cohandler');
  t.equal(await takeAction(page, 'recall', { reason: '派错部门' }), null);
  t.equal(s.tickets.get(order.id)!.status, 'open');
  t.same(errors, [], 'no script errors');
});
