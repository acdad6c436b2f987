import t from 'tap';
import type { Browser } from 'playwright-core';
import { seedDemo } from '../../src/seed/demo.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { fakeTelephony } from './fake-telephony.js';
import { loginWallboard } from './pages.js';

// The street queue's card on the wallboard shows today's screenings of remote seats:
// offered (the far end answered and heard the whisper), accepted, declined, missed.

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test("wallboard: the street queue's screening figures, from the call path's rows", async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  fakeTelephony(h.app);
  const now = Date.now();
  const seat = 'street-xuhui-tianlin';
  // what calls/screening.ts writes: 5 whispers today, one still playing, one from yesterday
  const rows: Array<[string, 'accepted' | 'declined' | 'missed' | 'abandoned' | null, number]> = [
    ['l1', 'accepted', now - 60_000],
    ['l2', 'accepted', now - 50_000],
    ['l3', 'declined', now - 40_000],
    ['l4', 'missed', now - 30_000],
    ['l5', null, now - 1_000],
    ['l0', 'missed', now - 2 * 86_400_000],
  ];
  for (const [legId, outcome, at] of rows) {
    s.calls.screeningStarted({ legId, callId: `c-${legId}`, seatId: seat, queue: 'street', startedAt: at });
    if (outcome) s.calls.screeningEnded(legId, outcome, outcome === 'declined' ? '2' : outcome === 'accepted' ? '1' : null, at + 5_000);
  }
  const api = (await h.app.inject({ url: '/api/queues', headers: h.auth({ role: 'supervisor' }) })).json();
  t.same(api.items.find((q: { id: string }) => q.id === 'street').screeningToday, { offered: 5, accepted: 2, declined: 1, missed: 1 });
  t.same(api.items.find((q: { id: string }) => q.id === 'operator').screeningToday, { offered: 0, accepted: 0, declined: 0, missed: 0 });

  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const { page, errors } = await newPage(browser, { width: 1600, height: 1000 });
  await loginWallboard(page, base);
  const card = page.locator('.stats-screening[data-screening="street"]');
  await card.waitFor();
  const figures = await card.locator('.stat').evaluateAll((els) => els.map((e) => [e.querySelector('dt')?.textContent, e.querySelector('dd')?.textContent]));
  t.same(figures, [
    ['确认提示', '5'],
    ['按1接听', '2'],
    ['拒接', '1'],
    ['未确认', '1'],
  ]);
  t.equal(await page.locator('.stats-screening').count(), 1, 'only the queue with remote seats shows them');
  await screenshot(page, 'wallboard-street-screening');
  t.same(errors, []);
});
