import t from 'tap';
import type { Browser } from 'playwright-core';
import { seedDemo } from '../../src/seed/demo.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { loginDesk } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test("desk: the knowledge base card searches as citizens say it", async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  await seedDemo(h.app.services.db);
  h.app.services.seats.reload();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const { context, page, errors } = await newPage(browser);
  t.teardown(() => context.close());
  await loginDesk(page, base, 'op1');

  for (const [q, title] of [['结婚证丢了', '结婚证遗失了怎么补领'], ['领养小孩', '收养登记办理指南'], ['找个保姆', '家政服务（保洁、育儿、养老护理）']]) {
    await page.fill('#kb-q', q);
    await page.click('#kb-form button');
    await page.waitForFunction((title) => document.querySelector('#kb-results .kb-title')?.textContent === title, title, { timeout: 5000 });
    t.pass(`${q} → ${title}`);
  }
  await page.click('#kb-results .kb-title');
  await page.waitForSelector('#kb-results .kb-body:not([hidden])');
  t.match(await page.locator('#kb-results .kb-body').first().textContent(), /家政/);
  await screenshot(page, 'desk-kb-search');
  t.same(errors, []);
});
