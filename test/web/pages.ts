// Page helpers for the wallboard (/wallboard) and the seat desk (/desk), shared by
// the browser tests here and the end-to-end tests driven by real SIP calls.
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';

/** Fills the page's login form and waits for the app to show. */
export async function login(page: Page, baseUrl: string, path: '/wallboard' | '/desk' | '/desk/admin' | '/desk/admin/calendar', username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.fill('#login-form input[name=username]', username);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('#app').waitFor({ state: 'visible' });
}

// ------------------------------------------------------------------ wallboard

/** Logs in to the wallboard and waits for the first snapshot (live indicator on). */
export async function loginWallboard(page: Page, baseUrl: string, username = 'supervisor', password = DEMO_PASSWORD): Promise<void> {
  await login(page, baseUrl, '/wallboard', username, password);
  await waitForLive(page);
}

/** The wallboard's or desk's websocket is connected and no 'reconnecting' banner shows. */
export async function waitForLive(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('#conn.conn-up').waitFor({ timeout });
  await page.locator('#reconnecting').waitFor({ state: 'hidden', timeout });
}

export async function waitForReconnecting(page: Page, timeout = 5_000): Promise<void> {
  await page.locator('#reconnecting').waitFor({ state: 'visible', timeout });
}

/** Waits until the queue's card shows exactly `n` callers waiting. */
export async function waitForWaiting(page: Page, queue: string, n: number, timeout = 5_000): Promise<void> {
  await page.waitForFunction(
    ([q, want]) => document.querySelector(`.queue[data-queue="${q}"] .q-waiting`)?.textContent === String(want),
    [queue, n] as const,
    { timeout },
  );
}

/** A seat row's state on the wallboard (seat.state, e.g. 'ready'). */
export async function waitForSeatRow(page: Page, seatId: string, state: string, timeout = 5_000): Promise<void> {
  await page.locator(`#seats tr[data-seat="${seatId}"][data-state="${state}"]`).waitFor({ timeout });
}

/** The flashing emergency banner is up; returns its text. */
export async function waitForAlert(page: Page, timeout = 5_000): Promise<string> {
  const banner = page.locator('#alert.flashing');
  await banner.waitFor({ state: 'visible', timeout });
  return (await banner.locator('#alert-text').textContent()) ?? '';
}

/** The live call row (listen-in list) of a call id. */
export function callRow(page: Page, callId: string) {
  return page.locator(`#calls tr[data-call="${callId}"]`);
}

/** Clicks 监听 on a call and returns the result line the page shows. */
export async function listenIn(page: Page, callId: string, timeout = 5_000): Promise<string> {
  await callRow(page, callId).locator('button.btn-listen').click();
  const result = callRow(page, callId).locator('.listen-result');
  await result.waitFor({ timeout });
  return (await result.textContent()) ?? '';
}

// ------------------------------------------------------------------ desk

/** Logs in to the seat desk and waits for its push channel. */
export async function loginDesk(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await login(page, baseUrl, '/desk', username, password);
  await waitForLive(page);
}

/** The desk shows the seat in `state` (seat.state, e.g. 'ready', 'not_ready'). */
export async function waitForSeatState(page: Page, state: string, timeout = 5_000): Promise<void> {
  await page.locator(`#seat-badge[data-state="${state}"]`).waitFor({ timeout });
}

export async function setReady(page: Page): Promise<void> {
  await page.click('#btn-ready');
  await waitForSeatState(page, 'ready');
}

/** 示忙 with one of the reasons: 小休, 培训, 会议, 其他. */
export async function setNotReady(page: Page, reason: '小休' | '培训' | '会议' | '其他'): Promise<void> {
  await page.selectOption('#busy-reason', reason);
  await page.click('#btn-busy');
  await waitForSeatState(page, 'not_ready');
}

export interface Pop {
  ticketId: number;
  number: string;
  callerNumber: string;
  /** ticket numbers of the caller's earlier tickets listed in the pop */
  earlier: string[];
  /** when the page had it all on screen (epoch ms, this machine's clock) */
  shownAt: number;
}

/**
 * Waits for the call pop (its ticket and the caller's earlier tickets on screen) and
 * reads it. Checked every frame, so `shownAt` is when the page had it.
 */
export async function waitForPop(page: Page, opts: { ticketId?: number; timeout?: number } = {}): Promise<Pop> {
  const sel = opts.ticketId ? `#pop[data-ticket-id="${opts.ticketId}"]` : '#pop[data-ticket-id]';
  const shown = await page.waitForFunction(
    (s) => {
      const pop = document.querySelector(s) as HTMLElement | null;
      const ready = !!pop && !pop.hidden && !!pop.querySelector('#pop-number[data-loaded]') && !!pop.querySelector('.pop-history[data-loaded]');
      return ready ? Date.now() : false;
    },
    sel,
    { timeout: opts.timeout ?? 1_000, polling: 'raf' },
  );
  const shownAt = (await shown.jsonValue()) as number;
  const pop = page.locator(sel);
  return {
    ticketId: Number(await pop.getAttribute('data-ticket-id')),
    number: ((await pop.locator('#pop-number').textContent()) ?? '').trim(),
    callerNumber: ((await pop.locator('#pop-caller').textContent()) ?? '').trim(),
    earlier: await pop.locator('#pop-history tr[data-number]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.number ?? '')),
    shownAt,
  };
}

/** The inbox rows in the order shown: ticket number and whether it is highlighted as overdue. */
export async function inboxRows(page: Page): Promise<Array<{ number: string; overdue: boolean; status: string }>> {
  return page.locator('#inbox tr[data-ticket-id]').evaluateAll((rows) =>
    rows.map((r) => ({ number: (r as HTMLElement).dataset.number ?? '', overdue: r.classList.contains('overdue'), status: (r as HTMLElement).dataset.status ?? '' })),
  );
}

/** Opens a ticket of the inbox in the detail panel. */
export async function openTicket(page: Page, number: string): Promise<void> {
  await page.click(`#inbox tr[data-number="${number}"]`);
  await page.locator(`#detail[data-number="${number}"] .actions[data-loaded]`).waitFor();
}

/**
 * Takes a lifecycle action on the ticket open in `root` ('#detail' or '#pop'): clicks its
 * button, fills the form's fields by name, submits. Resolves with the error shown, or null.
 */
export async function takeAction(page: Page, action: string, fields: Record<string, string> = {}, root = '#detail'): Promise<string | null> {
  const scope = page.locator(root);
  await scope.locator(`.actions button[data-action="${action}"]`).click();
  const form = scope.locator(`form.action-form[data-action="${action}"]`);
  if (await form.count()) {
    for (const [name, value] of Object.entries(fields)) {
      const field = form.locator(`[name="${name}"]`);
      if ((await field.evaluate((n) => n.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await form.locator('button[type=submit]').click();
  }
  // either the ticket moved on (a success note) or an error is shown
  const done = scope.locator(`.action-result[data-action="${action}"]`);
  await done.waitFor();
  return (await done.getAttribute('data-ok')) === 'true' ? null : ((await done.textContent()) ?? '');
}
