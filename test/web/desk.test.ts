import t from 'tap';
import type { Browser } from 'playwright-core';
import { systemActor } from '../../src/shared/actor.js';
import type { NewTicket } from '../../src/tickets/services.js';
import type { Services } from '../../src/services.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { fakeTelephony } from './fake-telephony.js';
import { inboxRows, loginDesk, openTicket, setNotReady, setReady, takeAction, waitForPop, waitForSeatState } from './pages.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const sys = systemActor('test');

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

const started = demoServer;

/** A ticket as it would be after some of its life: the later fields set straight in the DB. */
function ticket(s: Services, fields: NewTicket, later: Parameters<Services['tickets']['update']>[1] = {}) {
  const created = s.tickets.create(fields, sys);
  return Object.keys(later).length ? s.tickets.update(created.id, later, { actor: sys, action: 'test_setup' }) : created;
}

t.test('desk (operator): seat state, the call pop with earlier tickets, inbox by deadline, ticket actions', async (t) => {
  const { h, s, base } = await started(t);
  const tel = fakeTelephony(h.app);
  const now = Date.now();
  const caller = '13800138000';
  // the caller's earlier tickets
  const earlier1 = ticket(s, { source: 'phone', callerNumber: caller, category: 'community_life', subcategory: 'water_electric_repair', title: '厨房水管漏水', kind: 'routed', status: 'closed' });
  const earlier2 = ticket(s, { source: 'email', callerNumber: caller, category: 'consultation', subcategory: 'social_assistance', content: '低保申请需要哪些材料？', kind: 'immediate', status: 'closed' });
  ticket(s, { source: 'phone', callerNumber: '13911112222', content: '别人的工单' });
  // op1's inbox (seat 1001): due in 3 days, overdue, due in 5 hours, no deadline
  const due3 = ticket(s, { source: 'phone', callerNumber: '13700001111', kind: 'routed', category: 'complaint', subcategory: 'improper_enforcement', title: '占道经营执法投诉' }, { assignedSeatId: '1001', dueAt: now + 3 * DAY });
  const late = ticket(s, { source: '12345', callerNumber: '13700002222', kind: 'routed', category: 'community_life', subcategory: 'housekeeping', title: '家政服务纠纷' }, { assignedSeatId: '1001', dueAt: now - DAY, overdue: true });
  const soon = ticket(s, { source: 'phone', callerNumber: '13700003333', category: 'consultation', subcategory: 'marriage', title: '婚姻登记预约' }, { assignedSeatId: '1001', dueAt: now + 5 * HOUR });
  const none = ticket(s, { source: 'manual', content: '待分类的来信' }, { assignedSeatId: '1001', dueAt: null });
  ticket(s, { source: 'phone', content: '1002 的工单' }, { assignedSeatId: '1002', dueAt: now + DAY });

  const { page, errors } = await newPage(browser, { width: 1600, height: 1000 });
  await loginDesk(page, base, 'op1');
  await waitForSeatState(page, 'logged_out');

  // 就绪 / 示忙 (with a reason) / 就绪
  await setReady(page);
  t.equal(s.seats.get('1001')?.state, 'ready', 'the seat is ready on the server');
  await setNotReady(page, '培训');
  t.equal(s.seats.get('1001')?.state, 'not_ready');
  t.equal(s.seats.get('1001')?.stateReason, '培训', 'with the reason picked');
  t.match(await page.locator('#seat-reason').textContent(), /培训/);
  await setReady(page);

  // the inbox: op1's open tickets, nearest deadline first, the overdue one highlighted
  await page.locator('#inbox tr[data-ticket-id]').first().waitFor();
  const rows = await inboxRows(page);
  t.same(rows.map((r) => r.number), [late.number, soon.number, due3.number, none.number], 'sorted by deadline, none last; only this seat\'s tickets');
  t.same(rows.map((r) => r.overdue), [true, false, false, false], 'the overdue ticket is highlighted');
  t.match(await page.locator(`#inbox tr[data-number="${late.number}"]`).textContent(), /已超期/);
  t.match(await page.locator(`#inbox tr[data-number="${soon.number}"]`).textContent(), /剩 [45] 小时/);

  // the call is bridged to this seat: the ticket pops within a second, with the earlier tickets
  const emitted = Date.now();
  const call = tel.call({ callId: 'call-pop', callerNumber: caller, queue: 'consultation', category: 'consultation', subcategory: 'social_assistance', ivrPath: 'main:1>consultation:1', seatId: '1001' });
  const pop = await waitForPop(page, { ticketId: call.ticketId, timeout: 5000 });
  t.ok(pop.shownAt - emitted < 1000, `on screen ${pop.shownAt - emitted} ms after the bridge`);
  t.equal(pop.number, call.number);
  t.equal(pop.callerNumber, caller, 'the seat on the call reads the number in clear');
  t.same(pop.earlier.sort(), [earlier1.number, earlier2.number].sort(), "the caller's earlier tickets, not the call's own");
  t.equal(await page.locator('#pop-ivr').textContent(), '主菜单 1 → 政策咨询 1');
  t.equal(await page.locator('#pop-category').textContent(), '咨询 / 社会救助');
  await waitForSeatState(page, 'on_call');
  t.ok(await page.locator('#btn-ready').isDisabled(), 'no 就绪 while on a call');
  await screenshot(page, 'desk-operator-pop');

  // classify the popped ticket and write down what the caller says, in the pop's editor
  await page.selectOption('#pop .editor select[name=kind]', 'immediate');
  await page.fill('#pop .editor input[name=title]', '咨询低保申请材料');
  await page.fill('#pop .editor input[name=address]', '徐汇区田林路 100 弄');
  await page.fill('#pop .editor textarea[name=content]', '市民询问低保申请需要准备哪些材料。');
  await page.click('#pop .editor button[type=submit]');
  await page.locator('#pop .editor .editor-msg.ok').waitFor();
  await page.locator('#pop .actions button[data-action="answer"]').waitFor();
  const saved = s.tickets.get(call.ticketId)!;
  t.equal(saved.kind, 'immediate', 'classified as an immediate ticket');
  t.match(saved, { title: '咨询低保申请材料', address: '徐汇区田林路 100 弄', content: '市民询问低保申请需要准备哪些材料。' }, 'title, address and content saved (PATCH)');
  t.equal(s.tickets.events(call.ticketId).filter((e) => e.action === 'edit').length, 1, 'one edit event in the history');

  // the call ends: the pop stays for wrap-up; answer the ticket from it, then put it away
  tel.hangup('call-pop');
  await page.locator('#pop[data-call-phase="ended"]').waitFor();
  t.equal(await takeAction(page, 'answer', { reply: '已告知低保申请所需材料及办理地点。' }, '#pop'), null, 'answered on the call');
  t.equal(s.tickets.get(call.ticketId)?.status, 'closed');
  await page.click('#pop-close');
  t.notOk(await page.locator('#pop').isVisible(), 'the pop is put away');

  // a refused action: the message shows and the button is disabled
  await openTicket(page, due3.number);
  const refusal = await takeAction(page, 'route', { target: 'departmentId', to: 'no such dept!' });
  t.match(refusal, /派转失败/, `the refusal is shown: ${refusal}`);
  t.ok(await page.locator('#detail .actions button[data-action="route"]').isDisabled(), 'and the action is disabled');
  t.equal(s.tickets.get(due3.id)?.status, 'open', 'nothing changed');
  // an allowed one goes through: route it to a street
  await openTicket(page, due3.number);
  t.equal(await takeAction(page, 'route', { target: 'street', to: 'xuhui-tianlin' }), null);
  t.equal(s.tickets.get(due3.id)?.status, 'routed');
  t.equal(s.tickets.get(due3.id)?.assignedStreet, 'xuhui-tianlin');

  t.same(errors, [], 'no script errors on the page');
});

