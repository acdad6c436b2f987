import { rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { seedDemo, DEMO_PASSWORD } from '../../src/seed/demo.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { fakeTelephony } from './fake-telephony.js';
import { callRow, listenIn, loginWallboard, waitForAlert, waitForLive, waitForReconnecting, waitForSeatRow, waitForWaiting } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('the wallboard page is served without a token; its assets too', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  for (const url of ['/wallboard', '/desk']) {
    const r = await h.app.inject(url);
    t.equal(r.statusCode, 200, url);
    t.match(r.headers['content-type'], /text\/html/);
    t.match(r.body, /<html lang="zh-CN">/);
  }
  const js = await h.app.inject('/web/js/wallboard.js');
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.equal((await h.app.inject('/web/../package.json')).statusCode, 404, 'nothing outside web/');
});

t.test('wallboard: queues, seats, live calls with listen-in, emergency alert, chart, reconnect', async (t) => {
  const h = await makeApp();
  let closed = false;
  t.teardown(async () => {
    if (!closed) await h.app.close();
    rmSync(h.dir, { recursive: true, force: true });
  });
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  // a supervisor whose own phone is seat 1010, for listen-in
  await s.users.create({ username: 'sup-phone', password: DEMO_PASSWORD, role: 'supervisor', seatId: '1010', displayName: '带话机的主管' });
  const tel = fakeTelephony(h.app);

  // the floor: some seats in, some calls today
  s.seats.setManual('1001', 'ready');
  s.seats.setManual('1002', 'ready');
  s.seats.setManual('1003', 'not_ready', '小休');
  s.seats.setManual('street-xuhui-tianlin', 'ready');
  const caller = tel.call({ callId: 'call-connected', callerNumber: '13800138000', queue: 'consultation', category: 'consultation', subcategory: 'social_assistance', seatId: '1002' });
  tel.call({ callId: 'call-on-my-phone', callerNumber: '13900139000', queue: 'operator', category: 'other', seatId: '1010' });
  tel.call({ callId: 'call-queued', callerNumber: '13700137000', queue: 'community_life', category: 'community_life', subcategory: 'housekeeping', phase: 'queued', enqueuedAt: Date.now() - 75_000 });
  for (let i = 0; i < 3; i++) {
    tel.call({ callId: `old-${i}`, callerNumber: `1360000000${i}`, queue: 'operator', category: 'other', seatId: '1004', enqueuedAt: Date.now() - 40_000 - i * 1000 });
    tel.hangup(`old-${i}`);
  }
  s.seats.set('1004', 'ready');

  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;

  const { page, errors } = await newPage(browser, { width: 1920, height: 1080 });
  await loginWallboard(page, base, 'sup-phone');

  // the snapshot: the queued caller, seats, live calls
  await waitForWaiting(page, 'community_life', 1);
  await waitForWaiting(page, 'operator', 0);
  const [mm, ss] = ((await page.locator('.queue[data-queue="community_life"] .q-longest').textContent()) ?? '').split(':').map(Number);
  t.ok(mm * 60 + ss >= 75 && mm * 60 + ss < 120, `longest wait counts from when the caller joined (${mm}:${ss})`);
  await waitForSeatRow(page, '1003', 'not_ready');
  t.equal(await page.locator('#seats tr[data-seat="1003"] .reason').textContent(), '小休');
  t.equal(await callRow(page, 'call-connected').locator('td').first().textContent(), '13800138000', 'supervisors see the caller in clear');
  t.equal(await callRow(page, 'call-queued').locator('button.btn-listen').count(), 0, 'no listen-in before a seat answers');
  t.match(await page.locator('.queue[data-queue="operator"] .stats').textContent(), /呼入4接通4/, "today's numbers per queue");

  // a caller joins the operator queue: the card follows
  tel.enqueue('operator', 'call-new');
  await waitForWaiting(page, 'operator', 1);
  t.equal(await page.locator('#kpi-waiting').textContent(), '2', 'two waiting in all');

  // a seat's state change shows with its reason and time in state
  await h.app.inject({ method: 'POST', url: '/api/seats/1001/state', headers: h.auth({ role: 'supervisor' }), payload: { state: 'not_ready', reason: '培训' } });
  await waitForSeatRow(page, '1001', 'not_ready');
  t.equal(await page.locator('#seats tr[data-seat="1001"] .reason').textContent(), '培训');

  // listen-in: rings the supervisor's own phone; an error shows its message
  t.match(await listenIn(page, 'call-connected'), /已呼叫您的话机 PJSIP\/1010/);
  t.equal(tel.listens[0]?.callId, 'call-connected', 'the listen-in was started on that call');
  t.match(await listenIn(page, 'call-on-my-phone'), /监听失败：seatId：该坐席正在这通电话上/);

  // a call that ends leaves the list (throttled `calls` message)
  tel.hangup('call-on-my-phone');
  await callRow(page, 'call-on-my-phone').waitFor({ state: 'detached', timeout: 3000 });

  // the chart: 24 bars from /api/stats/calls-per-hour, or empty with a note while that endpoint is missing
  await page.locator('#chart svg').waitFor();
  const bars = await page.locator('#chart .bar').count();
  const note = await page.locator('#chart-note').isVisible();
  t.ok(bars === 24, 'a bar per hour');
  if (note) t.match(await page.locator('#chart-note').textContent(), /每小时话务量/, 'the chart says why it is empty');
  else t.ok((await page.locator('#chart .bar[data-offered]:not([data-offered="0"])').count()) >= 1, "today's calls are drawn");

  // an emergency: a flashing banner and the recent list, with the ticket number
  s.bus.emit('emergency', { code: 'emergency_call', ticketId: caller.ticketId, callId: 'call-connected', callerNumber: '13800138000', at: Date.now(), summary: 'emergency call (main:9)', data: { menuPath: 'main:9' } });
  t.match(await waitForAlert(page), /应急来电/);
  await page.locator('#alerts .alert-item.latest .alert-ticket', { hasText: caller.number }).waitFor();
  await screenshot(page, 'wallboard');
  await page.click('#alert-ack');
  t.notOk(await page.locator('#alert').isVisible(), 'acknowledged: the banner goes, the list stays');
  t.equal(await page.locator('#alerts .alert-item').count(), 1);

  // the server restarts: 'reconnecting', then a fresh snapshot from the new server
  await h.app.close();
  closed = true;
  await waitForReconnecting(page);
  t.ok(await page.locator('#reconnecting').isVisible(), 'the reconnecting banner shows');
  await screenshot(page, 'wallboard-reconnecting');

  const app2 = await buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath: join(h.dir, 'hotline.db'), filesDir: join(h.dir, 'files'), logLevel: 'warn', smtp: { host: '127.0.0.1', port: 0, maxBytes: 1 << 20, enabled: false } } });
  t.teardown(() => app2.close());
  const tel2 = fakeTelephony(app2);
  tel2.enqueue('operator', 'after-restart-1');
  tel2.enqueue('operator', 'after-restart-2');
  await app2.listen({ port, host: '127.0.0.1' });
  await waitForLive(page, 15_000);
  await waitForWaiting(page, 'operator', 2);
  t.equal(await page.locator('#calls tr').count(), 0, 'the new server has no live calls: the list follows its snapshot');
  t.equal(await page.locator('#alerts .alert-item').count(), 1, 'the recent alerts survive the reconnect');

  t.same(errors, [], 'no script errors on the page');
});

t.test('wallboard: operators are turned away at login', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  await seedDemo(h.app.services.db);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const { page } = await newPage(browser);
  await page.goto(`${base}/wallboard`);
  await page.fill('#login-form input[name=username]', 'op1');
  await page.fill('#login-form input[name=password]', DEMO_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.locator('.login-error', { hasText: '仅供值班主管' }).waitFor();
  t.notOk(await page.locator('#app').isVisible());
  await page.fill('#login-form input[name=username]', 'supervisor');
  await page.fill('#login-form input[name=password]', 'wrong');
  await page.click('#login-form button[type=submit]');
  await page.locator('.login-error', { hasText: '用户名或密码错误' }).waitFor();
  t.pass('a wrong password says so');
});
