import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { eq } from 'drizzle-orm';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ticketAttachments } from '../../src/intake/schema.js';

const MAX_BYTES = 64 * 1024;

async function mailApp(): Promise<TestApp> {
  return makeApp({ config: { smtp: { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES, enabled: true } } });
}

function sender(h: TestApp) {
  const port = h.app.services.intake.smtp?.port;
  if (!port) throw new Error('smtp listener not running');
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
}

function ticketsBySource(h: TestApp, source: 'email') {
  return h.app.services.tickets.list({ source }).items;
}

t.test('a citizen mail becomes an e-mail ticket; a reply lands in the same ticket', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());

  const first = await smtp.sendMail({
    from: '张三 <zhangsan@example.org>',
    to: 'service@962200.example',
    subject: '小区路灯不亮',
    text: '我们小区3号楼前的路灯已经坏了一周。',
  });
  t.match(first.response, /^250/);

  const [ticket] = ticketsBySource(h, 'email');
  t.ok(ticket, 'ticket opened');
  t.equal(ticket.title, '小区路灯不亮');
  t.equal(ticket.content, '我们小区3号楼前的路灯已经坏了一周。');
  t.equal(ticket.callerEmail, 'zhangsan@example.org');
  t.equal(ticket.callerName, '张三');
  t.match(ticket.number, /^962200-\d{8}-\d{6}$/);
  t.equal(h.app.services.tickets.events(ticket.id)[0].actor, 'system:email');

  // the citizen answers their own thread
  await smtp.sendMail({
    from: 'zhangsan@example.org',
    to: 'service@962200.example',
    subject: 'Re: 小区路灯不亮',
    text: '补充：晚上七点以后完全不亮。',
    inReplyTo: first.messageId,
    references: [first.messageId],
  });
  t.equal(ticketsBySource(h, 'email').length, 1, 'no second ticket');
  const reply = h.app.services.tickets.events(ticket.id).find((e) => e.action === 'mail_received');
  t.ok(reply, 'reply recorded as an event');
  t.match(reply?.data, { from: 'zhangsan@example.org', fromCaller: true, text: '补充：晚上七点以后完全不亮。' });

  // the ticket number in the subject threads only the citizen's own mail (#15)
  await smtp.sendMail({ from: 'ZhangSan@Example.org', to: 'service@962200.example', subject: `关于 ${ticket.number}`, text: '再补充一句。' });
  t.equal(ticketsBySource(h, 'email').length, 1);
  const events = h.app.services.tickets.events(ticket.id).filter((e) => e.action === 'mail_received');
  t.equal(events.length, 2);
  t.match(events[1].data, { from: 'zhangsan@example.org', fromCaller: true, threadedBy: 'sender' });
  // anyone else naming it opens a ticket of their own that mentions it
  await smtp.sendMail({ from: 'lisi@example.org', to: 'service@962200.example', subject: `关于 ${ticket.number}`, text: '我是邻居，情况属实。' });
  const all = ticketsBySource(h, 'email');
  t.equal(all.length, 2, 'a new ticket, not an event on the first');
  const other = all.find((x) => x.id !== ticket.id)!;
  t.match(h.app.services.tickets.events(other.id)[0].data, { mentionsTicket: ticket.number, notThreaded: 'other_sender' });

  // the ticket is visible through the API
  const res = await h.app.inject({ url: `/api/tickets/${ticket.id}`, headers: h.auth({ role: 'supervisor' }) });
  t.equal(res.statusCode, 200);
  t.equal(res.json().source, 'email');
});

t.test('a mail sent twice (same Message-ID) is taken once', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());
  const mail = { from: 'a@example.org', to: 'service@962200.example', subject: '重复', text: 'x', messageId: '<resend-1@example.org>' };
  await smtp.sendMail(mail);
  await smtp.sendMail(mail);
  t.equal(ticketsBySource(h, 'email').length, 1);
});

t.test('attachments are stored under FILES_DIR with name, type, size and sha256', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());
  const photo = Buffer.from('not really a jpeg, but bytes all the same');
  await smtp.sendMail({
    from: 'wangwu@example.org',
    to: 'service@962200.example',
    subject: '楼道堆物',
    text: '见附件照片。',
    attachments: [{ filename: '../../楼道.jpg', content: photo, contentType: 'image/jpeg' }],
  });
  const [ticket] = ticketsBySource(h, 'email');
  const rows = h.app.services.db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, ticket.id)).all();
  t.equal(rows.length, 1);
  const sha256 = createHash('sha256').update(photo).digest('hex');
  t.match(rows[0], { name: '楼道.jpg', contentType: 'image/jpeg', size: photo.length, sha256 });
  t.same(readFileSync(join(h.dir, 'files', rows[0].storedPath)), photo, 'bytes kept as sent');
});

t.test('an oversized mail is refused with 552 and nothing is stored', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());
  const err = await smtp
    .sendMail({ from: 'big@example.org', to: 'service@962200.example', subject: '太大', text: 'x'.repeat(MAX_BYTES * 2) })
    .then(
      () => null,
      (e: Error & { responseCode?: number }) => e,
    );
  t.ok(err, 'sending failed');
  t.equal(err?.responseCode, 552);
  t.equal(ticketsBySource(h, 'email').length, 0);
  t.equal(h.app.services.db.select().from(ticketAttachments).all().length, 0);
});

t.test('too many recipients are refused', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());
  const to = Array.from({ length: 11 }, (_, i) => `r${i}@962200.example`);
  const info = await smtp.sendMail({ from: 'spam@example.org', to, subject: 'hi', text: 'x' }).catch((e: Error) => e);
  // the first ten are accepted and the mail is taken once; the rest get 452
  if (info instanceof Error) t.fail(info.message);
  else t.equal(info.rejected.length, 1);
  t.equal(ticketsBySource(h, 'email').length, 1);
});

t.test('an HTML-only mail still gets its text on the ticket', async (t) => {
  const h = await mailApp();
  t.teardown(h.close);
  const smtp = sender(h);
  t.teardown(() => smtp.close());
  await smtp.sendMail({ from: 'zhao@example.org', to: 'service@962200.example', subject: 'html', html: '<p>请问<b>低保</b>怎么申请？</p>' });
  const [ticket] = ticketsBySource(h, 'email');
  t.match(ticket.content, /请问\s*低保\s*怎么申请/);
});

t.test('outside production, a taken SMTP port leaves the app running without e-mail intake', async (t) => {
  const first = await mailApp();
  t.teardown(first.close);
  const port = first.app.services.intake.smtp!.port!;
  const second = await makeApp({ config: { smtp: { host: '127.0.0.1', port, maxBytes: MAX_BYTES, enabled: true } } });
  t.teardown(second.close);
  t.equal(second.app.services.intake.smtp, null);
  t.equal((await second.app.inject('/health')).statusCode, 200);
});
