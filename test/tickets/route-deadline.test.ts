// 第十五条's 2 working days from receipt until the desk classifies a ticket (and, if it is
// routed, routes it): set at intake on every channel, kept with its basis so a holiday
// notice counts it again, and swept.
import t from 'tap';
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { runDeadlineSweep } from '../../src/jobs/run-jobs.js';
import { systemActor } from '../../src/shared/actor.js';
import { ticketDeadlines } from '../../src/tickets/schema.js';
import { makeApp } from '../helpers/app.js';
import { MONDAY_9AM, PEOPLE } from './_fixtures.js';

const SECRET = 'route-deadline-secret';

t.test('every channel: routeDueAt at intake, recountable, swept and flagged', async (t) => {
  const clock = { now: MONDAY_9AM };
  const h = await makeApp({ now: () => clock.now, config: { integration12345: { secret: SECRET, url: null } } });
  t.teardown(h.close);
  const s = h.app.services;
  const ids: Record<string, number> = {};

  // phone: what the call path writes on StasisStart
  ids.phone = s.tickets.create({ source: 'phone', callerNumber: '13800138000' }, systemActor('calls')).id;
  // e-mail
  const mail = await s.intake.mail.receive(Buffer.from('From: 张三 <zhangsan@example.org>\r\nTo: service@962200.example\r\nSubject: 路灯不亮\r\nMessage-ID: <rd-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n小区路灯坏了一周。\r\n'));
  t.equal(mail.kind, 'opened');
  ids.email = (mail as { ticketId: number }).ticketId;
  // online answering: the citizen leaves the question
  const asked = await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '小区里的流浪猫太多了怎么办' } });
  const left = await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: asked.json().questionId, phone: '13900139000' } });
  t.equal(left.statusCode, 201, left.body);
  ids.online = left.json().ticket.id;
  // 12345
  const body = JSON.stringify({ orderId: 'RD-1', callerNumber: '13700137000', content: '咨询高龄津贴' });
  const order = await h.app.inject({ method: 'POST', url: '/api/integrations/12345/orders', payload: body, headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', SECRET).update(body).digest('hex') } });
  t.equal(order.statusCode, 201, order.body);
  ids['12345'] = order.json().id;
  // manual, not yet classified
  const manual = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: h.auth(PEOPLE.operator), payload: { title: '来电咨询', content: '咨询婚姻登记' } });
  t.equal(manual.statusCode, 201, manual.body);
  ids.manual = manual.json().id;

  const due = deadlineAfter(MONDAY_9AM, 2);
  for (const [channel, id] of Object.entries(ids)) {
    const tk = s.tickets.get(id)!;
    t.equal(tk.routeDueAt, due, `${channel}: 2 working days from receipt`);
    t.equal(tk.dueAt, due, `${channel}: the current step's deadline`);
    const basis = s.db.select().from(ticketDeadlines).where(eq(ticketDeadlines.ticketId, id)).all().find((r) => r.field === 'routeDueAt');
    t.match(basis, { startAt: MONDAY_9AM, days: 2, unit: 'working' }, `${channel}: kept with its basis, so a notice recounts it`);
  }
  const view = (await h.app.inject({ url: `/api/tickets/${ids.email}`, headers: h.auth(PEOPLE.supervisor) })).json();
  t.equal(view.routeDueAt, new Date(due).toISOString());

  // classified in time as an immediate ticket: no routing step any more
  const classified = await h.app.inject({ method: 'POST', url: `/api/tickets/${ids.manual}/actions/classify`, headers: h.auth(PEOPLE.operator), payload: { kind: 'immediate' } });
  t.equal(classified.statusCode, 200, classified.body);
  t.equal(s.tickets.get(ids.manual)!.routeDueAt, null);

  clock.now = due;
  t.match(runDeadlineSweep(s, clock.now), { overdue: 0 }, 'the last moment of the second working day is in time');
  clock.now = due + 1;
  const swept = runDeadlineSweep(s, clock.now);
  t.match(swept, { overdue: 4, supervisionsOpened: 0, skipped: 0 }, 'every unclassified ticket is late; none gets a 督办 (no department to supervise)');
  for (const channel of ['phone', 'email', 'online', '12345']) {
    const tk = s.tickets.get(ids[channel])!;
    t.equal(tk.overdue, true, `${channel}: overdue`);
    t.equal(tk.flaggedForSupervisor, true, `${channel}: flagged to the supervisor`);
    t.equal(s.tickets.events(tk.id).filter((e) => e.action === 'overdue').length, 1);
  }
  t.equal(s.tickets.get(ids.manual)!.overdue, false, 'the classified one is not');
  t.match(runDeadlineSweep(s, clock.now), { overdue: 0 }, 'marked once');
});

t.test('a ticket opened as a 督办 or given its own routeDueAt keeps that', async (t) => {
  const h = await makeApp({ now: () => MONDAY_9AM });
  t.teardown(h.close);
  const s = h.app.services;
  const sup = s.tickets.create({ source: 'manual', kind: 'supervised' }, systemActor('test'));
  t.equal(sup.routeDueAt, null, 'a supervision has no routing step');
  const own = s.tickets.create({ source: 'phone', routeDueAt: null }, systemActor('test'));
  t.equal(own.routeDueAt, null);
});
