// #14 point 3: e-mail both ways against a real local SMTP sink (smtp-server): a citizen's
// mail with an attachment becomes a ticket; its attachments are listed and served with
// safe download headers to whoever sees the ticket; the answer goes back by e-mail,
// threaded (In-Reply-To / References / our reply token), recorded on the ticket; while
// the relay is down it waits in the outbox and is retried with backoff, visibly.
import t, { type Test } from 'tap';
import nodemailer from 'nodemailer';
import { makeApp, type TestApp } from '../helpers/app.js';
import { SmtpSink as Sink } from '../helpers/smtp-sink.js';

const OP = { role: 'operator', name: 'op-mail', userId: 31 } as const;
const SUP = { role: 'supervisor', name: 'sup-mail', userId: 32 } as const;

async function setup(t: Test, sinkPort: number) {
  const clock = { now: Date.parse('2026-03-02T01:00:00Z') };
  const h = await makeApp({
    now: () => clock.now,
    config: {
      smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, enabled: true },
      mailOut: { url: `smtp://127.0.0.1:${sinkPort}`, from: '962200 社区服务热线 <reply@hotline.example>', pollMs: 0, retryBaseMs: 60_000, retryMaxMs: 600_000, maxAttempts: 3 },
    },
  });
  t.teardown(h.close);
  const citizen = nodemailer.createTransport({ host: '127.0.0.1', port: h.app.services.intake.smtp!.port!, secure: false, ignoreTLS: true });
  t.teardown(() => citizen.close());
  return { h, clock, citizen, s: h.app.services };
}

