// The recording player (#21) in real Chromium: in the desk's ticket, with the call's
// timeline beside it; a voice message from the 待回访 callback list; the supervisor's
// /quality page scoring a drawn call.
import t from 'tap';
import type { Browser } from 'playwright-core';
import { seedDemo } from '../../src/seed/demo.js';
import { runDailyJob } from '../../src/jobs/run-jobs.js';
import { makeApp } from '../helpers/app.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { answeredCall, memoryStore, wav } from '../recordings/_fixtures.js';
import { login, loginDesk, openTicket, takeAction } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

async function started(t: { teardown(fn: () => unknown): void }) {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  const store = memoryStore();
  s.recordingStore = store;
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const plays = () => s.db.$client.prepare(`select username, ticket_id as ticketId, detail from audit_log where action = 'recording_played' order by id`).all() as Array<{ username: string; ticketId: number; detail: string }>;
  return { h, s, store, plays, base: `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}` };
}

t.test('desk: the call recording plays in the ticket, the timeline beside it; a voice message from the callback list', async (t) => {
  const { h, s, store, plays, base } = await started(t);
  const c = answeredCall(h, { seatId: '1001', ticket: { assignedSeatId: '1001', title: '低保申请材料咨询' } });
  store.files.set(c.recordingName!, wav(6));
  const vm = answeredCall(h, { seatId: null, voicemail: true, ticket: { needsCallback: true, title: '夜间留言：养老补贴' } });
  store.files.set(vm.voicemailName!, wav(3));

  const { page, errors } = await newPage(browser, { width: 1600, height: 1100 });
  await loginDesk(page, base, 'op1');
  await openTicket(page, c.ticket.number);
  const panel = page.locator(`#detail .recordings[data-ticket-id="${c.ticket.id}"]`);
  await panel.locator('.call-timeline li').first().waitFor();
  const steps = await panel.locator('.call-timeline li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.step));
  t.same(steps, ['entered', 'ivr_choice', 'queued', 'offered', 'answered', 'ended'], 'the call timeline beside the player');
  t.match(await panel.locator('.call-timeline').textContent(), /呼入.*语音导航选择.*进入排队.*分配坐席振铃.*坐席接听.*通话结束/s);

  await panel.locator('.player[data-kind="call"] button').click();
  const audio = panel.locator('audio[data-kind="call"]');
  await audio.waitFor();
  const duration = await audio.evaluate((a: HTMLAudioElement) => new Promise<number>((resolve, reject) => {
    if (a.readyState >= 1) return resolve(a.duration);
    a.addEventListener('loadedmetadata', () => resolve(a.duration));
    a.addEventListener('error', () => reject(new Error(`media error ${a.error?.code}`)));
  }));
  t.ok(Math.abs(duration - 6) < 0.1, `Chromium reads the WAV: ${duration} s`);
  // the ▶ beside 通话结束 seeks the recording to that point of the call
  await panel.locator('.call-timeline li[data-step="ended"] button').click();
  const at = await audio.evaluate((a: HTMLAudioElement) => a.currentTime);
  t.ok(at > 5, `seeked to the end of the call: ${at} s`);
  const played = plays().filter((p) => p.ticketId === c.ticket.id);
  t.ok(played.length >= 1, `the browser's requests audited (${played.length})`);
  t.ok(played.every((p) => p.username === 'op1' && JSON.parse(p.detail).via === 'player'));
  t.ok(played.some((p) => /^bytes=/.test(JSON.parse(p.detail).range ?? '')), `the browser asks in byte ranges: ${played.map((p) => JSON.parse(p.detail).range).join(', ')}`);
  await panel.scrollIntoViewIfNeeded();
  t.comment(`screenshot: ${await screenshot(page, 'recording-player-desk')}`);

  // 待回访: the voice message waits for the operator who calls back
  await page.click('#inbox-tabs button[data-tab="callback"]');
  await page.locator(`#inbox tr[data-number="${vm.ticket.number}"]`).waitFor();
  t.equal(await page.locator(`#inbox tr[data-number="${c.ticket.number}"]`).count(), 0, 'only tickets waiting for a callback');
  await openTicket(page, vm.ticket.number);
  const vmPanel = page.locator(`#detail .recordings[data-ticket-id="${vm.ticket.id}"]`);
  await vmPanel.locator('.player[data-kind="voice_message"]').waitFor();
  t.match(await vmPanel.locator('.player').textContent(), /仅受理或办理该工单的人员/, 'not before taking the callback');
  t.equal(await takeAction(page, 'take'), null, 'op1 takes it to call back');
  const vmButton = page.locator(`#detail .recordings[data-ticket-id="${vm.ticket.id}"] .player[data-kind="voice_message"] button`);
  await vmButton.click();
  const vmAudio = page.locator('#detail audio[data-kind="voice_message"]');
  await vmAudio.waitFor();
  const vmDuration = await vmAudio.evaluate((a: HTMLAudioElement) => new Promise<number>((resolve) => (a.readyState >= 1 ? resolve(a.duration) : a.addEventListener('loadedmetadata', () => resolve(a.duration)))));
  t.ok(Math.abs(vmDuration - 3) < 0.1, `the voice message plays: ${vmDuration} s`);
  t.ok(plays().some((p) => p.ticketId === vm.ticket.id && JSON.parse(p.detail).kind === 'voice_message'), 'audited');
  t.comment(`screenshot: ${await screenshot(page, 'recording-player-voice-message')}`);
  t.same(errors, [], 'no page errors');
  void s;
});

t.test('/quality: a supervisor plays a drawn call with its timeline and scores it on the sheet', async (t) => {
  const { h, s, store, base } = await started(t);
  const yesterday = Date.now() - 86_400_000;
  const calls = [answeredCall(h, { seatId: '1001', startedAt: yesterday }), answeredCall(h, { seatId: '1001', startedAt: yesterday + 60_000 }), answeredCall(h, { seatId: '1002', startedAt: yesterday })];
  for (const c of calls) store.files.set(c.recordingName!, wav(4));
  const [draw] = runDailyJob({ ...s }, 'quality-draw');
  t.equal((draw.result as { drawn: number }).drawn, 3, 'the minimum of 2 per seat: all three');

  const { page, errors } = await newPage(browser, { width: 1500, height: 1200 });
  await page.goto(`${base}/quality?day=${draw.day}`);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.fill('#login-form input[name=username]', 'supervisor');
  await page.fill('#login-form input[name=password]', 'demo-password');
  await page.click('#login-form button[type=submit]');
  await page.locator('#samples tbody tr').nth(2).waitFor();
  t.same(await page.locator('#samples tbody tr td:nth-child(2)').allTextContents(), ['1001', '1001', '1002']);
  await page.locator('#samples tbody tr').first().click();
  const inspection = page.locator('#inspection');
  await inspection.locator('.call-timeline li').first().waitFor();
  await inspection.locator('.player[data-kind="call"] button').click();
  await inspection.locator('audio[data-kind="call"]').waitFor();
  await page.fill('.score-sheet input[name="points:answer_accuracy"]', '26');
  await page.fill('.score-sheet input[name="comment:answer_accuracy"]', '低保材料清单漏说户口簿');
  await page.fill('.score-sheet input[name="points:confidentiality"]', '20');
  await page.fill('.score-sheet textarea[name=comment]', '整体规范，答复需更完整');
  t.equal(await page.locator('.score-total').textContent(), '合计 96 / 100', 'the total as it is typed');
  await page.click('.score-sheet button[type=submit]');
  await page.locator('.score-result.ok').waitFor();
  t.equal(await page.locator('.score-result').textContent(), '已保存：96 / 100');
  await page.locator('#stats tbody tr[data-seat-id="1001"]').waitFor();
  t.match(await page.locator('#stats tbody tr[data-seat-id="1001"]').textContent(), /1001.*1 通.*96%/);
  const row = s.db.$client.prepare('select total, comment, scored_by as by from quality_scores').get();
  t.same(row, { total: 96, comment: '整体规范，答复需更完整', by: 'supervisor' });
  t.comment(`screenshot: ${await screenshot(page, 'quality-page')}`);
  t.same(errors, [], 'no page errors');

  // the seat reads its own score on the desk
  const desk = await newPage(browser, { width: 1500, height: 1000 });
  await loginDesk(desk.page, base, 'op1');
  await desk.page.fill('#quality-month', draw.day.slice(0, 7));
  await desk.page.click('#quality-show');
  await desk.page.locator('#quality-summary').waitFor();
  t.match(await desk.page.locator('#quality-summary').textContent(), /已评 1 通，平均得分率 96%/);
  t.match(await desk.page.locator('#quality-scores').textContent(), /96 \/ 100.*整体规范，答复需更完整.*答复准确 26 分：低保材料清单漏说户口簿/s);
  t.comment(`screenshot: ${await screenshot(desk.page, 'desk-my-quality')}`);
  t.same(desk.errors, [], 'no desk errors');
  void login;
});
