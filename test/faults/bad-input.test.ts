// Fault drill (issue #7): bad input on every JSON route. DESIGN §6: "Bad input gets a
// clear 4xx error and changes nothing". For every route the app itself reports, fast-check
// throws arbitrary bodies, query strings and path params at it (near-valid bodies built
// from the route's own schema, fc.anything(), invalid JSON, huge and deep payloads,
// unicode, __proto__/constructor keys, wrong content types, out-of-range numbers), as
// several roles and with no or bad tokens. Properties, per request:
//   - never a 5xx (the app's one designed 503 is listed in EXPECTED_5XX);
//   - a 4xx leaves the database exactly as it was (audit rows included);
//   - a 4xx body is JSON with a non-empty `message`;
//   - Object.prototype is never polluted.
// FAULT_RUNS=200 npx tap test/faults/bad-input.test.ts runs a deeper sweep; FAULT_SEED=n replays
// one; FAULT_DEBUG='<regexp of "METHOD /path">' prints what admin and supervisor got back.
import { NO_CALLS } from '../../src/calls/query.js';
import t from 'tap';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { makeApp } from '../helpers/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { loadCallflow } from '../../src/calls/callflow-config.js';
import type { Services } from '../../src/services.js';
import { fingerprinter } from './_db.js';

const RUNS = Number(process.env.FAULT_RUNS ?? 40);
const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : undefined;

/** Routes the sweep leaves out, each with why. Anything else the app serves is swept. */
const SKIP: Array<[RegExp, string]> = [
  [/^(GET|HEAD) \/docs(\/.*)?$/, 'swagger-ui: static HTML/JS/OpenAPI, no input'],
  [/^GET \/ws\//, 'websockets, not JSON over HTTP: test/faults/supervisor-ws.test.ts drills /ws/supervisor'],
  [/^GET \/metrics$/, 'Prometheus text, not JSON, takes no input'],
  [/^GET \/(wallboard|desk|desk\/admin|desk\/admin\/calendar|stats|stats\/report|ask|quality)$/, 'HTML pages (src/web), no input'],
  // printRoutes shows @fastify/static's /web/* as a bare '*'
  [/^GET (\/web\/)?\*$/, 'static assets of the pages (src/web)'],
  [/^HEAD /, 'HEAD is the GET route without a body'],
];
/** The one 5xx the API answers by design. */
const EXPECTED_5XX: Record<string, string> = {
  'GET /ready': 'DESIGN §7: 503 while ARI is not connected, and this app has no Asterisk',
};

// ------------------------------------------------------------------ routes from the app

/** Every method + path the router holds, from printRoutes' tree (hidden routes included). */
function routerRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const prefix: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (prefix[depth - 1] ?? '') + m[2];
    prefix[depth] = path;
    prefix.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  patternProperties?: Record<string, JsonSchema>;
}
interface Param {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface Route {
  method: string;
  /** OpenAPI form: /api/tickets/{id} */
  path: string;
  params: Param[];
  body: JsonSchema | null;
}

function openApiRoutes(app: FastifyInstance): Route[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = op.requestBody?.content;
      out.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: content ? (Object.values(content)[0]?.schema ?? {}) : null });
    }
  }
  return out;
}

// ------------------------------------------------------------------ generators

const HUGE = 'x'.repeat(1024 * 1024 + 10); // over the 1 MiB bodyLimit
const BIG = '低保'.repeat(30_000); // under it, over every maxLength
const DEEP_ARRAY = '['.repeat(50_000) + ']'.repeat(50_000);
const DEEP_OBJECT = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
/** Strings that have broken search and SQL code elsewhere: FTS5 syntax, LIKE wildcards, quotes, odd unicode. */
const NASTY = [
  '"', "'", '""', "' OR 1=1 --", '%', '_', '\\', '*', '^', '-', '+', ':', '(', ')', 'NEAR(a b)', 'a OR b', 'AND', 'NOT', 'OR', 'a:b', '{a b}', 'col:低保',
  '低', '低保', '"低保"', '低保*', '低 保', '最低生活保障 OR 低保', 'ｄｉｂａｏ', 'İ', 'ß', 'ﬁ', '\u0301', 'a\u0000b', '\u2028', '\ud83d\ude00',
  '   ', '\t\n', '<script>alert(1)</script>', '${jndi:x}', '../../etc/passwd', 'null', 'undefined', '0', '-1', '1e999',
];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];

