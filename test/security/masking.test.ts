import { NO_CALLS, type LiveCallView } from '../../src/calls/query.js';
// Security (#15, 第二十三条): one masking policy on every surface caller data reaches —
// fields, history event data, number look-ups, sockets, CSV, logs — and the audit of
// who read what, which supervisors and inspectors can read (and reading it is audited).
import t from 'tap';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { makeApp } from '../helpers/app.js';
import { connect } from '../helpers/ws-client.js';
import { seedDemo } from '../../src/seed/demo.js';
import { maskAddress, maskEmail, maskName, maskNumber, scrubText, scrubUrl } from '../../src/shared/masking.js';

const NUMBER = '13812345678';
const LANDLINE = '021-64381234';
const ID_CARD = '310104199001011234';
const NAME = '欧阳娜娜';
const EMAIL = 'chen.citizen@example.com';
const ADDRESS = '徐汇区田林东路8号302室';
const CONTENT = `家里水管漏水，回电 ${LANDLINE} 或 13900001111，身份证 ${ID_CARD}，邮箱 ${EMAIL}`;

t.test('the policy: numbers keep at most 3 + 2 digits, names the surname, addresses the street, free text scrubbed', async (t) => {
  t.equal(maskNumber('13812345678'), '138******78');
  t.equal(maskNumber('64381234'), '643***34', 'a Shanghai landline shows 5 of 8 digits, not 7');
  t.equal(maskNumber('021-64381234'), '021-******34');
  t.equal(maskNumber('+8613812345678'), '+861********78');
  t.equal(maskNumber('12345'), '1***5');
  t.equal(maskNumber('110'), '***');
  t.equal(maskName('张三'), '张**');
  t.equal(maskName('欧阳娜娜'), '欧阳**', 'a compound surname stays whole');
  t.equal(maskName('Wei Chen'), 'Chen **');
  t.equal(maskEmail(EMAIL), 'c***@example.com');
  t.equal(maskAddress(ADDRESS), '徐汇区田林东路***');
  t.equal(maskAddress('上海市徐汇区田林街道某小区3号楼'), '上海市徐汇区田林街道***');
  const scrubbed = scrubText(CONTENT)!;
  for (const secret of [LANDLINE, '64381234', '13900001111', ID_CARD, EMAIL]) t.notOk(scrubbed.includes(secret), `scrubbed of ${secret}: ${scrubbed}`);
  t.ok(scrubbed.includes('家里水管漏水'), 'the words stay');
  t.equal(scrubText('工单 962200-20261201-000012 已于 2026-12-01 10:30 受理'), '工单 962200-20261201-000012 已于 2026-12-01 10:30 受理', 'ticket numbers, dates and times stay');
  t.equal(scrubUrl(`/api/tickets?callerNumber=${NUMBER}&limit=5`), '/api/tickets?callerNumber=[redacted]&limit=5');
  t.equal(scrubUrl('/ws/seat?token=eyJabc.def.ghi'), '/ws/seat?token=[redacted]');
});

