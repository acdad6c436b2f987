import t from 'tap';
import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { citizen, fastQueues } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, seatPhone, startHotline, waitFor, type Hotline } from '../helpers/telephony.js';
import { loginDesk, loginWallboard, setReady, waitForPop, waitForSeatRow, waitForSeatState } from '../web/pages.js';

// The wallboard and the seat desk in a real browser while a real SIP call runs through
// Asterisk: the supervisor sees the caller waiting, the seat agent gets the call's ticket
// on screen when the phone is answered.

ensureAsterisk();

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

/** When the page shows `n` waiting on the queue's card (epoch ms, checked every frame). */
async function waitingShownAt(page: import('playwright-core').Page, queue: string, n: number, timeout: number): Promise<number> {
  const shown = await page.waitForFunction(
    ([q, want]) => (document.querySelector(`.queue[data-queue="${q}"] .q-waiting`)?.textContent === String(want) ? Date.now() : false),
    [queue, n] as const,
    { timeout, polling: 'raf' },
  );
  return (await shown.jsonValue()) as number;
}

/** The call's ticket: the caller's ticket other than `earlierId`, once `done` holds for it. */
function callTicket(h: Hotline, caller: string, earlierId: number, done: (tk: any) => boolean): Promise<any> {
  return waitFor(`the call ticket of ${caller}`, async () => {
    const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}`, headers: h.supervisor })).json();
    const own = list.items.find((tk: { id: number }) => tk.id !== earlierId);
    if (!own) return null;
    const ticket = (await h.app.inject({ url: `/api/tickets/${own.id}`, headers: h.supervisor })).json();
    return done(ticket) ? ticket : null;
  });
}

t.test('a sipp call: the wallboard shows it waiting within a second, the desk pops its ticket when the seat answers', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const s = h.app.services;
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const caller = citizen();
  // an earlier ticket of the same caller, which the pop lists
  const earlier = s.tickets.create({ source: 'phone', callerNumber: caller, category: 'community_life', subcategory: 'water_electric_repair', title: '楼道水管漏水', kind: 'routed' }, systemActor('test'));

  const wall = await newPage(browser, { width: 1600, height: 1000 });
  await loginWallboard(wall.page, base);
  const desk = await newPage(browser, { width: 1600, height: 1000 });
  await loginDesk(desk.page, base, 'op1');
  await waitForSeatState(desk.page, 'logged_out');

  // nobody is ready: the caller presses 0 and waits
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 15_000 }] });
  const shownAt = await waitingShownAt(wall.page, 'operator', 1, 20_000);
  // the moment the server put the caller in the queue, as the call record has it
  const queued = await callTicket(h, caller, earlier.id, (tk) => !!tk.call?.enqueuedAt);
  const enqueuedAt = Date.parse(queued.call.enqueuedAt);
  t.equal(queued.call.queue, 'operator');
  t.ok(shownAt - enqueuedAt < 1000, `the wallboard shows the caller waiting ${shownAt - enqueuedAt} ms after the call entered the queue`);
  await screenshot(wall.page, 'live-wallboard-waiting');

  // op1 (seat 1001) clicks 就绪: the seat's phone rings, answers, and the desk pops the ticket
  const phone = seatPhone({ port: 6001, ringMs: 300, talkMs: 4000 });
  await setReady(desk.page);
  const connected = await callTicket(h, caller, earlier.id, (tk) => !!tk.call?.seatAnsweredAt);
  const pop = await waitForPop(desk.page, { ticketId: connected.id, timeout: 5_000 });
  const answeredAt = Date.parse(connected.call.seatAnsweredAt);
  t.equal(pop.number, connected.number, "the popped ticket is the call's own");
  t.equal(pop.callerNumber, caller, 'with the caller number in clear for the seat on the call');
  t.same(pop.earlier, [earlier.number], "and the caller's earlier ticket");
  t.ok(pop.shownAt - answeredAt < 1000, `on screen ${pop.shownAt - answeredAt} ms after the seat answered`);
  await waitForSeatState(desk.page, 'on_call');
  await screenshot(desk.page, 'live-desk-pop');

  // the wallboard follows: nobody waiting, 1001 on the call
  await waitingShownAt(wall.page, 'operator', 0, 5_000);
  await waitForSeatRow(wall.page, '1001', 'on_call');
  await screenshot(wall.page, 'live-wallboard-on-call');

  // the call ends: the desk shows it ended, the ticket records who answered
  t.equal((await phone.done).code, 0, 'the seat phone answered and hung up cleanly');
  await call;
  await desk.page.locator('#pop[data-call-phase="ended"]').waitFor({ timeout: 10_000 });
  const ended = await callTicket(h, caller, earlier.id, (tk) => !!tk.call?.endedAt);
  t.equal(ended.call.seatId, '1001');
  t.equal(ended.call.outcome, 'answered');
  await waitFor('seat 1001 back from the call', () => s.seats.get('1001')?.state !== 'on_call');

  t.same(wall.errors, [], 'no script errors on the wallboard');
  t.same(desk.errors, [], 'no script errors on the desk');
});