/** Values no schema wants: wrong types, out of range numbers, odd strings. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '', ' ', '\u0000', '\u200b', '\ufeff', '１２３', '😀', 'NaN', '-0', '1e309', '0x10', 'null', 'true', '[]', '{}',
    -1, 0, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 63,
    null, true, false, [], {}, [null], [[[]]], { __proto__: { role: 'admin' } }, BIG,
  ),
  fc.constantFrom(...POLLUTION_KEYS).map((k) => JSON.parse(`{"${k}":{"polluted":true,"role":"admin"}}`)),
);

/** A value that (mostly) fits a JSON schema: gets past validation into the handlers. */
function fromSchema(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((x) => fromSchema(x, depth + 1)));
  if (s.allOf) return fromSchema(s.allOf[0], depth + 1);
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'email') return fc.emailAddress();
      const maxLength = Math.min(s.maxLength ?? 30, 30);
      // dates: mostly real ones (the calendar has 2025-2026), so the handler gets them
      if (s.pattern?.startsWith('^\\d{4}-\\d{2}-\\d{2}')) {
        const day = fc.date({ min: new Date('2024-06-01'), max: new Date('2027-06-01'), noInvalidDate: true }).map((d) => d.toISOString());
        return fc.oneof(day.map((d) => d.slice(0, 10)), day, fc.stringMatching(new RegExp(s.pattern, 'u'), { size: 'small' }));
      }
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern, 'u'), { size: 'small' }).filter((x) => x.length >= (s.minLength ?? 0) && x.length <= (s.maxLength ?? Infinity));
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.max(maxLength, s.minLength ?? 0) }) },
        { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
      );
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? Math.max(1000, s.minimum ?? 0) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromSchema(s.items, depth + 1) : fc.jsonValue(), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props = s.properties ?? {};
      if (!Object.keys(props).length) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Break a near-valid value a little: one wrong field, an extra or a missing key, a wrapper. */
function mutate(value: fc.Arbitrary<unknown>, schema: JsonSchema): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(schema.properties ?? {}), ...POLLUTION_KEYS, 'extra'];
  return fc.tuple(value, fc.nat(5), fc.constantFrom(...keys), junk).map(([v, how, key, bad]) => {
    if (how === 0) return v; // as generated: may well be valid
    if (how === 5) return [v];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad;
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    if (how === 1 || how === 2) Object.defineProperty(copy, key, { value: bad, enumerable: true, configurable: true, writable: true });
    else if (how === 3) delete copy[key];
    else for (const k of Object.keys(copy)) copy[k] = bad;
    return copy;
  });
}

interface Payload {
  text?: string;
  contentType?: string;
}

/** A request body, already serialised, with the content type it comes with. */
function bodyArb(schema: JsonSchema | null): fc.Arbitrary<Payload> {
  const s = schema ?? { type: 'object' };
  const asJson = (v: unknown) => {
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return ''; // BigInt & co: an empty body then
    }
  };
  const text = fc.oneof(
    // near-valid first: it gets past validation into the handlers and the database
    { weight: 6, arbitrary: fromSchema(s).map(asJson) },
    { weight: 4, arbitrary: mutate(fromSchema(s), s).map(asJson) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }).map(asJson) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"a":',
        "{'a':1}",
        '{"a":1,}',
        'null',
        'NaN',
        '[]',
        '"string"',
        '\uFEFF{}',
        '{"a":"\\ud800"}',
        '{"__proto__":{"polluted":true,"role":"admin"},"constructor":{"prototype":{"polluted":true}}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        `"${BIG}"`,
        DEEP_ARRAY,
        DEEP_OBJECT,
        HUGE,
      ),
    },
  );
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/vnd.api+json',
        'text/plain',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'APPLICATION/JSON',
        'application/json, text/plain',
        ';;;',
      ),
    },
  );
  return fc.record({ text, contentType });
}

