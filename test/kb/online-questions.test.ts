// #14 point 4 (第十二条): every online question is recorded for the statistics (text,
// when, answered or not, which entries were offered, the ticket if one was opened); a
// ticket opened online needs a phone number or an e-mail address, validated, and the
// citizen is told its number.
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { publish } from './kb-helpers.js';

t.test('online questions: recorded in full; leaving one as a ticket needs a valid contact', async (t) => {
  const clock = { now: Date.parse('2026-03-02T02:00:00Z') };
  const h = await makeApp({ now: () => clock.now });
  t.teardown(h.close);
  const staff = h.auth({ role: 'supervisor' });
  const dibao = await publish(h, { title: '最低生活保障（低保）申请指南', body: '可以向户籍所在地街镇社区事务受理服务中心申请低保，需要身份证、户口簿和收入证明。', keywords: ['低保', '申请'] });
  const ask = async (question: string) => (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question } })).json();
  // 5 tickets a minute per address (the route's limit): each try from an address of its own
  let n = 0;
  const leave = (payload: object) => h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload, remoteAddress: `10.0.0.${++n}` });

  const answered = await ask('低保怎么申请？');
  t.equal(answered.outcome, 'answered');
  const unanswered = await ask('社区食堂的老年助餐点几点开门？');
  t.not(unanswered.outcome, 'answered');

  const list = (await h.app.inject({ url: '/api/kb/online-questions', headers: staff })).json().items as Array<Record<string, unknown>>;
  const a = list.find((q) => q.id === answered.questionId)!;
  t.match(a, { question: '低保怎么申请？', askedAt: new Date(clock.now).toISOString(), outcome: 'answered', answered: true, entryId: dibao, ticketId: null });
  t.same(a.entryIds, answered.entries.map((e: { id: number }) => e.id), 'every entry offered, best first');
  const u = list.find((q) => q.id === unanswered.questionId)!;
  t.match(u, { answered: false, ticketId: null });

  // a contact is required, and must be one
  const refusals: Array<[object, RegExp]> = [
    [{}, /^phone \/ email: 请留下电话号码或电子邮箱/],
    [{ phone: '' }, /^phone \/ email: /],
    [{ phone: '12345' }, /^phone: 电话号码格式不正确/],
    [{ phone: '23800138000' }, /^phone: /],
    [{ phone: '1380013800a' }, /^phone: /],
    [{ email: 'not-an-address' }, /^email: 电子邮箱格式不正确/],
    [{ email: 'a@b' }, /^email: /],
    [{ phone: '13800138000', email: 'bad@' }, /^email: /],
  ];
  for (const [contact, message] of refusals) {
    const r = await leave({ questionId: unanswered.questionId, ...contact });
    t.equal(r.statusCode, 400, JSON.stringify(contact));
    t.match(r.json().message, message);
  }
  t.equal((await leave({ questionId: unanswered.questionId, phone: 13800138000 })).statusCode, 400, 'a number, not text');
  t.equal((await leave({ questionId: unanswered.questionId, phone: '13800138000', extra: 1 })).statusCode, 400);
  t.equal((await h.app.inject({ url: '/api/tickets?source=online', headers: staff })).json().total, 0, 'bad input opened nothing');

  const ok = await leave({ questionId: unanswered.questionId, name: '周女士', phone: '138 0013 8000' });
  t.equal(ok.statusCode, 201, ok.body);
  const { ticket, message } = ok.json();
  t.match(ticket.number, /^962200-\d{8}-\d{6}$/);
  t.ok(message.includes(ticket.number), 'the citizen is told the ticket number');
  t.match(message, /^已为您登记工单 /);
  const row = h.app.services.tickets.get(ticket.id)!;
  t.match(row, { source: 'online', callerNumber: '13800138000', callerName: '周女士', needsCallback: true });
  const after = (await h.app.inject({ url: '/api/kb/online-questions', headers: staff })).json().items.find((q: { id: number }) => q.id === unanswered.questionId);
  t.equal(after.ticketId, ticket.id, 'the question knows its ticket');

  // a landline with its area code, and an e-mail alone, are good contacts too
  const q2 = await ask('养老服务补贴怎么申请？');
  t.equal((await leave({ questionId: q2.questionId, phone: '021-64381234' })).statusCode, 201);
  const q3 = await ask('居家养老上门服务怎么预约？');
  const byMail = await leave({ questionId: q3.questionId, email: 'Zhou@Example.ORG' });
  t.equal(byMail.statusCode, 201);
  t.equal(h.app.services.tickets.get(byMail.json().ticket.id)!.callerEmail, 'zhou@example.org');

  // the statistics read the same records
  const stats = (await h.app.inject({ url: '/api/stats/online?from=2026-03-02&to=2026-03-02', headers: staff })).json();
  t.match(stats, { asked: 4, answered: 1, ticketsOpened: 3 });
});
