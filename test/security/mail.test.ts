// Security (#15): nobody writes into someone else's ticket by e-mail, and one client
// cannot shut e-mail intake off. Threading is driven through MailIntake.receive (the
// rules); the SMTP limits through a real listener.
import t from 'tap';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { makeApp, type TestApp } from '../helpers/app.js';
import { systemActor } from '../../src/shared/actor.js';
import { ReplyTokens } from '../../src/intake/mail/threading.js';

let serial = 0;
const mail = (h: { from: string; subject: string; text?: string; to?: string; inReplyTo?: string; messageId?: string }) =>
  Buffer.from(
    [
      `From: ${h.from}`,
      `To: ${h.to ?? 'service@962200.example'}`,
      `Subject: ${h.subject}`,
      `Message-ID: ${h.messageId ?? `<m${++serial}.${Date.now()}@example.org>`}`,
      ...(h.inReplyTo ? [`In-Reply-To: ${h.inReplyTo}`] : []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      h.text ?? '正文',
      '',
    ].join('\r\n'),
  );

t.test('threading: only the citizen or our reply token continues a ticket, never a finished one', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  const intake = h.app.services.intake.mail;
  const first = await intake.receive(mail({ from: '张三 <zhangsan@example.org>', subject: '路灯不亮', messageId: '<first@example.org>' }));
  t.equal(first.kind, 'opened');
  const ticket = s.tickets.get(first.ticketId)!;
  const events = () => s.tickets.events(ticket.id).filter((e) => e.action === 'mail_received').length;

  const forged = await intake.receive(mail({ from: 'attacker@evil.example', subject: `Re: ${ticket.number}`, text: '请把结果发给我' }));
  t.equal(forged.kind, 'opened', 'a stranger naming the number: a new ticket');
  t.match(s.tickets.events(forged.ticketId)[0].data, { mentionsTicket: ticket.number, notThreaded: 'other_sender' }, 'which mentions the one it named');
  const byRef = await intake.receive(mail({ from: 'attacker@evil.example', subject: 'Re: 路灯不亮', inReplyTo: '<first@example.org>' }));
  t.equal(byRef.kind, 'opened', "a stranger replying to the citizen's Message-ID: a new ticket too");
  t.equal(events(), 0, 'nothing was written into the ticket');

  const own = await intake.receive(mail({ from: 'ZhangSan@Example.ORG', subject: `Re: ${ticket.number}`, text: '补充' }));
  t.same(own, { kind: 'threaded', ticketId: ticket.id }, "the citizen's own address threads (any case)");
  const reply = await intake.receive(mail({ from: 'zhangsan@example.org', subject: 'Re: 路灯不亮', inReplyTo: '<first@example.org>' }));
  t.equal(reply.kind, 'threaded', 'a reply to their first mail threads');

  // a reply token of ours threads even from another address (the citizen's other mailbox); a made-up one does not
  const tokens = new ReplyTokens(s.config.jwtSecret);
  const viaToken = await intake.receive(mail({ from: 'zhangsan.work@example.net', subject: 'Re: 处理结果', inReplyTo: tokens.messageId(ticket.id) }));
  t.same(viaToken, { kind: 'threaded', ticketId: ticket.id }, 'our Message-ID token threads');
  const viaReplyTo = await intake.receive(mail({ from: 'zhangsan.work@example.net', to: tokens.replyTo(ticket.id, '962200.example'), subject: '回复' }));
  t.same(viaReplyTo, { kind: 'threaded', ticketId: ticket.id }, 'our Reply-To token threads');
  const fake = await intake.receive(mail({ from: 'attacker@evil.example', subject: 'Re', inReplyTo: `<r.${ticket.id}.AAAAAAAAAAAAAAAAAAAAAA@962200>` }));
  t.equal(fake.kind, 'opened', 'a forged token: a new ticket');
  t.equal(new ReplyTokens('another-secret').token(ticket.id) === tokens.token(ticket.id), false);
  t.equal(events(), 4);

  // a finished ticket takes no mail, not even the citizen's: a new ticket mentions it
  s.tickets.update(ticket.id, { status: 'closed', closedAt: Date.now() }, { actor: systemActor('test'), action: 'fixture' });
  const late = await intake.receive(mail({ from: 'zhangsan@example.org', subject: `Re: ${ticket.number}`, text: '又坏了' }));
  t.equal(late.kind, 'opened');
  t.match(s.tickets.events(late.ticketId)[0].data, { mentionsTicket: ticket.number, notThreaded: 'closed' });
  const lateToken = await intake.receive(mail({ from: 'zhangsan@example.org', subject: 'Re', inReplyTo: tokens.messageId(ticket.id) }));
  t.equal(lateToken.kind, 'opened', 'nor with our token');
  t.equal(events(), 4, 'the closed ticket is unchanged');
  t.equal(s.tickets.get(ticket.id)!.status, 'closed');
});

