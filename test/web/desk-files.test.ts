// #14 point 3 on the desk, in Chromium: an e-mail ticket's attachments are listed and
// download with their own name; the reply by e-mail shows that it failed and will be retried.
import t from 'tap';
import type { Browser } from 'playwright-core';
import MailComposer from 'nodemailer/lib/mail-composer';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';
import { demoServer } from './demo-server.js';
import { launchBrowser, newPage, screenshot } from '../helpers/browser.js';
import { loginDesk, openTicket } from './pages.js';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

t.test('desk: attachments of an e-mail ticket, and its reply mail waiting for a relay that is down', async (t) => {
  // a relay nobody listens on
  const { h, s, base } = await demoServer(t, { config: { mailOut: { url: 'smtp://127.0.0.1:9', from: '962200 <reply@hotline.example>', pollMs: 0, retryBaseMs: 60_000, retryMaxMs: 600_000, maxAttempts: 5 } } });

  const raw = await new MailComposer({
    from: '陈先生 <chen@example.org>',
    to: 'service@962200.example',
    subject: '社区养老服务',
    text: '附件是我母亲的情况。',
    attachments: [{ filename: '母亲情况.txt', content: '八十五岁，独居。', contentType: 'text/plain' }],
  })
    .compile()
    .build();
  const { ticketId } = await s.intake.mail.receive(raw);
  // the demo's op1 as it is (its seat included): a token by logging in
  const { token } = (await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'op1', password: DEMO_PASSWORD } })).json();
  const op1 = { authorization: `Bearer ${token}` };
  t.equal((await h.app.inject({ method: 'POST', url: `/api/tickets/${ticketId}/actions/classify`, headers: op1, payload: { kind: 'routed' } })).statusCode, 200);
  s.db.transaction(() => s.mailOut.queueReply(s.tickets.get(ticketId)!, '已收到，正在转街道办理。'));
  t.same(await s.mailOut.deliverDue(), { sent: 0, failed: 1 });

  const { page, errors, context } = await newPage(browser);
  t.teardown(() => context.close());
  await loginDesk(page, base, 'op1');
  const number = s.tickets.get(ticketId)!.number;
  await page.locator(`#inbox tr[data-number="${number}"]`).waitFor();
  await openTicket(page, number);
  const files = page.locator('#detail .ticket-files');
  await files.waitFor({ state: 'visible' });
  t.match(await files.textContent(), /母亲情况\.txt/);
  t.match(await page.locator('#detail .mail[data-status="retrying"]').textContent(), /发送失败，等待重试 · chen@example\.org/);
  await screenshot(page, 'desk-ticket-files');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#detail a.attachment')]);
  t.equal(download.suggestedFilename(), '母亲情况.txt', 'downloaded under its own name');
  t.same(errors, [], 'no script errors');
});
