// The desk's inbox in Chromium, loaded from GET /api/tickets?open=true&sort=deadline: more
// open tickets than a page, overdue first, counts per status as chips, pages, the status
// chips and the text search asking the server again.
import t from 'tap';
import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { inboxRows, loginDesk } from './pages.js';

const DAY = 86_400_000;
const sys = systemActor('test');

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('desk inbox: 120 open tickets, the server pages them by deadline with counts', async (t) => {
  const { s, base } = await demoServer(t);
  const now = Date.now();
  const make = (content: string, later: Parameters<typeof s.tickets.update>[1]) => {
    const made = s.tickets.create({ source: 'phone', callerNumber: '13700001111', title: content.slice(0, 12), content }, sys);
    return s.tickets.update(made.id, later, { actor: sys, action: 'test_setup' });
  };
  // the overdue ones are the oldest: a list of the newest 50 would never show them
  const late = [make('占道经营执法投诉，已超期', { kind: 'routed', status: 'routed', departmentId: 'social-assistance', dueAt: now - 2 * DAY, overdue: true }), make('低保复核材料未补齐，已超期', { kind: 'routed', status: 'in_progress', departmentId: 'social-assistance', dueAt: now - DAY, overdue: true })];
  for (let i = 0; i < 60; i++) make(`第${i}号已办结工单`, { kind: 'immediate', status: 'closed', closedAt: now });
  const open = [];
  for (let i = 0; i < 118; i++) open.push(make(`市民咨询养老服务补贴第${i}号`, { kind: 'routed', status: i % 3 === 0 ? 'in_progress' : 'routed', departmentId: 'social-assistance', dueAt: now + (i + 1) * 3_600_000 }));
  const lamp = make('小区路灯坏了一周', { kind: 'routed', status: 'routed', departmentId: 'social-assistance', dueAt: now + 30 * DAY });

  const { page, errors } = await newPage(browser, { width: 1600, height: 1000 });
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/tickets?')) asked.push(decodeURIComponent(new URL(r.url()).search));
  });
  await loginDesk(page, base, 'op1');
  await page.click('#inbox-tabs [data-tab="open"]');
  await page.locator('#inbox-statuses [data-status="all"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#inbox tr[data-ticket-id]').length === 50);

  let rows = await inboxRows(page);
  t.equal(rows.length, 50, 'one page of 50');
  t.same(rows.slice(0, 2).map((r) => r.number), late.map((x) => x.number), 'the overdue ones first, though they are the oldest');
  t.same(rows.slice(0, 3).map((r) => r.overdue), [true, true, false]);
  t.equal(rows[2].number, open[0].number, 'then the nearest deadline');
  t.match(await page.locator('#inbox-count').textContent(), /121 件，已超期 2 件/, 'the count is the server\'s, not the page\'s');
  t.match(await page.locator('#inbox-statuses [data-status="routed"]').textContent(), /已派转|routed/);
  const chips = await page.locator('#inbox-statuses .chip').allTextContents();
  t.ok(chips.some((c) => /^全部 121$/.test(c)), `chips: ${chips.join(' | ')}`);
  t.ok(asked.some((q) => /open=true/.test(q) && /sort=deadline/.test(q) && /limit=50/.test(q)), 'asked the server for open tickets by deadline');
  t.notOk(asked.some((q) => /limit=500/.test(q)), 'no longer the newest 500');
  await screenshot(page, 'desk-inbox-page1');

  // the next pages
  await page.click('#inbox-next');
  await page.waitForFunction((n) => document.querySelector('#inbox tr[data-ticket-id]')?.getAttribute('data-number') === n, open[48].number);
  rows = await inboxRows(page);
  t.equal(rows.length, 50);
  t.match(await page.locator('#inbox-pager').textContent(), /第 2 \/ 3 页/);
  await page.click('#inbox-next');
  await page.waitForFunction(() => document.querySelectorAll('#inbox tr[data-ticket-id]').length === 21);
  rows = await inboxRows(page);
  t.equal(rows.at(-1)?.number, lamp.number, 'the last page ends with the furthest deadline');

  // a status chip: the server filters, the page starts again
  await page.click('#inbox-statuses [data-status="in_progress"]');
  await page.waitForFunction(() => document.querySelectorAll('#inbox tr[data-ticket-id]').length === 41);
  rows = await inboxRows(page);
  t.ok(rows.every((r) => r.status === 'in_progress'), '40 + 1 in progress');
  t.equal(rows[0].number, late[1].number, 'still overdue first');

  // the search box: words over title, content, address and replies
  await page.click('#inbox-statuses [data-status="all"]');
  await page.fill('#inbox-search input[name=q]', '路灯');
  await page.click('#inbox-search button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#inbox tr[data-ticket-id]').length === 1);
  t.same((await inboxRows(page)).map((r) => r.number), [lamp.number]);
  t.match(await page.locator('#inbox-count').textContent(), /^1 件/);
  await screenshot(page, 'desk-inbox-search');
  t.same(errors, [], 'no script errors on the page');
});
