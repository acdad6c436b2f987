// Fault drill (issue #7): what 12345 can throw at POST /api/integrations/12345/orders.
// test/intake/orders.test.ts has the worked examples (one order, a few bad signatures and
// bodies, a race); these are the same rules as properties over generated orders:
//   - a bad or missing signature: 401, nothing stored, whatever the body;
//   - a good signature over a malformed order: 400 (415 for a non-JSON type), nothing stored;
//   - the same order N times: 201 once, then 200 with the same ticket; one ticket, one event;
//   - a different order under a known orderId: 200, recorded as an `order_updated` event and
//     the ticket holds 12345's new text (#13: an update is not dropped); resending that
//     same version again writes nothing.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { makeApp, type TestApp } from '../helpers/app.js';
import { fingerprinter } from './_db.js';

const SECRET = 'faults-12345-secret';
const URL_ = '/api/integrations/12345/orders';
const RUNS = Number(process.env.FAULT_RUNS ?? 60);

const sign = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

async function ordersApp(t: Test): Promise<TestApp> {
  const h = await makeApp({ config: { integration12345: { secret: SECRET, url: null } } });
  t.teardown(h.close);
  return h;
}

let ip = 0;
/** signature null: no header. A fresh client address each time: the route allows 600/min per client. */
function post(h: TestApp, body: string | Buffer, signature: string | string[] | null, contentType: string | null = 'application/json') {
  const headers: Record<string, string | string[]> = {};
  if (contentType !== null) headers['content-type'] = contentType;
  if (signature !== null) headers['x-signature'] = signature;
  return h.app.inject({ method: 'POST', url: URL_, payload: body, headers, remoteAddress: `10.1.${(ip >> 8) & 255}.${ip++ & 255}` });
}

const tickets12345 = (h: TestApp) => h.app.services.db.$client.prepare("select count(*) from tickets where source = '12345'").pluck().get() as number;

// ------------------------------------------------------------------ generated orders

let serial = 0;
/** A well-formed order; orderIds are made unique per generated value. */
const orderArb = fc
  .record(
    {
      orderId: fc.stringMatching(/^[A-Za-z0-9][\w.:-]{0,40}$/),
      callerNumber: fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^021-\d{8}$/), fc.constant('+86 138 0013 8000')),
      content: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).filter((s) => /\S/.test(s)),
      callerName: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 }), { nil: null }),
      category: fc.option(fc.constantFrom('social_assistance', 'community_life', 'complaint', 'other'), { nil: null }),
      address: fc.option(fc.string({ maxLength: 100 }), { nil: null }),
      street: fc.option(fc.constantFrom('xuhui-tianlin', '枫林路街道'), { nil: null }),
      receivedAt: fc.option(fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null }),
      // 12345 may send more than we read (the schema allows it); integers past 2^53 are a 400 (test/security)
      extra: fc.dictionary(fc.constantFrom('priority', 'channel', 'sla', 'tags'), fc.jsonValue({ maxDepth: 2 }).filter((v) => !hasUnsafeInteger(v)), { maxKeys: 2 }),
    },
    { requiredKeys: ['orderId', 'callerNumber', 'content'] },
  )
  .map(({ extra, ...o }) => ({ ...extra, ...o, orderId: `${o.orderId}-${++serial}` }));
function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  return !!v && typeof v === 'object' && Object.values(v).some(hasUnsafeInteger);
}
type Order = Record<string, unknown> & { orderId: string; callerNumber: string; content: string };

/** 12345's own formatting is what gets signed: key order and spacing vary, bytes are kept. */
const formatArb = fc.constantFrom<[number | string | undefined, boolean]>([undefined, false], [2, false], ['\t', false], [undefined, true]);
const format = (o: object, [indent, reversed]: [number | string | undefined, boolean]) =>
  JSON.stringify(reversed ? Object.fromEntries(Object.entries(o).reverse()) : o, null, indent);

