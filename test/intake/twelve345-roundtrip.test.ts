// 12345 sandbox (第三、十八条, #13): one order followed through route → bounce → reclassify →
// return → re-dispatch → reopen → route with a lead and a co-handler → extension → resolve →
// callback → close, every outbox message checked against a local stand-in for 12345 that
// verifies the signature. Then the other ways back: coordinate-then-return, a supervisor's
// return, 督办 outcomes on the parent, updates and repeats, dueAt, and 催办.
import t, { type Test } from 'tap';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deadlineAfter } from '../../src/calendar/working-days.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweep.js';
import { makeApp } from '../helpers/app.js';
import { fingerprinter } from '../faults/_db.js';
import { MONDAY_9AM, DAY, PEOPLE, type Person } from '../tickets/_fixtures.js';

const SECRET = 'sandbox-12345-secret';
const PATH = '/api/962200/order-updates';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

interface Message {
  messageId: string;
  type: string;
  orderId: string;
  action: string;
  status: string | null;
  reason: string | null;
  kind: string | null;
  result: string | null;
  unit: { kind: string; id: string; name: string } | null;
  coHandlers: Array<{ id: string; name: string }>;
  contactDueAt: string | null;
  resolveDueAt: string | null;
  orderDueAt: string | null;
  limit: { days: number; unit: string; basis: string } | null;
  supervision: { ticketNumber: string; result: string } | null;
}

