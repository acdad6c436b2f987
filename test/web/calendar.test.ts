// The calendar on the pages: 暂定 beside a provisional deadline on the desk, the banner on
// the wallboard and the admin's page while next year has no notice, and the admin's
// form that loads one (a bad date named, a good notice recounting the deadline).
import t from 'tap';
import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import { workingDeadline } from '../../src/calendar/working-days.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { login, loginDesk, loginWallboard, openTicket } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('provisional deadlines and the 2027 notice on the desk, the wallboard and the admin page', async (t) => {
  // the server's clock: Tuesday 2026-12-29, 10:00 in Shanghai
  const { s, base } = await demoServer(t, { now: () => Date.parse('2026-12-29T02:00:00Z') });

  // a ticket of op1's seat routed today: contact within 3 working days reaches 2027-01-04 (by rule)
  const sys = systemActor('test');
  const made = s.tickets.create({ source: 'phone', callerNumber: '13700001111', kind: 'routed', title: '低保复核材料咨询' }, sys);
  const contact = workingDeadline(s.now(), 3);
  t.equal(contact.provisional, true);
  const tk = s.tickets.update(made.id, { status: 'routed', assignedSeatId: '1001', departmentId: 'social-assistance', contactDueAt: contact, dueAt: contact }, { actor: sys, action: 'test_setup' });

  const desk = await newPage(browser, { width: 1600, height: 1000 });
  await loginDesk(desk.page, base, 'op1');
  const row = desk.page.locator(`#inbox tr[data-number="${tk.number}"]`);
  await row.waitFor();
  t.match(await row.locator('.tag-provisional').textContent(), '暂定', 'the inbox marks the deadline 暂定');
  await openTicket(desk.page, tk.number);
  t.equal(await desk.page.locator('#detail .tag-provisional').count(), 2, 'the detail marks 当前期限 and 联系期限 暂定');
  t.match(await desk.page.locator('#detail .tag-provisional').first().getAttribute('title'), /节假日安排尚未载入/);
  await screenshot(desk.page, 'calendar-desk-provisional');

  const wall = await newPage(browser, { width: 1600, height: 1000 });
  await loginWallboard(wall.page, base);
  const wallBanner = wall.page.locator('#calendar-banner');
  await wallBanner.waitFor({ state: 'visible' });
  t.match(await wallBanner.textContent(), /2027年节假日安排尚未载入/);
  await screenshot(wall.page, 'calendar-wallboard-banner');

  const admin = await newPage(browser, { width: 1280, height: 1000 });
  await login(admin.page, base, '/desk/admin/calendar', 'admin');
  await admin.page.locator('#calendar-banner').waitFor({ state: 'visible' });
  await admin.page.waitForFunction(() => document.querySelector('#source')?.textContent?.includes('暂定'));
  t.equal(await admin.page.locator('#year').inputValue(), '2027', 'from November the page opens on next year');
  t.match(await admin.page.locator('#periods').textContent(), /春节2027-02-05/, 'the rule\'s days are listed');
  await screenshot(admin.page, 'calendar-admin-provisional');

  // a typing slip is named and nothing is loaded
  await admin.page.fill('#notice-form textarea[name=holidays]', '2027-01-01\n2027-02-30');
  await admin.page.fill('#notice-form textarea[name=workdays]', '');
  await admin.page.click('#notice-form button[type=submit]');
  await admin.page.waitForFunction(() => document.querySelector('#notice-result')?.textContent?.includes('未载入'));
  t.match(await admin.page.locator('#notice-result').textContent(), /holidays\/1.*2027-02-30/);
  t.equal(s.calendar.calendar().hasNotice(2027), false);

  // the notice: 元旦 1-1 to 1-4 (one day more than the rule), 春节 as a range, a make-up Saturday
  await admin.page.fill('#notice-form input[name=title]', '国务院办公厅关于2027年部分节假日安排的通知');
  await admin.page.fill('#notice-form textarea[name=holidays]', '2027-01-01~2027-01-04\n2027-02-05~2027-02-11\n2027-04-05, 2027-05-01~2027-05-05\n2027-06-09\n2027-09-15\n2027-10-01~2027-10-07');
  await admin.page.fill('#notice-form textarea[name=workdays]', '2027-02-20\n2027-10-09');
  await admin.page.click('#notice-form button[type=submit]');
  await admin.page.waitForFunction(() => document.querySelector('#notice-result.ok'));
  t.match(await admin.page.locator('#notice-result').textContent(), /已载入.*重新计算了 1 件工单/);
  await admin.page.waitForFunction(() => document.querySelector('#source')?.textContent?.includes('正式'));
  await admin.page.locator('#calendar-banner').waitFor({ state: 'hidden' });
  t.match(s.tickets.get(tk.id), { contactDueAt: Date.parse('2027-01-05T15:59:59.999Z'), contactDueAtProvisional: false });
  await screenshot(admin.page, 'calendar-admin-loaded');

  await openTicket(desk.page, tk.number);
  await desk.page.waitForFunction(() => document.querySelectorAll('#detail .tag-provisional').length === 0);
  t.match(await desk.page.locator('#detail').textContent(), /2027-01-05|2027\/01\/05|01-05/);
  await screenshot(desk.page, 'calendar-desk-recounted');

  t.same([...desk.errors, ...wall.errors, ...admin.errors], [], 'no script errors');
  await Promise.all([desk.context.close(), wall.context.close(), admin.context.close()]);
});