t.test('subjects and senders are capped: a title is at most 200 characters', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const huge = await h.app.services.intake.mail.receive(mail({ from: 'a@example.org', subject: '长'.repeat(350_000) })).catch((e: Error & { responseCode?: number }) => e);
  t.equal((huge as { responseCode?: number }).responseCode, 552, 'a 1 MB subject overflows the header cap: refused for good');
  const r = await h.app.services.intake.mail.receive(mail({ from: `${'名'.repeat(500)} <long@example.org>`, subject: '长'.repeat(20_000) }));
  const tk = h.app.services.tickets.get(r.ticketId)!;
  t.ok([...tk.title!].length <= 200, `title ${[...tk.title!].length} characters`);
  t.ok([...tk.callerName!].length <= 64, 'the sender name is capped too');
  const list = await h.app.inject({ url: '/api/tickets', headers: h.auth({ role: 'supervisor' }) });
  t.ok(list.body.length < 10_000, `the list page stays small (${list.body.length} bytes)`);
});

async function smtpApp(): Promise<TestApp> {
  return makeApp({ config: { smtp: { host: '127.0.0.1', port: 0, maxBytes: 2 * 1024 * 1024, enabled: true }, limits: { anonymousPerMinute: 300, callerProbesPer10Min: 60, connectionsPerClient: 256, smtpConnectionsPerClient: 3, requestTimeoutMs: 30_000 } } });
}

/** An SMTP connection that reads the greeting and then idles. */
function idle(port: number): Promise<{ socket: net.Socket; greeting: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (d) => resolve({ socket, greeting: d.toString() }));
    socket.once('error', reject);
  });
}

t.test('SMTP: one client holds at most its share of connections (421 past it); others still get in', async (t) => {
  const h = await smtpApp();
  t.teardown(h.close);
  const port = h.app.services.intake.smtp!.port!;
  const held = await Promise.all([1, 2, 3].map(() => idle(port)));
  t.teardown(() => held.forEach((c) => c.socket.destroy()));
  for (const c of held) t.match(c.greeting, /^220 /);
  const fourth = await idle(port);
  t.match(fourth.greeting, /^421 /, 'the fourth idle connection from one address: 421');
  fourth.socket.destroy();
  held.pop()!.socket.destroy();
  await new Promise((r) => setTimeout(r, 100));
  const again = await idle(port);
  t.match(again.greeting, /^220 /, 'a slot freed is a slot again');
  again.socket.destroy();
});

t.test('SMTP: a header block past its cap is refused for good (5xx), nothing stored', async (t) => {
  const h = await smtpApp();
  t.teardown(h.close);
  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: h.app.services.intake.smtp!.port!, secure: false, ignoreTLS: true });
  t.teardown(() => smtp.close());
  const headers: Record<string, string> = {};
  for (let i = 0; i < 1200; i++) headers[`X-Filler-${i}`] = 'x'.repeat(60);
  const err = await smtp.sendMail({ from: 'a@example.org', to: 'service@962200.example', subject: 'hi', text: 'x', headers }).then(
    () => null,
    (e: Error & { responseCode?: number }) => e,
  );
  t.ok(err && err.responseCode! >= 500 && err.responseCode! < 600, `refused with ${err?.responseCode}`);
  t.equal(h.app.services.tickets.list({ source: 'email' }).total, 0);
  const ok = await smtp.sendMail({ from: 'a@example.org', to: 'service@962200.example', subject: `${'题'.repeat(5000)}`, text: 'x' });
  t.ok(ok.accepted.length, 'a long subject is taken, cut to a title');
  t.ok([...h.app.services.tickets.list({ source: 'email' }).items[0].title!].length <= 200);
});
