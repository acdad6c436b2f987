import t from 'tap';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { outbox12345 } from '../../src/intake/schema.js';
import { OutboxDelivery } from '../../src/intake/twelve345/delivery.js';
import { systemActor } from '../../src/shared/actor.js';
import type { Config } from '../../src/config.js';
import { makeApp, type TestApp } from '../helpers/app.js';

const SECRET = 'test-12345-secret';
const PATH = '/api/962200/order-updates';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { messageId: string; type: string; orderId: string; action: string; status: string; reason: string | null };
}

/** A stand-in for 12345 on loopback: answers 500 while `down`, then 200; keeps what it accepted. */
async function fake12345(port = 0) {
  const state = { down: true, accepted: [] as Received[], refused: 0 };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (state.down || req.url !== PATH) {
        state.refused++;
        res.writeHead(500).end('busy');
        return;
      }
      state.accepted.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { state, server, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function outboxApp(url: string, outbox: Partial<Config['outbox12345']>): Promise<TestApp> {
  return makeApp({
    config: {
      integration12345: { secret: SECRET, url },
      smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false },
      outbox12345: { path: PATH, pollMs: 20, retryBaseMs: 10, retryMaxMs: 40, timeoutMs: 2000, ...outbox },
    },
  });
}

async function pushOrder(h: TestApp, orderId: string): Promise<number> {
  const body = JSON.stringify({ orderId, callerNumber: '13800138000', content: '咨询婚姻登记预约' });
  const sig = createHmac('sha256', SECRET).update(body).digest('hex');
  const res = await h.app.inject({ method: 'POST', url: '/api/integrations/12345/orders', payload: body, headers: { 'content-type': 'application/json', 'x-signature': sig } });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id;
}

async function waitFor(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const operator = { name: 'op1', role: 'operator' as const };

t.test('12345 down while a ticket changes: updates are kept, retried, and arrive in order once it is back', async (t) => {
  const remote = await fake12345();
  t.teardown(remote.close);
  const h = await outboxApp(`http://127.0.0.1:${remote.port}`, {});
  t.teardown(h.close);
  const { tickets } = h.app.services;

  const id = await pushOrder(h, 'ORD-1');
  tickets.update(id, { status: 'routed', kind: 'routed' }, { actor: operator, action: 'route' });
  tickets.update(id, { status: 'returned' }, { actor: operator, action: 'return_to_12345', reason: '不属于民政职能，请转交市场监管部门' });

  await waitFor('retries while down', () => remote.state.refused >= 3);
  const waiting = h.app.services.intake.outbox.byTicket(id);
  t.equal(waiting.length, 2, 'both updates queued');
  t.ok(waiting.every((r) => r.deliveredAt === null), 'none delivered while 12345 is down');
  t.ok(waiting[0].attempts >= 1 && /500/.test(waiting[0].lastError ?? ''), 'failure recorded');
  t.equal(waiting[1].attempts, 0, 'a later update waits behind the earlier one of its ticket');

  remote.state.down = false;
  await waitFor('delivery', () => remote.state.accepted.length >= 2);
  const [first, second] = remote.state.accepted;
  t.match(first.body, { type: 'status', orderId: 'ORD-1', action: 'route', status: 'routed' });
  t.match(second.body, { type: 'return', orderId: 'ORD-1', action: 'return_to_12345', reason: '不属于民政职能，请转交市场监管部门' });
  for (const m of [first, second]) {
    t.equal(m.headers['x-signature'], createHmac('sha256', SECRET).update(m.raw).digest('hex'), 'signed like 12345 signs its orders');
    t.equal(m.headers['idempotency-key'], m.body.messageId);
  }
  await waitFor('rows marked delivered', () => h.app.services.intake.outbox.byTicket(id).every((r) => r.deliveredAt !== null));
  t.equal(remote.state.accepted.length, 2, 'nothing sent twice after acknowledgement');
});

t.test('driven by hand: deliverDue(now) while 12345 refuses connections, then after it comes back', async (t) => {
  // a port with nothing listening on it yet
  const probe = await fake12345();
  const port = probe.port;
  await probe.close();
  const h = await outboxApp(`http://127.0.0.1:${port}`, { pollMs: 3_600_000, retryBaseMs: 60_000, retryMaxMs: 600_000 });
  t.teardown(h.close);
  const { tickets } = h.app.services;
  const { delivery, outbox } = h.app.services.intake;

  const id = await pushOrder(h, 'ORD-2');
  tickets.update(id, { status: 'routed' }, { actor: operator, action: 'route' });
  const now = Date.now() + 1_000;
  t.same(await delivery.deliverDue(now), { delivered: 0, failed: 1 });
  const [row] = outbox.byTicket(id);
  t.ok(row.nextAttemptAt >= now + 30_000 && row.nextAttemptAt <= now + 60_000, 'backoff with jitter: between half and all of the base');
  t.match(row.lastError, /fetch failed/);
  t.same(await delivery.deliverDue(now + 1_000), { delivered: 0, failed: 0 }, 'not retried before its time');

  const remote = await fake12345(port);
  t.teardown(remote.close);
  remote.state.down = false;
  t.same(await delivery.deliverDue(now + 120_000), { delivered: 1, failed: 0 });
  t.equal(remote.state.accepted.length, 1);
  t.ok(outbox.byTicket(id)[0].deliveredAt);
});

t.test('only 12345 tickets are reported; nothing is sent without a URL; a restart queues what was missed', async (t) => {
  const h = await makeApp({
    config: { integration12345: { secret: SECRET, url: null }, smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } },
  });
  t.teardown(h.close);
  const { tickets, db } = h.app.services;
  const { outbox, delivery } = h.app.services.intake;

  const phone = tickets.create({ source: 'phone', callerNumber: '13900139000' }, systemActor('test'));
  tickets.update(phone.id, { status: 'routed' }, { actor: operator, action: 'route' });
  t.equal(outbox.byTicket(phone.id).length, 0, 'a phone ticket owes 12345 nothing');

  const id = await pushOrder(h, 'ORD-3');
  tickets.update(id, { status: 'routed' }, { actor: operator, action: 'route' });
  tickets.update(id, { status: 'closed' }, { actor: operator, action: 'close' });
  t.equal(outbox.byTicket(id).length, 2);
  t.same(await delivery.deliverDue(Date.now() + 1000), { delivered: 0, failed: 0 }, 'no URL: rows wait');
  const ready = await h.app.inject('/ready');
  const warnings: string[] = ready.json().warnings ?? [];
  t.ok(warnings.some((w) => /^12345 outbox: 2 updates waiting/.test(w)), 'reported on /ready');

  // as if the process died between the ticket change and its queueing
  db.delete(outbox12345).run();
  t.equal(outbox.catchUp(), 2, 'both events queued again');
  t.equal(outbox.catchUp(), 0, 'and only once');
  t.same(
    outbox.byTicket(id).map((r) => JSON.parse(r.body).action),
    ['route', 'close'],
  );
});

t.test('backoff doubles up to the cap, half of it random', async (t) => {
  const opts = { url: null, path: PATH, secret: SECRET, pollMs: 1000, retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 1000 };
  const log = { warn: () => {}, error: () => {} };
  const low = new OutboxDelivery({} as never, opts, log, Date.now, () => 0);
  const high = new OutboxDelivery({} as never, opts, log, Date.now, () => 1);
  t.same([1, 2, 3, 4].map((n) => high.backoff(n)), [1000, 2000, 4000, 8000]);
  t.same([1, 2, 3, 4].map((n) => low.backoff(n)), [500, 1000, 2000, 4000]);
  t.equal(high.backoff(40), 60_000);
  t.equal(low.backoff(40), 30_000);
});
