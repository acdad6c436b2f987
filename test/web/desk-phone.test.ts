import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { fakeTelephony } from './fake-telephony.js';
import { inboxRows, loginDesk, openTicket, setReady, waitForPop, waitForSeatState } from './pages.js';

// The desk of a street seat on a phone (390×844) and on a desktop: the same page, laid
// out by web/css/desk-phone.css at narrow widths. Screenshots in test/artifacts/screenshots/.

const DAY = 86_400_000;
const sys = systemActor('test');
const STREET = 'xuhui-tianlin';
const SEAT = `street-${STREET}`;

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

/** Nothing on the page is wider than the screen (no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const [name, width, height] of [
  ['phone', 390, 844],
  ['desktop', 1440, 900],
] as const) {
  t.test(`street seat desk at ${width}×${height}: header, state buttons, call pop and inbox`, async (t) => {
    const { h, s, base } = await demoServer(t);
    const tel = fakeTelephony(h.app);
    const now = Date.now();
    const routed = (title: string, dueAt: number, overdue = false) =>
      s.tickets.update(
        s.tickets.create({ source: 'phone', callerNumber: '13600001111', kind: 'routed', category: 'community_life', subcategory: 'appliance_repair', title, address: '田林路 100 弄', content: `${title}，请尽快上门。` }, sys).id,
        { status: 'routed', assignedStreet: STREET, routedAt: now - 2 * DAY, dueAt, contactDueAt: dueAt, resolveDueAt: dueAt + 7 * DAY, overdue },
        { actor: sys, action: 'test_setup' },
      );
    const late = routed('楼道灯长期不亮，居民夜间出行不便', now - DAY, true);
    routed('空调外机噪音扰民', now + 4 * DAY);
    routed('独居老人家中水管漏水需要上门维修', now + 6 * DAY);

    const { page, errors } = await newPage(browser, { width, height });
    await loginDesk(page, base, SEAT);
    await waitForSeatState(page, 'logged_out');
    await setReady(page);

    // the header wraps by whole items: the title is one line, wider than tall
    const title = await page.locator('.topbar .title').boundingBox();
    t.ok(title && title.width > title.height, `the title reads across (${Math.round(title?.width ?? 0)}×${Math.round(title?.height ?? 0)})`);
    const who = await page.locator('#who').boundingBox();
    t.ok(who && who.height < 30, 'the user name stays on one line');
    // the three state buttons: all on screen, big enough to press
    const buttons = await Promise.all(['#btn-ready', '#btn-busy', '#btn-signout'].map((b) => page.locator(b).boundingBox()));
    for (const b of buttons) t.ok(b && b.x >= 0 && b.x + b.width <= width && b.height >= 36, 'a state button fits the screen and is big enough to press');
    if (name === 'phone') t.equal(new Set(buttons.map((b) => Math.round(b!.y))).size, 1, '就绪 示忙 签出 in one row');

    // the inbox: on a phone one card per ticket, nearest deadline first
    const rows = await inboxRows(page);
    t.equal(rows[0]?.number, late.number, 'the overdue ticket first');
    const display = await page.locator('#inbox tr').first().evaluate((tr) => getComputedStyle(tr).display);
    t.equal(display, name === 'phone' ? 'flex' : 'table-row', name === 'phone' ? 'tickets as cards' : 'tickets as a table');
    t.ok((await overflow(page)) <= 0, 'no sideways scrolling with the inbox');
    await screenshot(page, `desk-${name}-inbox`);

    // a call pops: the ticket with the caller's earlier tickets
    const callerNumber = '13600001111';
    const { ticketId } = tel.call({ callId: 'c-phone-1', callerNumber, queue: 'street', category: 'community_life', subcategory: 'housekeeping', seatId: SEAT, ticket: { title: '家政服务预约' } });
    const pop = await waitForPop(page, { ticketId, timeout: 5_000 });
    t.ok(pop.earlier.length >= 3, "the caller's earlier tickets in the pop");
    const popBox = await page.locator('#pop').boundingBox();
    t.ok(popBox && popBox.x >= 0 && popBox.x + popBox.width <= width, 'the call pop fits the screen');
    if (name === 'phone') t.ok(popBox!.y < height, 'on a phone the pop comes first, on the first screen');
    t.ok((await overflow(page)) <= 0, 'no sideways scrolling with the pop');
    await screenshot(page, `desk-${name}-call-pop`);

    // after the call: the ticket stays for the after-call work
    tel.hangup('c-phone-1');
    await page.locator('#pop[data-call-phase="ended"]').waitFor({ timeout: 5_000 });
    await page.click('#inbox-refresh');
    await page.locator(`#inbox tr[data-ticket-id="${ticketId}"]`).waitFor({ timeout: 5_000 });
    t.pass("the call's ticket is in the agent's inbox for the after-call work");
    await openTicket(page, late.number);
    t.ok((await overflow(page)) <= 0, 'no sideways scrolling with a ticket open');
    await screenshot(page, `desk-${name}-ticket`);
    t.same(errors, [], 'no errors on the page');
  });
}
