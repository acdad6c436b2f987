// #14 point 5 in Chromium: the wallboard's alert banner shows the stored alerts nobody
// acknowledged (raised before the page was open too), flashes on a new or repeated one,
// and goes only when a supervisor acknowledges each; an admin watches but cannot.
import t from 'tap';
import type { Browser } from 'playwright-core';
import { escalateAlerts } from '../../src/alerts/escalation.js';
import { systemActor } from '../../src/shared/actor.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { loginWallboard } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('wallboard: stored alerts on the banner until a supervisor acknowledges them', async (t) => {
  const clock = { now: Date.now() };
  // the escalation check is driven by the test, on the injected clock
  const { h, s, base } = await demoServer(t, { now: () => clock.now, config: { alerts: { repeatMs: 3 * 60_000, emailTo: [], checkMs: 0 } } });
  const op = h.auth({ role: 'operator', name: 'op1' });
  const act = (id: number, action: string, body: object) => h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/${action}`, headers: op, payload: body });

  // raised while no wallboard is open
  const fire = s.tickets.create({ source: 'phone', title: '居民楼起火', content: '3号楼起火，有人被困' }, systemActor('test'));
  t.equal((await act(fire.id, 'classify', { kind: 'emergency' })).statusCode, 200);

  const { page, errors, context } = await newPage(browser);
  t.teardown(() => context.close());
  await loginWallboard(page, base);
  const banner = page.locator('#alert');
  await banner.waitFor({ state: 'visible' });
  t.match(await page.locator('#alert .alert-title').textContent(), /^应急警报$/);
  t.match(await page.locator('#alert-text').textContent(), new RegExp(`应急工单 ${fire.number}：居民楼起火`));
  t.equal(await page.locator('#alerts .alert-item').count(), 1, 'in the list too');

  // a draft waiting for review, while the page is open: on top, the emergency still counted
  const q = s.tickets.create({ source: 'phone', title: '低保咨询', content: '咨询低保' }, systemActor('test'));
  await act(q.id, 'classify', { kind: 'immediate' });
  await act(q.id, 'draft_reply', { draft: '您好，低保申请……' });
  await page.locator('#alert[data-code="draft_review"].flashing').waitFor();
  t.match(await page.locator('#alert .alert-title').textContent(), /^答复待审核$/);
  t.equal(await page.locator('#alert-more').textContent(), '另有 1 条未确认的警报');
  t.equal(await page.locator('#alerts-open').textContent(), '2 条未确认');

  // three minutes on, nobody acknowledged: pushed again (injected clock)
  clock.now += 3 * 60_000;
  t.match(escalateAlerts(s), { repushed: 2 });
  await page.locator('#alert .alert-title', { hasText: '第 2 次提醒' }).waitFor();
  await screenshot(page, 'wallboard-alert-banner');

  // acknowledged one by one: the banner shows the next, then goes
  await page.click('#alert-ack');
  await page.locator('#alert[data-code="emergency_ticket"]').waitFor();
  t.equal(s.alerts.list({ acknowledged: false }).total, 1, 'the draft alert was acknowledged on the server');
  await page.click('#alert-ack');
  await banner.waitFor({ state: 'hidden' });
  t.equal(s.alerts.list({ acknowledged: false }).total, 0);
  t.equal(await page.locator('#alerts .alert-item.acknowledged').count(), 2, 'the list keeps them, acknowledged');
  t.match(s.alerts.list({ acknowledged: true }).items[0], { acknowledgedBy: 'supervisor' });

  // an admin sees the banner but has no 确认
  const other = s.tickets.create({ source: 'phone', title: '燃气泄漏', content: '燃气泄漏' }, systemActor('test'));
  await act(other.id, 'classify', { kind: 'emergency' });
  await banner.waitFor({ state: 'visible' });
  const admin = await newPage(browser);
  t.teardown(() => admin.context.close());
  await loginWallboard(admin.page, base, 'admin');
  await admin.page.locator('#alert').waitFor({ state: 'visible' });
  t.notOk(await admin.page.locator('#alert-ack').isVisible(), 'no acknowledge button for an admin');
  t.equal(await admin.page.locator('#alert-more').textContent(), '请值班主管确认');
  // acknowledged by the supervisor elsewhere: gone from every wallboard
  await page.click('#alert-ack');
  await admin.page.locator('#alert').waitFor({ state: 'hidden' });
  t.same(errors, [], 'no script errors');
  t.same(admin.errors, []);
});