/** An order made invalid in exactly one way the contract names (DESIGN §7). */
const malformedArb: fc.Arbitrary<{ why: string; body: string }> = fc.oneof(
  fc.tuple(orderArb, fc.constantFrom('orderId', 'callerNumber', 'content')).map(([o, k]) => {
    const { [k]: _gone, ...rest } = o;
    return { why: `no ${k}`, body: JSON.stringify(rest) };
  }),
  fc
    .tuple(
      orderArb,
      fc.constantFrom('orderId', 'callerNumber', 'content', 'callerName', 'category', 'address', 'street', 'receivedAt'),
      fc.constantFrom<unknown>(1, 0, -1, 1.5, true, false, [], ['x'], {}, { $gt: '' }),
    )
    .map(([o, k, v]) => ({ why: `${k} = ${JSON.stringify(v)}`, body: JSON.stringify({ ...o, [k]: v }) })),
  fc
    .tuple(
      orderArb,
      fc.constantFrom<[string, unknown]>(
        ['orderId', ''],
        ['orderId', ' A1'],
        ['orderId', 'A 1'],
        ['orderId', 'A1\n'],
        ['orderId', 'X'.repeat(65)],
        ['orderId', null],
        ['callerNumber', ''],
        ['callerNumber', 'call me'],
        ['callerNumber', '138-0013-8000 ext. 5'],
        ['callerNumber', '1'.repeat(33)],
        ['callerNumber', null],
        ['callerNumber', '   '],
        ['callerNumber', '()-'],
        ['callerNumber', 13800138000],
        ['content', ''],
        ['content', '  \n\t '],
        ['content', '低'.repeat(20_001)],
        ['content', null],
        ['callerName', '名'.repeat(65)],
        ['category', 'c'.repeat(65)],
        ['street', 's'.repeat(65)],
        ['address', 'a'.repeat(501)],
        ['receivedAt', 'yesterday'],
        ['receivedAt', '2026-03-01'],
        ['receivedAt', '2026-03-01 09:30:00'],
        ['receivedAt', '2026-03-01T09:30:00'],
        ['receivedAt', 1772328600000],
      ),
    )
    .map(([o, [k, v]]) => ({ why: `${k} = ${JSON.stringify(v).slice(0, 40)}`, body: JSON.stringify({ ...o, [k]: v }) })),
  fc.string({ maxLength: 30 }).filter((x) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(x)).chain((bad) => orderArb.map((o) => ({ why: `receivedAt = ${JSON.stringify(bad)}`, body: JSON.stringify({ ...o, receivedAt: bad }) }))),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => ({ why: 'not an object', body: JSON.stringify(v) })),
  orderArb.map((o) => ({ why: 'an array of orders', body: JSON.stringify([o]) })),
  fc
    .tuple(orderArb, fc.integer({ min: 1, max: 40 }))
    .map(([o, cut]) => ({ why: 'truncated JSON', body: JSON.stringify(o).slice(0, -cut) }))
    .filter(({ body }) => {
      try {
        JSON.parse(body);
        return false;
      } catch {
        return true;
      }
    }),
  fc.constantFrom(
    { why: 'empty body', body: '' },
    { why: 'a BOM before the JSON', body: '\uFEFF{"orderId":"BOM-1","callerNumber":"13800138000","content":"x"}' },
    { why: 'single quotes', body: "{'orderId':'Q1','callerNumber':'13800138000','content':'x'}" },
    { why: 'trailing comma', body: '{"orderId":"T1","callerNumber":"13800138000","content":"x",}' },
    { why: 'NaN', body: '{"orderId":"N1","callerNumber":"13800138000","content":NaN}' },
  ),
);

// ------------------------------------------------------------------ properties