t.test('desk (street seat): its street\'s tickets only, by deadline, and the handler\'s actions', async (t) => {
  const { h, s, base } = await started(t);
  fakeTelephony(h.app);
  const now = Date.now();
  const routed = (title: string, street: string, dueAt: number, overdue = false) =>
    ticket(s, { source: 'phone', callerNumber: '13600001111', kind: 'routed', category: 'community_life', subcategory: 'appliance_repair', title, address: '田林路 100 弄', content: `${title}，请尽快上门。` }, { status: 'routed', assignedStreet: street, routedAt: now - 2 * DAY, dueAt, contactDueAt: dueAt, resolveDueAt: dueAt + 7 * DAY, overdue });
  const later = routed('空调不制冷', 'xuhui-tianlin', now + 2 * DAY);
  const overdue = routed('楼道灯不亮', 'xuhui-tianlin', now - 3 * HOUR, true);
  const other = routed('别的街道的工单', 'xuhui-hunanlu', now + DAY);
  const closed = ticket(s, { source: 'phone', kind: 'routed', title: '已结案的' }, { status: 'closed', assignedStreet: 'xuhui-tianlin' });

  const { page, errors } = await newPage(browser, { width: 1600, height: 1000 });
  await loginDesk(page, base, 'street-xuhui-tianlin');
  await waitForSeatState(page, 'logged_out');
  t.equal(await page.locator('#inbox-tabs .tab').textContent(), '本街镇工单');

  await page.locator('#inbox tr[data-ticket-id]').first().waitFor();
  const rows = await inboxRows(page);
  t.same(rows.map((r) => r.number), [overdue.number, later.number], "this street's open tickets, nearest deadline first");
  t.notOk(rows.some((r) => r.number === other.number || r.number === closed.number), 'not another street\'s, not closed ones');
  t.ok(rows[0].overdue, 'the overdue one is highlighted');

  // accept (签收) the overdue one, then record the contact
  await openTicket(page, overdue.number);
  const buttons = await page.locator('#detail .actions button[data-action]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.action));
  t.same(buttons.sort(), ['accept', 'bounce'], 'a routed ticket offers the handler 签收 and 退单 only');
  t.match(await page.locator('#detail').textContent(), /13600001111/, 'the street works the ticket: caller in clear');
  t.equal(await takeAction(page, 'accept'), null, '签收');
  t.equal(s.tickets.get(overdue.id)?.status, 'accepted');
  await page.locator('#detail .actions button[data-action="contact"]').waitFor();
  t.equal(await takeAction(page, 'contact', { note: '已电话联系，约定明早上门。' }), null, '已联系市民');
  t.equal(s.tickets.get(overdue.id)?.status, 'in_progress');
  await page.locator(`#inbox tr[data-number="${overdue.number}"][data-status="in_progress"]`).waitFor();
  await screenshot(page, 'desk-street-inbox');

  t.same(errors, [], 'no script errors on the page');
});

t.test('desk: only operators and street seats with a seat log in', async (t) => {
  const { base } = await started(t);
  const { page } = await newPage(browser, { width: 1200, height: 800 });
  await page.goto(`${base}/desk`);
  await page.fill('#login-form input[name=username]', 'supervisor');
  await page.fill('#login-form input[name=password]', 'demo-password');
  await page.click('#login-form button[type=submit]');
  await page.locator('.login-error', { hasText: '仅供话务员和街镇坐席' }).waitFor();
  t.notOk(await page.locator('#app').isVisible());
  await screenshot(page, 'desk-login');
});