/** 12345 on loopback: refuses (401) anything not signed with the shared secret; keeps what it accepted. */
async function sandbox12345() {
  const state = { accepted: [] as Message[], badSignatures: 0, keys: [] as string[] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''), 'hex');
      const expected = createHmac('sha256', SECRET).update(raw).digest();
      if (req.url !== PATH || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      state.keys.push(String(req.headers['idempotency-key']));
      state.accepted.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function sandbox(t: Test) {
  const remote = await sandbox12345();
  t.teardown(remote.close);
  const clock = { now: MONDAY_9AM };
  const h = await makeApp({
    now: () => clock.now,
    config: {
      integration12345: { secret: SECRET, url: `http://127.0.0.1:${remote.port}` },
      outbox12345: { path: PATH, pollMs: 3_600_000, retryBaseMs: 10, retryMaxMs: 40, timeoutMs: 2000 },
    },
  });
  t.teardown(h.close);
  const s = h.app.services;
  s.registry.upsertDepartment({ id: 'social-assistance', name: '社会救助处', kind: 'bureau_division' });
  s.registry.upsertDepartment({ id: 'elderly-services', name: '养老服务处', kind: 'bureau_division' });
  s.registry.upsertDepartment({ id: 'xuhui-civil-affairs', name: '徐汇区民政局', kind: 'district_bureau', district: '徐汇区' });
  s.registry.upsertDepartment({ id: 'bureau-office', name: '市民政局办公室', kind: 'bureau_office' });
  const people = {
    ...PEOPLE,
    lead: { role: 'department', name: 'dept-elderly', userId: 31, departmentId: 'elderly-services' },
    co: { role: 'department', name: 'dept-xuhui', userId: 32, departmentId: 'xuhui-civil-affairs' },
    first: { role: 'department', name: 'dept-assistance', userId: 33, departmentId: 'social-assistance' },
    office: { role: 'department', name: 'bureau-office', userId: 34, departmentId: 'bureau-office' },
  } as const;
  type Who = Person | 'lead' | 'co' | 'first' | 'office';
  const act = async (id: number, action: string, who: Who, body: object = {}) => {
    const r = await h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/${action}`, headers: h.auth(people[who]), payload: body });
    return r;
  };
  let ip = 0;
  const push = (path: string, payload: object) => {
    const body = JSON.stringify(payload);
    return h.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) }, remoteAddress: `10.9.0.${ip++ % 250}` });
  };
  const order = (o: object) => push('/api/integrations/12345/orders', o);
  /** flushes the outbox to the sandbox and returns what arrived since the last call */
  let seen = 0;
  const delivered = async () => {
    for (let i = 0; i < 20; i++) {
      const r = await h.app.services.intake.delivery.deliverDue(clock.now + 1);
      if (r.delivered === 0 && r.failed === 0) break;
    }
    const fresh = remote.state.accepted.slice(seen);
    seen = remote.state.accepted.length;
    return fresh;
  };
  return { h, s, clock, act, order, push, delivered, remote };
}

t.test('one order through route → bounce → reclassify → return → re-dispatch → reopen → lead + co-handler → extension → resolve → callback → close', async (t) => {
  const { h, s, clock, act, order, delivered, remote } = await sandbox(t);
  const dueAt = '2026-03-20T18:00:00+08:00';
  const created = await order({ orderId: 'SB-1', callerNumber: '13800138000', content: '老人申请居家养老上门服务，无人受理', dueAt });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  t.equal(created.json().orderDueAt, new Date(dueAt).toISOString(), "12345's dueAt is the ticket's orderDueAt");

  t.equal((await act(id, 'take', 'operator')).statusCode, 200);
  t.equal((await act(id, 'classify', 'operator', { kind: 'routed', category: 'consultation' })).statusCode, 200);
  const routed = await act(id, 'route', 'operator', { departmentId: 'social-assistance' });
  t.equal(routed.statusCode, 200, routed.body);
  let got = await delivered();
  t.same(got.map((m) => m.action), ['classify', 'route'], 'take is internal: not sent');
  const route = got[1];
  t.match(route, { type: 'status', orderId: 'SB-1', status: 'routed', unit: { kind: 'department', id: 'social-assistance', name: '社会救助处' } });
  t.equal(route.contactDueAt, new Date(deadlineAfter(MONDAY_9AM, 3)).toISOString(), 'the route message carries the contact due date');
  t.equal(route.resolveDueAt, new Date(deadlineAfter(MONDAY_9AM, 10)).toISOString(), 'and the answer due date');
  t.equal(route.orderDueAt, new Date(dueAt).toISOString(), "and 12345's own");

  // the department: not civil affairs of ours
  clock.now += 3600_000;
  t.equal((await act(id, 'bounce', 'first', { reason: '非本处职能' })).statusCode, 200);
  // the desk sees it is not civil affairs at all: reclassify, then return
  const re = await act(id, 'classify', 'operator', { kind: 'collaborative' });
  t.equal(re.statusCode, 200, re.body);
  t.match(re.json(), { kind: 'collaborative', status: 'open', departmentId: null });
  const back = await act(id, 'return_to_12345', 'operator', { reason: '属于市场监管职能，请12345转办' });
  t.equal(back.statusCode, 200, back.body);
  t.equal(back.json().status, 'returned');
  got = await delivered();
  t.same(got.map((m) => [m.action, m.status]), [['bounce', 'bounced'], ['classify', 'open'], ['return_to_12345', 'returned']]);
  t.match(got[2], { type: 'return', reason: '属于市场监管职能，请12345转办', unit: null });

  // 12345 dispatches the same order again with new text: the ticket reopens
  clock.now += DAY;
  const again = await order({ orderId: 'SB-1', callerNumber: '13800138000', content: '经核实属民政养老服务，请再次受理：老人申请居家养老上门服务', dueAt });
  t.equal(again.statusCode, 200, again.body);
  t.match(again.json(), { id, status: 'open', kind: null, content: '经核实属民政养老服务，请再次受理：老人申请居家养老上门服务' });
  const redispatched = s.tickets.events(id).at(-1)!;
  t.equal(redispatched.action, 'redispatched');
  t.match(redispatched.data, { after: { content: '经核实属民政养老服务，请再次受理：老人申请居家养老上门服务' }, before: { content: '老人申请居家养老上门服务，无人受理' } }, "the event keeps 12345's new text and the old");
  t.ok(s.tickets.get(id)!.routeDueAt, 'the desk has 2 working days to route it again');

  // routed to a lead department with a co-handler, under a longer statutory limit
  t.equal((await act(id, 'classify', 'operator', { kind: 'routed' })).statusCode, 200);
  const receivedAt = clock.now;
  const lead = await act(id, 'route', 'operator', {
    departmentId: 'elderly-services',
    coHandlers: ['xuhui-civil-affairs'],
    limit: { days: 15, unit: 'working', basis: '《上海市养老服务条例》评估时限' },
  });
  t.equal(lead.statusCode, 200, lead.body);
  t.equal(lead.json().resolveDueAt, new Date(deadlineAfter(receivedAt, 15)).toISOString(), 'the statutory 15 working days replace the 10');
  got = await delivered();
  t.same(got.map((m) => m.action), ['classify', 'route'], 'the re-dispatch itself is 12345’s own input: not echoed');
  t.match(got[1], {
    unit: { id: 'elderly-services', name: '养老服务处' },
    coHandlers: [{ id: 'xuhui-civil-affairs', name: '徐汇区民政局' }],
    limit: { days: 15, unit: 'working', basis: '《上海市养老服务条例》评估时限' },
    resolveDueAt: new Date(deadlineAfter(receivedAt, 15)).toISOString(),
  });

  t.equal((await act(id, 'accept', 'co')).statusCode, 403, 'a co-handler does not accept for the lead');
  t.equal((await act(id, 'accept', 'lead')).statusCode, 200);
  const part = await act(id, 'record_part', 'co', { part: '徐汇区民政局已完成上门评估' });
  t.equal(part.statusCode, 200, part.body);
  t.match(part.json().coHandlers, [{ departmentId: 'xuhui-civil-affairs', part: '徐汇区民政局已完成上门评估' }]);
  t.equal((await act(id, 'contact', 'lead', { note: '已电话联系老人家属' })).statusCode, 200);
  t.equal((await act(id, 'resolve', 'co', { result: 'x' })).statusCode, 403, 'a co-handler does not answer the citizen: the lead does');
  const ask = await act(id, 'request_extension', 'lead', { days: 5, reason: '需等待区里评估结论' });
  t.equal(ask.statusCode, 200, ask.body);
  const granted = await act(id, 'grant_extension', 'supervisor', { note: '同意延期5个工作日' });
  t.equal(granted.statusCode, 200, granted.body);
  const extended = deadlineAfter(deadlineAfter(receivedAt, 15), 5);
  t.equal(granted.json().resolveDueAt, new Date(extended).toISOString(), 'granted: the new due date runs on from the old');
  t.equal(granted.json().extensionCount, 1);
  t.equal((await act(id, 'resolve', 'lead', { result: '已安排居家养老上门服务，每周三次' })).statusCode, 200);
  t.equal((await act(id, 'callback', 'operator', { satisfaction: 'satisfied' })).statusCode, 200);
  t.equal((await act(id, 'close', 'operator')).statusCode, 200);
  got = await delivered();
  t.same(got.map((m) => m.action), ['accept', 'contact', 'grant_extension', 'resolve', 'callback', 'close'], "the co-handler's part and the request are internal; the grant tells 12345 the new date");
  t.equal(got[2].resolveDueAt, new Date(extended).toISOString());
  t.match(got[3], { status: 'resolved', result: '已安排居家养老上门服务，每周三次' });
  t.equal(got[5].status, 'closed');

  t.equal(remote.state.badSignatures, 0, 'every message was signed right');
  t.equal(new Set(remote.state.keys).size, remote.state.keys.length, 'one idempotency key per message');
  t.ok(h.app.services.intake.outbox.byTicket(id).every((r) => r.deliveredAt !== null), 'nothing left in the outbox');
});

t.test('the other ways back: return after a failed coordinate, a supervisor returns, a routed order returned at the desk', async (t) => {
  const { act, order, delivered } = await sandbox(t);
  const a = (await order({ orderId: 'SB-2', callerNumber: '13800138001', content: '小区道路破损' })).json().id;
  await act(a, 'classify', 'operator', { kind: 'collaborative' });
  t.equal((await act(a, 'coordinate', 'operator', { organisation: '田林街道', note: '街道称不属其职责' })).statusCode, 200);
  const r = await act(a, 'return_to_12345', 'operator', { reason: '协同未果，请12345转市政部门' });
  t.equal(r.statusCode, 200, r.body);

  const b = (await order({ orderId: 'SB-3', callerNumber: '13800138002', content: '噪音扰民' })).json().id;
  const bySupervisor = await act(b, 'return_to_12345', 'supervisor', { reason: '属于环保部门' });
  t.equal(bySupervisor.statusCode, 200, bySupervisor.body);

  const c = (await order({ orderId: 'SB-4', callerNumber: '13800138003', content: '违章搭建' })).json().id;
  await act(c, 'classify', 'operator', { kind: 'routed' });
  t.equal((await act(c, 'return_to_12345', 'operator', { reason: '属于城管执法' })).statusCode, 200, 'a routed order still at the desk');

  const got = await delivered();
  t.same(got.filter((m) => m.type === 'return').map((m) => m.orderId), ['SB-2', 'SB-3', 'SB-4']);
});

t.test("a 督办's outcome is sent on the parent order; the inspector's own steps are not", async (t) => {
  const { s, act, order, delivered } = await sandbox(t);
  const id = (await order({ orderId: 'SB-5', callerNumber: '13800138004', content: '低保审批拖延' })).json().id;
  await act(id, 'classify', 'operator', { kind: 'routed' });
  await act(id, 'route', 'operator', { departmentId: 'social-assistance' });
  const sup = await act(id, 'supervise', 'operator', { reason: '领导批示：限期办结' });
  t.equal(sup.statusCode, 200);
  const supervision = s.tickets.list({ parentTicketId: id }).items[0];
  await act(supervision.id, 'start_supervision', 'inspector', { note: '请社会救助处说明' });
  const responded = await act(supervision.id, 'respond', 'first', { result: '已于12月3日审批通过' });
  t.equal(responded.statusCode, 200, responded.body);
  const parentEvent = s.tickets.events(id).at(-1)!;
  t.match(parentEvent, { action: 'supervision_result', reason: '已于12月3日审批通过', data: { supervisionTicketId: supervision.id } });
  const got = await delivered();
  t.same(got.map((m) => m.action), ['classify', 'route', 'supervision_result'], 'opening the 督办 is internal, its outcome is sent');
  t.match(got[2], { orderId: 'SB-5', supervision: { ticketNumber: supervision.number, result: '已于12月3日审批通过' } });
});

t.test('same orderId: changed content is an update event; identical is a no-op; dueAt governs the sweep', async (t) => {
  const { h, s, clock, act, order, delivered } = await sandbox(t);
  const base = { orderId: 'SB-6', callerNumber: '13800138005', content: '咨询高龄津贴' };
  const id = (await order({ ...base, dueAt: '2026-03-03T12:00:00+08:00' })).json().id;
  await act(id, 'classify', 'operator', { kind: 'routed' });
  await act(id, 'route', 'operator', { departmentId: 'social-assistance' });
  t.same((await delivered()).map((m) => m.action), ['classify', 'route']);
  const fingerprint = fingerprinter(s.db);
  const before = fingerprint();
  const same = await order({ ...base, dueAt: '2026-03-03T12:00:00+08:00' });
  t.equal(same.statusCode, 200);
  t.equal(fingerprint(), before, 'an identical repeat changes nothing');

  const changed = await order({ ...base, content: '咨询高龄津贴：老人已满90周岁', dueAt: '2026-03-03T12:00:00+08:00' });
  t.equal(changed.statusCode, 200);
  t.equal(changed.json().status, 'routed', 'still with the department');
  t.equal(changed.json().content, '咨询高龄津贴：老人已满90周岁');
  t.match(s.tickets.events(id).at(-1), { action: 'order_updated', data: { before: { content: '咨询高龄津贴' }, after: { content: '咨询高龄津贴：老人已满90周岁' } } });
  t.same(await delivered(), [], "12345's own update is not echoed back");

  // 12345's deadline (Tue noon) is earlier than our 3 working days to contact
  clock.now = Date.parse('2026-03-03T05:00:00Z');
  t.equal(sweepDeadlines(s, clock.now).overdue, 1, "past 12345's dueAt: overdue though our own limit is days away");
  t.equal(s.tickets.get(id)!.overdue, true);

  // shown on the desk's ticket view
  const view = await h.app.inject({ url: `/api/tickets/${id}`, headers: h.auth(PEOPLE.supervisor) });
  t.equal(view.json().orderDueAt, '2026-03-03T04:00:00.000Z');
  const bad = await order({ ...base, orderId: 'SB-7', dueAt: 'next friday' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json().message, /dueAt/);
});

t.test('催办: signed, recorded, flags the ticket, alerts whoever holds it', async (t) => {
  const { h, s, act, order, push, delivered } = await sandbox(t);
  const id = (await order({ orderId: 'SB-8', callerNumber: '13800138006', content: '临时救助申请进度' })).json().id;
  await act(id, 'classify', 'operator', { kind: 'routed' });
  await act(id, 'route', 'operator', { departmentId: 'social-assistance' });
  const alerts: unknown[] = [];
  s.bus.on('ticket.urged', (e) => alerts.push(e));
  t.same((await delivered()).map((m) => m.action), ['classify', 'route']);
  const fingerprint = fingerprinter(s.db);
  const before = fingerprint();
  const url = '/api/integrations/12345/orders/SB-8/urge';
  const unsigned = await h.app.inject({ method: 'POST', url, payload: { reason: 'x' } });
  t.equal(unsigned.statusCode, 401);
  const empty = await push(url, {});
  t.equal(empty.statusCode, 400);
  t.match(empty.json().message, /reason/);
  t.equal((await push('/api/integrations/12345/orders/NO-SUCH/urge', { reason: '催办' })).statusCode, 404);
  t.equal(fingerprint(), before, 'refused urgings changed nothing');

  const urged = await push(url, { reason: '市民第三次来电催促' });
  t.equal(urged.statusCode, 200, urged.body);
  t.match(urged.json(), { ticketId: id, urgeCount: 1, status: 'routed' });
  const row = s.tickets.get(id)!;
  t.equal(row.flaggedForSupervisor, true);
  t.ok(row.urgedAt);
  t.match(s.tickets.events(id).at(-1), { action: 'urged', reason: '市民第三次来电催促' });
  t.match(alerts, [{ ticketId: id, departmentId: 'social-assistance', reason: '市民第三次来电催促' }], 'the holder is alerted');
  t.same(await delivered(), [], 'the urging is not echoed');
});