t.test('every surface masks for a masked viewer and shows in clear for whoever works the ticket', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const h = await makeApp({ logger: { level: 'info', stream } });
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  const worker = { role: 'operator' as const, name: 'worker', userId: 401, seatId: '1001' };
  const other = { role: 'operator' as const, name: 'other', userId: 402, seatId: '1002' };
  const made = await h.app.inject({
    method: 'POST',
    url: '/api/tickets',
    headers: h.auth(worker),
    payload: { callerNumber: NUMBER, callerName: '张三', callerEmail: EMAIL, address: ADDRESS, content: CONTENT, title: `来电 ${NUMBER}` },
  });
  t.equal(made.statusCode, 201);
  const id = made.json().id as number;
  // an edit keeps the old name in its event; a mail from the citizen keeps the sender
  t.equal((await h.app.inject({ method: 'PATCH', url: `/api/tickets/${id}`, headers: h.auth(worker), payload: { callerName: NAME } })).statusCode, 200);
  s.tickets.update(id, {}, { actor: { name: 'system:email', role: 'system' }, action: 'mail_received', data: { from: EMAIL, text: `补充：我的手机 ${NUMBER}`, subject: '补充' } });

  const texts = (v: unknown) => JSON.stringify(v);
  const secrets = [NUMBER, '张三', NAME, EMAIL, '8号302室', LANDLINE, '13900001111', ID_CARD];
  const masked = [
    ['another operator', h.auth(other)],
    ['the admin', h.auth({ role: 'admin', name: 'adm', userId: 403 })],
    ['the inspector', h.auth({ role: 'inspector', name: 'insp', userId: 404 })],
  ] as const;
  for (const [who, headers] of masked) {
    const detail = await h.app.inject({ url: `/api/tickets/${id}`, headers });
    t.equal(detail.statusCode, 200);
    const body = detail.json();
    for (const secret of secrets) t.notOk(texts(body).includes(secret), `${who}: the detail (fields and history) holds no ${secret}`);
    t.equal(body.callerNumber, '138******78');
    t.equal(body.callerName, '欧阳**');
    t.equal(body.address, '徐汇区田林东路***');
    const edit = body.events.find((e: { action: string }) => e.action === 'edit');
    t.ok(edit, 'the edit event is there');
    const mail = body.events.find((e: { action: string }) => e.action === 'mail_received');
    t.equal(mail.data.from, 'c***@example.com', `${who}: the mail's sender masked`);
    const list = await h.app.inject({ url: '/api/tickets', headers });
    for (const secret of secrets) t.notOk(texts(list.json()).includes(secret), `${who}: the list holds no ${secret}`);
    const probe = await h.app.inject({ url: `/api/tickets?callerNumber=${NUMBER}`, headers });
    t.equal(probe.json().total, 1);
    for (const secret of secrets) t.notOk(texts(probe.json()).includes(secret), `${who}: a look-up by number shows the hits masked`);
  }
  const clear = (await h.app.inject({ url: `/api/tickets/${id}`, headers: h.auth(worker) })).json();
  t.equal(clear.callerNumber, NUMBER, 'the worker reads the number in clear');
  t.equal(clear.content, CONTENT);
  t.equal(clear.events.find((e: { action: string }) => e.action === 'mail_received').data.from, EMAIL);

  // sockets: the desk pops a ticket masked on a seat that is not on the call; the admin's wallboard masks callers
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as AddressInfo).port;
  const deskOther = await connect(`ws://127.0.0.1:${port}/ws/seat?token=${h.token(other)}`);
  await deskOther.next('hello');
  s.bus.emit('call.changed', { callId: 'c-1', ticketId: id, from: 'ringing', to: 'connected', event: 'seat_answered', queue: 'operator', seatId: '1002', fromSeatId: null, at: Date.now() });
  const pop = await deskOther.next('call');
  t.equal(pop.ticket.callerNumber, '138******78', 'the desk pop is masked for a seat not working the ticket');
  const queued: LiveCallView = { callId: 'c-1', ticketId: id, state: 'queued', phase: 'queued', queue: 'operator', category: null, seatId: null, callerNumber: NUMBER, since: new Date().toISOString(), connectedAt: null };
  s.liveCalls = { ...NO_CALLS, liveCalls: () => [queued], get: (c) => (c === 'c-1' ? queued : null), liveCount: () => 1 };
  const adminWall = await connect(`ws://127.0.0.1:${port}/ws/supervisor?token=${h.token({ role: 'admin', name: 'adm2', userId: 405 })}`);
  const supWall = await connect(`ws://127.0.0.1:${port}/ws/supervisor?token=${h.token({ role: 'supervisor', name: 'sup', userId: 406 })}`);
  t.equal((await adminWall.next('snapshot')).calls[0].callerNumber, '138******78', "the admin's wallboard: masked");
  t.equal((await supWall.next('snapshot')).calls[0].callerNumber, NUMBER, "the supervisor's: in clear");
  s.bus.emit('call.changed', { callId: 'c-1', ticketId: id, from: 'ivr', to: 'queued', event: 'routed', queue: 'operator', seatId: null, fromSeatId: null, at: Date.now() });
  t.equal((await adminWall.next('calls', 2000)).calls[0].callerNumber, '138******78', 'and so are its updates');
  t.equal((await supWall.next('calls', 2000)).calls[0].callerNumber, NUMBER);
  s.liveCalls = NO_CALLS;
  for (const c of [deskOther, adminWall, supWall]) c.ws.close();

  // CSV: the daily report carries counts only
  const csv = await h.app.inject({ url: '/api/stats/daily-report.csv?day=2026-12-01', headers: h.auth({ role: 'supervisor', name: 'sup', userId: 406 }) });
  for (const secret of secrets) t.notOk(csv.body.includes(secret), `the CSV holds no ${secret}`);

  // the log: no caller number, no token (the desk looks callers up by number; sockets carry ?token=)
  const token = h.token(worker);
  await h.app.inject({ url: `/api/tickets?callerNumber=${NUMBER}`, headers: { authorization: `Bearer ${token}` } });
  await h.app.inject({ url: `/ws/seat?token=${token}` });
  h.app.log.info({ callerNumber: NUMBER, note: `called from ${NUMBER}` }, `a line about ${NUMBER} and ${ID_CARD}`);
  const log = lines.join('');
  t.ok(log.includes('incoming request'), 'requests are logged');
  t.notOk(log.includes(NUMBER), 'no caller number in the log');
  t.notOk(log.includes(ID_CARD), 'no ID-card number in the log');
  t.notOk(log.includes(token), 'no token in the log');
  t.notOk(log.includes(token.split('.')[2]), 'not even its signature');
});

