// The statistics page and the printable evaluation report in real headless Chromium,
// over the generated month of test/stats/_month.ts; the report printed to an A4 PDF
// (test/artifacts/screenshots/evaluation-*.pdf, and PNGs of its pages when pdftoppm is there).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, DEMO_PASSWORD } from '../../src/seed/demo.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot, SCREENSHOT_DIR } from '../helpers/browser.js';
import { generateMonth, NOW, writeMonth } from '../stats/_month.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

async function server() {
  const h = await makeApp({ now: () => NOW });
  const s = h.app.services;
  await seedDemo(s.db);
  writeMonth(s.db, generateMonth());
  await s.users.create({ username: 'dept-welfare', password: DEMO_PASSWORD, role: 'department', departmentId: 'welfare', displayName: '社会福利处' });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  return { h, base };
}

async function loginAt(page: Page, url: string, username: string) {
  await page.goto(url);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.fill('#login-form input[name=username]', username);
  await page.fill('#login-form input[name=password]', DEMO_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.locator('#app').waitFor({ state: 'visible' });
}

/** The page printed as the browser prints it (A4), saved, and turned into PNGs to look at. */
async function printToPdf(page: Page, name: string): Promise<{ pdf: string; pages: number; size: string; pngs: string[] }> {
  const pdf = join(SCREENSHOT_DIR, `${name}.pdf`);
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  let pages = 0;
  let size = '';
  const pngs: string[] = [];
  if (existsSync('/usr/bin/pdfinfo')) {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    size = /Page size:\s+([^\n]+)/.exec(info)?.[1] ?? '';
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(SCREENSHOT_DIR, name)]);
    for (let i = 1; i <= pages; i++) for (const n of [`${i}`, `0${i}`, `00${i}`]) if (existsSync(join(SCREENSHOT_DIR, `${name}-${n}.png`))) pngs.push(join(SCREENSHOT_DIR, `${name}-${n}.png`));
  }
  return { pdf, pages, size, pngs };
}

t.test('the statistics page: five kinds, satisfaction, ranking, terms, online', async (t) => {
  const { h, base } = await server();
  t.teardown(h.close);
  const { context, page, errors } = await newPage(browser);
  t.teardown(() => context.close());
  await loginAt(page, `${base}/stats?month=2026-11`, 'supervisor');
  await page.locator('body[data-loaded="2026-11"]').waitFor();
  const kinds = await page.locator('#kinds').textContent();
  for (const k of ['即办件', '流转件', '督办件', '应急件', '协同件']) t.match(kinds, k);
  t.ok((await page.locator('#eval-departments tbody tr').count()) === 3, 'three departments ranked');
  t.ok((await page.locator('#eval-streets tbody tr').count()) === 2, 'two streets ranked');
  t.match(await page.locator('#sat').textContent(), /社会福利|welfare/);
  t.match(await page.locator('#terms').textContent(), /电梯|噪音|养老/);
  t.match(await page.locator('#online-gaps').textContent(), /火星移民签证怎么办理/);
  t.ok((await page.locator('#kinds svg rect').count()) >= 5, 'an SVG bar per kind');
  t.same(errors, [], 'no errors on the page');
  t.comment(await screenshot(page, 'stats-page'));
});

t.test('the printable evaluation: one unit and the ranking, A4 PDFs', async (t) => {
  const { h, base } = await server();
  t.teardown(h.close);
  const { context, page, errors } = await newPage(browser, { width: 1000, height: 1300 });
  t.teardown(() => context.close());
  await loginAt(page, `${base}/stats/report?month=2026-11&unitKind=department&unit=welfare`, 'supervisor');
  await page.locator('body[data-ready="1"]').waitFor();
  const text = (await page.locator('#sheet').textContent()) ?? '';
  for (const s of ['流转处理与服务质量通报评价', '部门：welfare', '综合得分', '第 ', '联系市民（3 个工作日）', '答复办结（10 个工作日）', '市民满意度', '2026年11月']) t.match(text, s);
  const one = await printToPdf(page, 'evaluation-welfare');
  t.comment(one);
  if (one.size) {
    t.match(one.size, /\(A4\)/, 'A4');
    t.equal(one.pages, 1, 'one page');
  }
  t.comment(await screenshot(page, 'evaluation-welfare-screen'));

  await page.goto(`${base}/stats/report?month=2026-11`);
  await page.locator('body[data-ready="1"]').waitFor();
  t.equal(await page.locator('table.ranking').count(), 2, 'departments and streets');
  t.equal(await page.locator('table.ranking tbody tr').count(), 5);
  t.comment(await printToPdf(page, 'evaluation-ranking'));
  t.same(errors, []);
});

t.test('a department prints its own report and no other', async (t) => {
  const { h, base } = await server();
  t.teardown(h.close);
  const { context, page } = await newPage(browser, { width: 1000, height: 1300 });
  t.teardown(() => context.close());
  await loginAt(page, `${base}/stats/report?month=2026-11`, 'dept-welfare');
  await page.locator('body[data-ready="1"]').waitFor();
  t.match(await page.locator('.sheet-head .subtitle').textContent(), '部门：welfare', 'its own unit, without asking');
  t.match(await page.locator('#sheet').textContent(), /共 3 个部门/);
  await page.goto(`${base}/stats/report?month=2026-11&unitKind=department&unit=veterans`);
  await page.locator('body[data-ready="1"]').waitFor();
  t.match(await page.locator('#sheet').textContent(), '只能查看本单位的统计');
  await page.goto(`${base}/stats`);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.fill('#login-form input[name=username]', 'dept-welfare');
  await page.fill('#login-form input[name=password]', DEMO_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.login-error')?.textContent);
  t.match(await page.locator('.login-error').textContent(), /统计分析仅供/, 'the statistics page is the centre\'s');
});