t.test('a bad or missing signature: 401, nothing stored, whatever the body', async (t) => {
  const h = await ordersApp(t);
  const fingerprint = fingerprinter(h.app.services.db);
  const before = fingerprint();
  const bodyArb = fc.oneof(
    fc.tuple(orderArb, formatArb).map(([o, f]) => format(o, f)),
    malformedArb.map((m) => m.body),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  // every way a signature can be wrong, given the body it should sign
  const badSignature = (body: string): fc.Arbitrary<string | string[] | null> =>
    fc.oneof(
      fc.constant(null),
      fc.constantFrom('', ' ', 'zz', 'sha256=' + sign(body), sign(body).slice(0, 63), sign(body) + '0', sign(body).slice(0, 32), `${sign(body)} ${sign(body)}`),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).filter((s) => s !== sign(body)),
      fc.string({ minLength: 1, maxLength: 20 }).map((other) => sign(body, other)).filter((s) => s !== sign(body)),
      fc.constant(sign(body + ' ')), // the signature of other bytes
      // the same text in another encoding (for non-ASCII bodies; else a trailing newline)
      fc.constant(sign(Buffer.from(body, 'latin1')) !== sign(body) ? sign(Buffer.from(body, 'latin1')) : sign(`${body}\n`)),
      fc.constant(createHash('sha256').update(body).digest('hex')), // a hash, not an HMAC
      fc.constant<string[]>([sign(body), sign(body)]), // the header twice
    );
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      bodyArb.chain((body) => fc.tuple(fc.constant(body), badSignature(body), fc.constantFrom('application/json', 'text/plain', null))),
      async ([body, signature, contentType]) => {
        const res = await post(h, body, signature, contentType);
        n++;
        if (res.statusCode !== 401) throw new Error(`${res.statusCode} ${res.body} for signature ${JSON.stringify(signature)} of ${body.slice(0, 200)}`);
        if (typeof res.json().message !== 'string') throw new Error(`no message: ${res.body}`);
        if (fingerprint() !== before) throw new Error(`a 401 stored something: ${body.slice(0, 200)}`);
      },
    ),
    { numRuns: RUNS * 3 },
  );
  t.equal(tickets12345(h), 0, `${n} badly signed requests, no ticket`);
  t.equal(fingerprint(), before, 'the database is as it was');
});

t.test('a good signature over a malformed order: 400 (415 for another type), nothing stored', async (t) => {
  const h = await ordersApp(t);
  const fingerprint = fingerprinter(h.app.services.db);
  const before = fingerprint();
  const seen: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(malformedArb, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'), async ({ why, body }, contentType) => {
      const res = await post(h, body, sign(body), contentType);
      const expected = contentType.startsWith('application/json') ? 400 : 415;
      seen[`${res.statusCode}`] = (seen[`${res.statusCode}`] ?? 0) + 1;
      if (res.statusCode !== expected) throw new Error(`${why}: ${res.statusCode} ${res.body.slice(0, 300)}, expected ${expected}`);
      if (typeof res.json().message !== 'string' || !res.json().message) throw new Error(`${why}: no message in ${res.body}`);
      if (fingerprint() !== before) throw new Error(`${why}: a ${res.statusCode} stored something`);
    }),
    { numRuns: RUNS * 3 },
  );
  t.equal(tickets12345(h), 0, `no ticket from ${JSON.stringify(seen)} refusals`);
  t.equal(fingerprint(), before, 'the database is as it was');
});

t.test('the same order N times: 201 once, then 200 with the same ticket; one ticket, one event', async (t) => {
  const h = await ordersApp(t);
  const s = h.app.services;
  let orders = 0;
  await fc.assert(
    fc.asyncProperty(orderArb, fc.array(formatArb, { minLength: 2, maxLength: 6 }), async (order: Order, formats) => {
      const ticketsBefore = tickets12345(h);
      const results = [];
      // each delivery may be formatted differently: the bytes (and the signature) change, the order does not
      for (const f of formats) {
        const body = format(order, f);
        results.push(await post(h, body, sign(body)));
      }
      const statuses = results.map((r) => r.statusCode);
      if (statuses[0] !== 201 || statuses.slice(1).some((x) => x !== 200)) throw new Error(`statuses ${statuses}: ${results.map((r) => r.body.slice(0, 200))}`);
      const ids = new Set(results.map((r) => r.json().id));
      const numbers = new Set(results.map((r) => r.json().number));
      if (ids.size !== 1 || numbers.size !== 1) throw new Error(`different tickets: ${[...ids]} ${[...numbers]}`);
      if (tickets12345(h) !== ticketsBefore + 1) throw new Error(`${tickets12345(h) - ticketsBefore} tickets for one order`);
      const ticket = s.tickets.byExternalOrder(order.orderId)!;
      if (ticket.content !== order.content || ticket.callerNumber !== order.callerNumber.trim()) throw new Error(`stored ${JSON.stringify(ticket)} for ${JSON.stringify(order)}`);
      if (s.tickets.events(ticket.id).length !== 1) throw new Error(`repeats wrote events: ${JSON.stringify(s.tickets.events(ticket.id))}`);
      orders++;
    }),
    { numRuns: RUNS },
  );
  t.equal(tickets12345(h), orders, `${orders} orders, each delivered 2-6 times, made ${orders} tickets`);
});