t.test('number look-ups are limited and audited; GET /api/audit for supervisors and inspectors, itself audited', async (t) => {
  const h = await makeApp({ config: { limits: { anonymousPerMinute: 300, callerProbesPer10Min: 5, connectionsPerClient: 256, smtpConnectionsPerClient: 5, requestTimeoutMs: 30_000 } } });
  t.teardown(h.close);
  const prober = h.auth({ role: 'operator', name: 'prober', userId: 501 });
  const codes: number[] = [];
  for (let i = 0; i < 7; i++) codes.push((await h.app.inject({ url: `/api/tickets?callerNumber=1381234${String(i).padStart(4, '0')}`, headers: prober })).statusCode);
  t.same(codes, [200, 200, 200, 200, 200, 429, 429], 'five look-ups per 10 minutes, then 429');
  t.equal((await h.app.inject({ url: '/api/tickets', headers: prober })).statusCode, 200, 'the list without a number is not limited');
  const supervisor = h.auth({ role: 'supervisor', name: 'sup-probe', userId: 509 });
  for (let i = 0; i < 7; i++) t.equal((await h.app.inject({ url: `/api/tickets?callerNumber=1391234${i}000`, headers: supervisor })).statusCode, 200, 'a supervisor, who reads callers in clear anyway, is not limited');

  const read = (who: { role: 'supervisor' | 'inspector' | 'operator' | 'admin'; name: string; userId: number }, q = '') => h.app.inject({ url: `/api/audit${q}`, headers: h.auth(who) });
  const sup = { role: 'supervisor' as const, name: 'sup', userId: 502 };
  const insp = { role: 'inspector' as const, name: 'insp', userId: 503 };
  const r = await read(sup, '?username=prober');
  t.equal(r.statusCode, 200);
  const actions = r.json().items.map((i: { action: string }) => i.action);
  t.equal(actions.filter((a: string) => a === 'caller_search').length, 5, 'each look-up audited');
  t.equal(actions.filter((a: string) => a === 'caller_search_refused').length, 2, 'and each refusal');
  t.match(r.json().items.find((i: { action: string }) => i.action === 'caller_search').detail, /13812340004/, 'the supervisor sees which number');
  const ri = await read(insp, '?username=prober&action=caller_search');
  t.equal(ri.statusCode, 200);
  t.notOk(ri.body.includes('13812340004'), 'the inspector sees the numbers masked');
  t.match(ri.body, /138\*+04/);
  for (const role of ['operator', 'admin'] as const) t.equal((await read({ role, name: role, userId: 510 + role.length })).statusCode, 403, `${role}: 403`);
  t.equal((await h.app.inject({ url: '/api/audit' })).statusCode, 401);
  const own = await read(sup, '?action=audit_read');
  t.ok(own.json().items.some((i: { username: string }) => i.username === 'insp'), "reading the audit is audited (the inspector's read is there)");
  t.equal((await read(sup, '?limit=501')).statusCode, 400);
});
