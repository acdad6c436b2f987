import t from 'tap';
import type { Browser } from 'playwright-core';
import { seedKnowledgeBase } from '../../src/kb/demo-entries.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('/ask on a phone: ask, read the answer, choose a suggestion, leave a question as a ticket', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  seedKnowledgeBase(h.app.services.db);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
  t.teardown(() => context.close());

  await page.goto(`${base}/ask`);
  t.equal(await page.locator('h1').textContent(), '962200 在线咨询');
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
  const html = await page.content();
  t.notMatch(html, /登录|token|坐席|工单列表/, 'nothing staff-only on the page');

  await page.fill('#question', '结婚证丢了能补吗');
  await page.click('#ask-button');
  await page.waitForSelector('#answer:not([hidden])');
  t.equal(await page.locator('#answer-title').textContent(), '结婚证遗失了怎么补领');
  t.match(await page.locator('#answer-body').textContent(), /补领/);
  t.match(await page.locator('#choices-title').textContent(), /您是不是想问/);
  const choices = page.locator('#choice-list button');
  t.equal(await choices.count(), 2, 'two more to choose from');
  const second = await choices.nth(0).textContent();
  await screenshot(page, 'ask-answered');
  await choices.nth(0).click();
  t.equal(await page.locator('#answer-title').textContent(), second, 'a suggestion opens its entry');

  await page.fill('#question', '公积金怎么提取');
  await page.click('#ask-button');
  await page.waitForFunction(() => /12345/.test(document.getElementById('status')!.textContent ?? ''));
  t.equal(await page.locator('#answer').isHidden(), true, 'out of scope: no entry');
  t.equal(await page.locator('#leave').isHidden(), true);

  await page.fill('#question', '社区里有没有象棋比赛');
  await page.click('#ask-button');
  await page.waitForSelector('#leave:not([hidden])');
  const before = (await h.app.inject({ url: '/api/tickets?source=online', headers: h.auth({ role: 'supervisor' }) })).json().total;
  t.equal(before, 0, 'no ticket before the citizen says so');
  await page.click('#leave-button');
  t.match(await page.locator('#status').textContent(), /手机号码或电子邮箱/, 'a contact is asked for');
  await page.fill('#phone', '13800138000');
  await page.click('#leave-button');
  await page.waitForSelector('#ticket:not([hidden])');
  const said = await page.locator('#ticket').textContent();
  t.match(said, /962200-\d{8}-\d{6}/, 'the ticket number is said back');
  await screenshot(page, 'ask-ticket-left');
  const tickets = (await h.app.inject({ url: '/api/tickets?source=online', headers: h.auth({ role: 'supervisor' }) })).json();
  t.equal(tickets.total, 1);
  t.match(said, tickets.items[0].number);
  t.same(errors, []);
});
