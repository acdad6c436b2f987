import t from 'tap';
import { createHmac } from 'node:crypto';
import { makeApp, type TestApp } from '../helpers/app.js';
import { OrderIntake } from '../../src/intake/twelve345/orders.js';
import type { TicketService } from '../../src/tickets/services.js';

const SECRET = 'test-12345-secret';
const URL_ = '/api/integrations/12345/orders';

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** signature null: send none */
function post(h: TestApp, body: string, signature: string | null = sign(body), contentType = 'application/json') {
  return h.app.inject({
    method: 'POST',
    url: URL_,
    payload: body,
    headers: { 'content-type': contentType, ...(signature === null ? {} : { 'x-signature': signature }) },
  });
}

const countTickets = (h: TestApp) => h.app.services.tickets.list({}).total;

async function ordersApp(): Promise<TestApp> {
  return makeApp({
    config: {
      integration12345: { secret: SECRET, url: null },
      smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false },
    },
  });
}

const order = {
  orderId: 'SH12345-20260301-0001',
  callerNumber: '13800138000',
  callerName: '赵六',
  content: '反映：社区养老服务点周末不开门。\n希望延长服务时间。',
  category: 'social_welfare',
  address: '徐汇区某路1号',
  street: '枫林路街道',
  receivedAt: '2026-03-01T09:30:00+08:00',
};

t.test('a signed order opens a 12345 ticket once: 201, then 200 with the same ticket', async (t) => {
  const h = await ordersApp();
  t.teardown(h.close);
  // 12345's own formatting (spacing, key order) is what is signed: keep the raw bytes
  const body = JSON.stringify(order, null, 2);

  const first = await post(h, body);
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.headers['x-ratelimit-limit'], '600', 'rate-limited');
  const ticket = first.json();
  t.match(ticket, {
    source: '12345',
    externalOrderId: order.orderId,
    callerNumber: order.callerNumber,
    callerName: order.callerName,
    content: order.content,
    category: order.category,
    street: order.street,
    title: '反映：社区养老服务点周末不开门。',
  });
  t.match(ticket.number, /^962200-\d{8}-\d{6}$/);

  const again = await post(h, body);
  t.equal(again.statusCode, 200);
  t.equal(again.json().id, ticket.id, 'same ticket');
  t.equal(again.json().number, ticket.number);
  t.equal(countTickets(h), 1);

  const created = h.app.services.tickets.events(ticket.id)[0];
  t.match(created, { action: 'created', actor: 'system:12345', data: { orderId: order.orderId, receivedAt: order.receivedAt } });
});

t.test('a bad or missing signature gets 401 and stores nothing', async (t) => {
  const h = await ordersApp();
  t.teardown(h.close);
  const body = JSON.stringify(order);
  t.equal((await post(h, body, null)).statusCode, 401, 'missing');
  t.equal((await post(h, body, sign(body, 'wrong-secret'))).statusCode, 401, 'wrong secret');
  t.equal((await post(h, body, sign(body + ' '))).statusCode, 401, 'signature of other bytes');
  t.equal((await post(h, body, 'zz')).statusCode, 401, 'not hex');
  t.equal((await post(h, body, sign(body).toUpperCase())).statusCode, 201, 'upper-case hex is the same signature');
  t.equal((await post(h, '{not json', sign('other'))).statusCode, 401, 'unsigned junk learns nothing about its JSON');
  t.equal((await h.app.inject({ method: 'POST', url: URL_ })).statusCode, 401, 'no body, no signature');
  t.equal(countTickets(h), 1);
});

t.test('a malformed order gets 400 and stores nothing', async (t) => {
  const h = await ordersApp();
  t.teardown(h.close);
  const cases: Array<[string, string]> = [
    ['not JSON', '{"orderId": "A1",'],
    ['no orderId', JSON.stringify({ callerNumber: '13800138000', content: 'x' })],
    ['no content', JSON.stringify({ orderId: 'A2', callerNumber: '13800138000' })],
    ['empty content', JSON.stringify({ orderId: 'A3', callerNumber: '13800138000', content: '' })],
    ['bad callerNumber', JSON.stringify({ orderId: 'A4', callerNumber: 'call me', content: 'x' })],
    ['bad receivedAt', JSON.stringify({ orderId: 'A5', callerNumber: '13800138000', content: 'x', receivedAt: 'yesterday' })],
    ['an array', JSON.stringify([order])],
    ['empty body', ''],
  ];
  for (const [what, body] of cases) {
    const res = await post(h, body);
    t.equal(res.statusCode, 400, what);
    t.equal(res.json().error, 'bad_request', what);
  }
  t.equal((await post(h, JSON.stringify(order), null, 'text/plain')).statusCode, 401, 'unsigned text');
  t.equal((await post(h, JSON.stringify(order), sign(JSON.stringify(order)), 'text/plain')).statusCode, 415, 'signed text');
  t.equal(countTickets(h), 0);
});

t.test('the route needs no bearer token, but other intake paths are not opened', async (t) => {
  const h = await ordersApp();
  t.teardown(h.close);
  const body = JSON.stringify({ orderId: 'B1', callerNumber: '021-12345678', content: '咨询低保申请条件' });
  const res = await post(h, body);
  t.equal(res.statusCode, 201);
  t.equal(res.json().callerNumber, '021-12345678');
  // the raw-body parser belongs to this route alone: other JSON routes still parse normally
  const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
  t.not(login.statusCode, 415);
});

t.test('the same order racing itself ends in one ticket', async (t) => {
  const h = await ordersApp();
  t.teardown(h.close);
  const body = JSON.stringify({ orderId: 'RACE-1', callerNumber: '13800138000', content: '并发推送' });
  const results = await Promise.all([post(h, body), post(h, body), post(h, body)]);
  t.same(results.map((r) => r.statusCode).sort(), [200, 200, 201]);
  t.equal(new Set(results.map((r) => r.json().id)).size, 1);

  // another process inserted it between our look-up and our insert: the unique index decides
  const real = h.app.services.tickets;
  let lookups = 0;
  const blind = {
    byExternalOrder: (id: string) => (lookups++ === 0 ? undefined : real.byExternalOrder(id)),
    create: real.create.bind(real),
  } as unknown as TicketService;
  const outcome = new OrderIntake(blind).accept({ orderId: 'RACE-1', callerNumber: '13800138000', content: '并发推送' });
  t.equal(outcome.created, false);
  t.equal(outcome.ticket.id, results[0].json().id);
  t.equal(countTickets(h), 1);
});