t.test('a changed order under a known orderId: 200, recorded as an update (event), the ticket holds the new text; an identical resend writes nothing', async (t) => {
  // 第三条 / #13: 12345 changing its order is not a retry, and must not be dropped
  const h = await ordersApp(t);
  const s = h.app.services;
  const fingerprint = fingerprinter(s.db);
  const fields = (o: Order) => JSON.stringify(['callerNumber', 'content', 'callerName', 'category', 'address', 'street'].map((k) => (k === 'callerNumber' ? String(o[k]).trim() : (o[k] ?? null))));
  await fc.assert(
    fc.asyncProperty(orderArb, orderArb, async (first: Order, second: Order) => {
      const a = JSON.stringify(first);
      const created = await post(h, a, sign(a));
      if (created.statusCode !== 201) throw new Error(`${created.statusCode} ${created.body}`);
      const stored = s.tickets.get(created.json().id)!;
      const changed = { ...second, orderId: first.orderId };
      const b = JSON.stringify(changed);
      const before = fingerprint();
      const again = await post(h, b, sign(b));
      if (again.statusCode !== 200) throw new Error(`${again.statusCode} ${again.body}`);
      const body = again.json();
      if (body.id !== stored.id || body.number !== stored.number) throw new Error('another ticket');
      const events = s.tickets.events(stored.id);
      if (fields(first) === fields(changed)) {
        if (fingerprint() !== before) throw new Error('an identical resend wrote something');
        return;
      }
      const update = events.at(-1)!;
      if (events.length !== 2 || update.action !== 'order_updated') throw new Error(`expected one order_updated event, got ${events.map((e) => e.action)}`);
      if (s.tickets.get(stored.id)!.content !== second.content || body.content !== second.content) throw new Error('the new text is not on the ticket');
      if (h.app.services.intake.outbox.byTicket(stored.id).length) throw new Error('12345 was told of its own update');
      // and the same changed order again is a repeat
      const mark = fingerprint();
      const third = await post(h, b, sign(b));
      if (third.statusCode !== 200 || fingerprint() !== mark) throw new Error('a resend of the update wrote something');
    }),
    { numRuns: RUNS },
  );
  t.pass('updates recorded, repeats ignored');
});

t.test('numeric orderIds are refused, not rounded into another order', async (t) => {
  // JSON numbers past 2^53 lose digits: both of these parse to 12345678901234567000.
  // Coerced to strings they were one orderId, and the second order was answered 200 as
  // a repeat of the first and lost (fixed: this route validates without coercion).
  const h = await ordersApp(t);
  const first = '{"orderId":12345678901234567891,"callerNumber":"13800138000","content":"第一张工单"}';
  const second = '{"orderId":12345678901234567892,"callerNumber":"13800138000","content":"另一张工单"}';
  for (const body of [first, second]) {
    const res = await post(h, body, sign(body));
    t.equal(res.statusCode, 400, res.body);
    t.match(res.json().message, /orderId/);
  }
  t.equal(tickets12345(h), 0);
  // as strings, as the contract says, they are two orders
  for (const body of [first, second].map((b) => b.replace(/"orderId":(\d+)/, '"orderId":"$1"'))) t.equal((await post(h, body, sign(body))).statusCode, 201);
  t.equal(tickets12345(h), 2);
});

t.test('two different orderIds with the same content are two orders', async (t) => {
  // only the orderId identifies an order: 12345 can transfer two calls that say the same thing
  const h = await ordersApp(t);
  const body = (id: string) => JSON.stringify({ orderId: id, callerNumber: '13800138000', content: '同一内容' });
  const a = await post(h, body('SAME-1'), sign(body('SAME-1')));
  const b = await post(h, body('SAME-2'), sign(body('SAME-2')));
  const c = await post(h, body('same-1'), sign(body('same-1')));
  t.same([a.statusCode, b.statusCode, c.statusCode], [201, 201, 201], 'orderIds are compared exactly (case included)');
  t.equal(new Set([a.json().id, b.json().id, c.json().id]).size, 3);
});