/** A path segment: a real id (hits seeded rows), or something no route expects. */
function segmentArb(param: Param, real: { ints: number[]; strings: string[] }): fc.Arbitrary<string> {
  const s = param.schema;
  const valid: fc.Arbitrary<string> =
    s.enum || s.anyOf
      ? fromSchema(s).map(String)
      : s.type === 'integer'
        ? fc.oneof(fc.constantFrom(...real.ints), fc.integer({ min: 1, max: 40 })).map(String)
        : fc.constantFrom(...real.strings);
  const raw = fc.constantFrom('%zz', '%', '%E4%BD', '%00', '%2e%2e%2f%2e%2e', '..', '.', '%0d%0aX-Injected:%201', ';', '%C0%AF', '%ED%A0%80');
  const weird = fc
    .oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      fc.constantFrom('0', '-1', '1.5', '1e3', '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', '0x10', ' 1', '1 ', '１', ...POLLUTION_KEYS, 'a'.repeat(5000)),
      fc.double().map(String),
    )
    .map((x) => encodeURIComponent(x));
  return fc.oneof({ weight: 3, arbitrary: valid.map((x) => encodeURIComponent(x)) }, { weight: 2, arbitrary: weird }, { weight: 1, arbitrary: raw });
}

/** A query string: the route's own parameters with near-valid or junk values, extras, raw junk. */
function queryArb(params: Param[]): fc.Arbitrary<string> {
  const known = params.filter((p) => p.in === 'query');
  const names = [...known.map((p) => p.name), ...POLLUTION_KEYS, 'token', 'x', '', 'a[b]', 'limit'];
  const value = (p?: Param) =>
    fc.oneof(
      ...(p ? [fromSchema(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''))] : []),
      junk.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
  const pair = fc.oneof(
    ...known.map((p) => fc.tuple(fc.constant(p.name), value(p))),
    fc.tuple(fc.constantFrom(...names), value()),
  );
  const enc = (x: string) => {
    try {
      return encodeURIComponent(x);
    } catch {
      return x;
    }
  };
  const built = fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${enc(k)}=${enc(v.slice(0, 3000))}`).join('&'));
  const raw = fc.constantFrom('', '&&&', '==', '%', '%zz=1', 'a=%E4', '__proto__[role]=admin', 'constructor[prototype][x]=1', 'q', 'limit=1&limit=2', 'limit=-1', 'limit=1e99', `q=${'a'.repeat(10_000)}`);
  // the route's own parameters only, as the schema wants them: the handler runs
  const valid = fc
    .record(Object.fromEntries(known.map((p) => [p.name, fromSchema(p.schema)])), { requiredKeys: known.filter((p) => p.required).map((p) => p.name) })
    .map((o) => Object.entries(o).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&'));
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 4, arbitrary: built }, { weight: 1, arbitrary: raw });
}

// ------------------------------------------------------------------ tokens

function hs256(payload: object, secret: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

// ------------------------------------------------------------------ the sweep

t.test('bad input on every JSON route: no 5xx, a clear 4xx, nothing changed', async (t) => {
  const errors: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      errors.push(String(chunk));
      cb();
    },
  });
  const h = await makeApp({ logger: { level: 'error', stream: logStream } });
  t.teardown(h.close);
  const { app } = h;
  const s = app.services;

  // seed: the demo roster (seats, users, knowledge base) and a few tickets, so :id hits real rows
  await seedDemo(s.db);
  s.seats.reload();
  const OP = { role: 'operator' as const, name: 'op1', userId: 11, seatId: '1001' };
  const ticketIds: number[] = [];
  for (const body of [
    { content: '家里水管漏水', callerNumber: '13800138000', callerName: '张三' },
    { content: '咨询低保申请条件', kind: 'immediate', category: 'consultation', callerNumber: '13900139000' },
    { content: '楼道灯坏了', kind: 'routed', category: 'community_life', street: 'xuhui-tianlin' },
    { content: '老人摔倒', kind: 'emergency', category: 'other', callerNumber: '13700137000' },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/tickets', headers: h.auth(OP), payload: body });
    t.equal(res.statusCode, 201, res.body);
    ticketIds.push(res.json().id);
  }
  ticketIds.push(s.tickets.create({ source: '12345', externalOrderId: 'SEED-1', callerNumber: '13600136000', content: '12345 转来' }, { name: 'system:12345', role: 'system' }).id);
  const syn = await app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: h.auth({ role: 'admin' }), payload: { terms: ['低保', '最低生活保障'] } });
  t.equal(syn.statusCode, 201, syn.body);
  const kbIds = (await app.inject({ method: 'GET', url: '/api/kb/entries?limit=500', headers: h.auth({ role: 'admin' }) })).json().items.map((e: { id: number }) => e.id) as number[];
  t.ok(kbIds.length > 0, 'the demo knowledge base is seeded');
  const real = {
    ints: [...new Set([...ticketIds, ...kbIds, syn.json().id, 2026, 2025])],
    strings: ['1001', '1002', 'street-xuhui-tianlin', 'no-such-seat', 'no-such-call', 'listen-1'],
  };

  // Without Asterisk the call routes answer 503 no_telephony by design; an empty call
  // service instead lets their own checks (404 no live call, 400 no queue...) run.
  s.callflow = loadCallflow();
  s.liveCalls = { ...NO_CALLS };
  s.listenIn = { stop: () => false } as unknown as Services['listenIn'];

  const secret = s.config.jwtSecret;
  const now = Math.floor(Date.now() / 1000);
  const claims = (role: string) => ({ sub: 99, username: `fuzz-${role}`, role, street: 'xuhui-tianlin', departmentId: 'social-assistance', seatId: null });
  const IDENTITIES: Record<string, string | undefined> = {
    admin: h.token({ role: 'admin', name: 'admin', userId: 1 }),
    supervisor: h.token({ role: 'supervisor', name: 'sup', userId: 2 }),
    street_seat: h.token({ role: 'street_seat', name: 'street-xuhui-tianlin', userId: 3, street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' }),
    none: undefined,
  };
  // one more per request, drawn by fast-check: the other roles and tokens that must be refused
  const OTHER: Record<string, string> = {
    operator: h.token(OP),
    department: h.token({ role: 'department', name: 'dept', userId: 4, departmentId: 'social-assistance' }),
    inspector: h.token({ role: 'inspector', name: 'insp', userId: 5 }),
    integration: h.token({ role: 'integration', name: '12345', userId: 6 }),
    forged: hs256({ ...claims('admin'), iat: now }, 'not-the-secret'),
    expired: hs256({ ...claims('admin'), iat: now - 86_400, exp: now - 3600 }, secret),
    alg_none: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims('admin'))).toString('base64url')}.`,
    garbage: 'not.a.jwt',
  };

  const fingerprint = fingerprinter(s.db);
  // the fingerprint must see the smallest write a 4xx could make: one audit row
  const unchanged = fingerprint();
  s.users.audit({ name: 'fingerprint-check', role: 'admin' }, 'fingerprint_check', null);
  t.not(fingerprint(), unchanged, 'one audit row changes the fingerprint');
  let ip = 0;
  const send = async (route: Route, url: string, payload: Payload | null, token: string | undefined, who: string) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = who === 'garbage' ? token : `Bearer ${token}`;
    if (payload?.contentType !== undefined) headers['content-type'] = payload.contentType;
    // a fresh client address each time: rate limits (login 10/min, answer 20/min) would
    // otherwise turn every later request into a 429 and hide the handlers
    const opts: InjectOptions = { method: route.method as InjectOptions['method'], url, headers, remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}` };
    if (payload && payload.text !== undefined && payload.text !== '') opts.payload = payload.text;
    const before = fingerprint();
    errors.length = 0;
    const res = await app.inject(opts);
    const key = `${route.method} ${route.path}`;
    const where = `${key} as ${who}: ${url} ${payload ? `[${payload.contentType}] ${String(payload.text).slice(0, 300)}` : ''}\n→ ${res.statusCode} ${res.body.slice(0, 300)}\n${errors.join('').slice(0, 2000)}`;
    if (process.env.FAULT_DEBUG && new RegExp(process.env.FAULT_DEBUG).test(key) && (who === 'admin' || who === 'supervisor')) console.error(`${who} ${res.statusCode} ${res.body.slice(0, 200)} <= ${payload?.text?.slice(0, 200)}`);
    if (res.statusCode >= 500 && !EXPECTED_5XX[key]) throw new Error(`5xx: ${where}`);
    if (res.statusCode >= 400 && res.statusCode < 500) {
      if (fingerprint() !== before) throw new Error(`a ${res.statusCode} changed the database: ${where}`);
      let body: { message?: unknown };
      try {
        body = res.json();
      } catch {
        throw new Error(`a ${res.statusCode} without a JSON body: ${where}`);
      }
      if (typeof body?.message !== 'string' || !body.message) throw new Error(`a ${res.statusCode} without a message: ${where}`);
    }
    for (const k of ['polluted', 'role', 'isAdmin']) {
      if (k in Object.prototype) throw new Error(`Object.prototype.${k} polluted by ${where}`);
    }
    return res.statusCode;
  };

  // every route the router holds is either swept (it is in the OpenAPI document) or skipped with a reason
  const documented = openApiRoutes(app);
  const documentedKeys = new Set(documented.map((r) => `${r.method} ${r.path}`));
  const skipped: string[] = [];
  for (const key of routerRoutes(app)) {
    if (documentedKeys.has(key)) continue;
    const reason = SKIP.find(([re]) => re.test(key));
    if (!reason) t.fail(`${key} is neither in the OpenAPI document nor skipped with a reason: add it to SKIP or document it`);
    else if (!key.startsWith('HEAD ')) skipped.push(`${key}: ${reason[1]}`);
  }
  const routes = documented.filter((r) => !SKIP.some(([re]) => re.test(`${r.method} ${r.path}`)));
  t.ok(routes.length >= 50, `${routes.length} JSON routes swept`);
  t.comment(`skipped (HEAD routes too):\n  ${[...new Set(skipped)].join('\n  ')}`);

  const statuses: Record<string, number> = {};
  for (const route of routes) {
    const pathParams = route.params.filter((p) => p.in === 'path');
    const arb = fc.record({
      segments: fc.tuple(...pathParams.map((p) => segmentArb(p, real))),
      query: queryArb(route.params),
      // routes with a body mostly get one; GET and DELETE get one now and then too
      body: route.body || !['GET', 'DELETE'].includes(route.method)
        ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 7, arbitrary: bodyArb(route.body) })
        : fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bodyArb(null) }),
      other: fc.constantFrom(...Object.keys(OTHER)),
    });
    await t.test(`${route.method} ${route.path}`, async (t) => {
      let n = 0;
      const seen: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(arb, async ({ segments, query, body, other }) => {
          let i = 0;
          const path = route.path.replace(/\{\w+\}/g, () => (segments as string[])[i++]);
          const url = query ? `${path}?${query}` : path;
          for (const [who, token] of [...Object.entries(IDENTITIES), [other, OTHER[other]] as const]) {
            const status = await send(route, url, body, token, who);
            statuses[status] = (statuses[status] ?? 0) + 1;
            seen[status] = (seen[status] ?? 0) + 1;
            n++;
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      t.pass(`${n} requests, no 5xx, every 4xx changed nothing: ${JSON.stringify(seen)}`);
    });
  }
  t.comment(`statuses: ${JSON.stringify(statuses)}`);

  // and the server is still fine
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  const integrity = s.db.$client.pragma('integrity_check', { simple: true });
  t.equal(integrity, 'ok', 'the database is intact');
});