const act = (h: TestApp, id: number, action: string, who: Parameters<TestApp['auth']>[0], body: object) =>
  h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/${action}`, headers: h.auth(who), payload: body });

t.test('a mail with an attachment → ticket → attachments served safely → answer by e-mail, threaded → the citizen replies into the same ticket', async (t) => {
  const sink = new Sink();
  const port = await sink.start();
  t.teardown(() => sink.stop());
  const { h, citizen, s } = await setup(t, port);

  const first = await citizen.sendMail({
    from: '李四 <lisi@example.org>',
    to: 'service@962200.example',
    subject: '低保申请材料',
    text: '请问低保申请需要哪些材料？附件是我的情况说明。',
    attachments: [
      { filename: '情况说明 2026.txt', content: '家庭人口三人，月收入……', contentType: 'text/plain' },
      { filename: 'evil.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
    ],
  });
  const [ticket] = s.tickets.list({ source: 'email' }).items;
  t.ok(ticket, 'the mail opened a ticket');

  // attachments: listed for whoever sees the ticket
  const list = await h.app.inject({ url: `/api/tickets/${ticket.id}/attachments`, headers: h.auth(OP) });
  t.equal(list.statusCode, 200);
  const items = list.json().items as Array<{ id: number; name: string; contentType: string; size: number; url: string }>;
  t.same(items.map((a) => [a.name, a.contentType]), [['情况说明 2026.txt', 'text/plain'], ['evil.html', 'text/html']]);
  t.equal(items[0].size, Buffer.byteLength('家庭人口三人，月收入……'));

  const file = await h.app.inject({ url: items[0].url, headers: h.auth(OP) });
  t.equal(file.statusCode, 200);
  t.equal(file.body, '家庭人口三人，月收入……');
  t.match(file.headers['content-type'], /^text\/plain/);
  t.equal(file.headers['content-disposition'], `attachment; filename="???? 2026.txt"; filename*=UTF-8''%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E%202026.txt`);
  t.equal(file.headers['x-content-type-options'], 'nosniff');
  t.match(file.headers['content-security-policy'], /sandbox/);
  t.equal(file.headers['cache-control'], 'private, no-store');
  const html = await h.app.inject({ url: items[1].url, headers: h.auth(OP) });
  t.equal(html.headers['content-disposition'], 'attachment; filename=evil.html', 'HTML is a download, never shown in our origin');

  // a department that does not work the ticket does not see it, nor its files
  const dept = { role: 'department', name: 'd-other', userId: 33, departmentId: 'other' } as const;
  t.equal((await h.app.inject({ url: `/api/tickets/${ticket.id}/attachments`, headers: h.auth(dept) })).statusCode, 404);
  t.equal((await h.app.inject({ url: items[0].url, headers: h.auth(dept) })).statusCode, 404);
  // bad input: a clear 400; another ticket's attachment id: 404
  const bad = await h.app.inject({ url: `/api/tickets/${ticket.id}/attachments/abc`, headers: h.auth(OP) });
  t.equal(bad.statusCode, 400);
  for (const url of ['/api/tickets/abc/attachments', '/api/tickets/0/attachments', '/api/tickets/abc/mails', `/api/tickets/${ticket.id}/attachments/-1`]) {
    t.equal((await h.app.inject({ url, headers: h.auth(OP) })).statusCode, 400, url);
  }
  const other = s.tickets.create({ source: 'phone', content: '另一张' }, { name: 'test', role: 'system' });
  t.equal((await h.app.inject({ url: `/api/tickets/${other.id}/attachments/${items[0].id}`, headers: h.auth(OP) })).statusCode, 404);
  t.equal((await h.app.inject({ url: `/api/tickets/${ticket.id}/attachments`, headers: {} })).statusCode, 401);

  // the answer goes back by e-mail
  t.equal((await act(h, ticket.id, 'classify', OP, { kind: 'immediate' })).statusCode, 200);
  const answered = await act(h, ticket.id, 'answer', OP, { reply: '您好，低保申请需要身份证、户口簿和收入证明。' });
  t.equal(answered.statusCode, 200);
  const queued = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(queued.length, 1);
  t.equal(queued[0].status, 'queued');
  t.same(await s.mailOut.deliverDue(), { sent: 1, failed: 0 });
  t.equal(sink.mails.length, 1);
  const out = sink.mails[0];
  t.equal(out.to && !Array.isArray(out.to) ? out.to.value[0].address : null, 'lisi@example.org');
  t.match(out.subject, /^回复：低保申请材料（工单 962200-\d{8}-\d{6}）$/);
  t.match(out.text, /低保申请需要身份证、户口簿和收入证明/);
  t.equal(out.inReplyTo, first.messageId, 'In-Reply-To: the citizen’s mail');
  t.same([out.references].flat(), [first.messageId], 'References: the thread');
  t.match(out.replyTo?.value[0].address, /^reply\+\d+\.[\w-]{22}@hotline\.example$/);
  t.match(out.messageId, /^<r\.\d+\.[\w-]{22}\.[0-9a-f]{12}@962200>$/);
  const sent = s.tickets.events(ticket.id).find((e) => e.action === 'mail_sent');
  t.ok(sent, 'recorded on the ticket');
  t.equal(sent!.reason, '答复邮件已发送');
  t.match(sent!.data, { to: 'lisi@example.org' });
  const after = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(after[0].status, 'sent');
  t.equal(after[0].to, 'lisi@example.org', 'whoever works the ticket sees the address');
  const masked = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth({ role: 'operator', name: 'op-other', userId: 34 }) })).json().items;
  t.not(masked[0].to, 'lisi@example.org', 'another operator sees it masked');
  t.match(masked[0].to, /\*/);

  // the ticket is closed, so the citizen's answer to our mail opens a new ticket that mentions it;
  // an open ticket continues: shown on a second ticket answered through a draft and review
  await citizen.sendMail({ from: 'wangwu@example.org', to: 'service@962200.example', subject: '养老补贴', text: '请问高龄补贴怎么申请？' });
  const second = s.tickets.list({ source: 'email' }).items.find((x) => x.callerEmail === 'wangwu@example.org')!;
  await act(h, second.id, 'classify', OP, { kind: 'immediate' });
  await act(h, second.id, 'draft_reply', OP, { draft: '高龄补贴请到街道社区事务受理服务中心申请。' });
  await act(h, second.id, 'approve', SUP, {});
  t.equal((await act(h, second.id, 'give_reply', OP, {})).statusCode, 200);
  await s.mailOut.deliverDue();
  const ours = sink.mails.at(-1)!;
  t.match(ours.text, /高龄补贴请到街道/);
  // the citizen answers from another address: our reply token threads it (ticket reopened? no: closed → new, mentions)
  await citizen.sendMail({ from: 'wangwu-work@example.org', to: ours.replyTo!.value[0].address!, subject: `Re: ${ours.subject}`, text: '谢谢，已收到。', inReplyTo: ours.messageId, references: [ours.messageId!] });
  const mentions = s.tickets.list({ source: 'email' }).items.find((x) => x.callerEmail === 'wangwu-work@example.org')!;
  t.match(s.tickets.events(mentions.id)[0].data, { mentionsTicket: second.number, notThreaded: 'closed' }, 'a reply to a finished ticket opens a new one that names it');
});

t.test('an open ticket: the citizen’s reply to our mail threads into it by the reply token', async (t) => {
  const sink = new Sink();
  const port = await sink.start();
  t.teardown(() => sink.stop());
  const { citizen, s } = await setup(t, port);
  await citizen.sendMail({ from: 'zhao@example.org', to: 'service@962200.example', subject: '路灯', text: '路灯坏了' });
  const [ticket] = s.tickets.list({ source: 'email' }).items;
  // a reply by mail without closing: queue it the way an answer does, on a ticket still open
  s.db.transaction(() => s.mailOut.queueReply(s.tickets.get(ticket.id)!, '已转街道处理，请耐心等待。'));
  await s.mailOut.deliverDue();
  const ours = sink.mails[0];
  await citizen.sendMail({ from: 'other@example.org', to: 'service@962200.example', subject: `Re: ${ours.subject}`, text: '好的', inReplyTo: ours.messageId, references: [ours.messageId!] });
  t.equal(s.tickets.list({ source: 'email' }).items.length, 1, 'no second ticket');
  const got = s.tickets.events(ticket.id).find((e) => e.action === 'mail_received');
  t.match(got?.data, { threadedBy: 'reply_token', text: '好的' });
});

t.test('relay down: the reply waits in the outbox, is retried with backoff, the failure is on the ticket; delivered when the relay is back', async (t) => {
  const sink = new Sink();
  const port = await sink.start();
  await sink.stop(); // the relay is down, at a known port
  t.teardown(() => sink.stop());
  const { h, clock, citizen, s } = await setup(t, port);
  await citizen.sendMail({ from: 'qian@example.org', to: 'service@962200.example', subject: '婚姻登记', text: '周六可以办理婚姻登记吗？' });
  const [ticket] = s.tickets.list({ source: 'email' }).items;
  await act(h, ticket.id, 'classify', OP, { kind: 'immediate' });
  await act(h, ticket.id, 'answer', OP, { reply: '婚姻登记处周六上午可以办理。' });

  t.same(await s.mailOut.deliverDue(), { sent: 0, failed: 1 });
  let mails = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(mails[0].status, 'retrying');
  t.equal(mails[0].attempts, 1);
  t.match(mails[0].lastError, /ECONNREFUSED|connect/i);
  t.equal(Date.parse(mails[0].nextAttemptAt), clock.now + 60_000, 'first retry after retryBaseMs');
  const delayed = s.tickets.events(ticket.id).find((e) => e.action === 'mail_delayed');
  t.match(delayed?.reason, /答复邮件暂未发出，将自动重试/);
  // not due yet: nothing is tried
  t.same(await s.mailOut.deliverDue(), { sent: 0, failed: 0 });
  clock.now += 60_000;
  t.same(await s.mailOut.deliverDue(), { sent: 0, failed: 1 });
  mails = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(Date.parse(mails[0].nextAttemptAt), clock.now + 120_000, 'the delay doubles');
  t.equal(s.tickets.events(ticket.id).filter((e) => e.action === 'mail_delayed').length, 1, 'one delay event, not one per retry');

  await sink.start(port); // the relay is back
  clock.now += 120_000;
  t.same(await s.mailOut.deliverDue(), { sent: 1, failed: 0 });
  t.equal(sink.mails.length, 1);
  t.match(sink.mails[0].text, /婚姻登记处周六上午可以办理/);
  mails = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(mails[0].status, 'sent');
});

t.test('a relay that stays down: given up after the last attempt, failed on the ticket and flagged to the supervisor', async (t) => {
  const sink = new Sink();
  const port = await sink.start();
  await sink.stop();
  const { h, clock, citizen, s } = await setup(t, port);
  await citizen.sendMail({ from: 'sun@example.org', to: 'service@962200.example', subject: '收养', text: '收养登记在哪里办？' });
  const [ticket] = s.tickets.list({ source: 'email' }).items;
  await act(h, ticket.id, 'classify', OP, { kind: 'immediate' });
  await act(h, ticket.id, 'answer', OP, { reply: '请到市民政局婚姻收养登记中心。' });
  for (let i = 0; i < 3; i++) {
    await s.mailOut.deliverDue();
    clock.now += 10 * 60_000;
  }
  const mails = (await h.app.inject({ url: `/api/tickets/${ticket.id}/mails`, headers: h.auth(OP) })).json().items;
  t.equal(mails[0].status, 'failed');
  t.equal(mails[0].attempts, 3);
  const failed = s.tickets.events(ticket.id).find((e) => e.action === 'mail_failed');
  t.match(failed?.reason, /答复邮件发送失败，已停止重试（共 3 次）/);
  t.equal(s.tickets.get(ticket.id)!.flaggedForSupervisor, true);
  t.same(await s.mailOut.deliverDue(), { sent: 0, failed: 0 }, 'not tried again');
});

t.test('no relay configured (dev default): the reply is logged, not sent, and the ticket says so', async (t) => {
  const h = await makeApp({ config: { smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, enabled: true }, mailOut: { url: null, from: '962200 <reply@962200.invalid>', pollMs: 0, retryBaseMs: 1000, retryMaxMs: 1000, maxAttempts: 3 } } });
  t.teardown(h.close);
  const s = h.app.services;
  t.equal(s.mailOut.transportKind, 'log');
  const citizen = nodemailer.createTransport({ host: '127.0.0.1', port: s.intake.smtp!.port!, secure: false, ignoreTLS: true });
  t.teardown(() => citizen.close());
  await citizen.sendMail({ from: 'zhou@example.org', to: 'x@962200.example', subject: '咨询', text: '咨询社区养老' });
  const [ticket] = s.tickets.list({ source: 'email' }).items;
  await act(h, ticket.id, 'classify', OP, { kind: 'immediate' });
  await act(h, ticket.id, 'answer', OP, { reply: '请咨询所在街道。' });
  t.same(await s.mailOut.deliverDue(), { sent: 1, failed: 0 });
  t.match(s.tickets.events(ticket.id).find((e) => e.action === 'mail_sent')?.reason, /未配置发信服务器（SMTP_OUT_URL）/);
});
