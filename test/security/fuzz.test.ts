// Security (#15): fast-check over every JSON route and every query string in the OpenAPI
// document, as a supervisor, an operator and an admin. Properties per request:
//   - never a 5xx (the designed 503 of /ready without Asterisk aside);
//   - a 4xx changes nothing in the database (audit rows included);
//   - a request carrying a poisoned value (a lone surrogate, a control character,
//     invisible-only text, an integer past 2^53, an impossible date) is never a 2xx.
// SECURITY_RUNS=n runs more cases per route (default 12); SECURITY_SEED=n replays one.
import t from 'tap';
import { NO_CALLS } from '../../src/calls/query.js';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { makeApp } from '../helpers/app.js';
import { fingerprinter } from '../faults/_db.js';
import { seedDemo } from '../../src/seed/demo.js';
import { loadCallflow } from '../../src/calls/callflow-config.js';
import { systemActor } from '../../src/shared/actor.js';
import type { Services } from '../../src/services.js';

const RUNS = Number(process.env.SECURITY_RUNS ?? 12);
const SEED = process.env.SECURITY_SEED ? Number(process.env.SECURITY_SEED) : undefined;
const DESIGNED_5XX = new Set(['GET /ready']);
const PARAMS: Record<string, string> = { id: '1', year: '2026', action: 'submit', listenId: 'l-1' };
/** signed by 12345, not by a user: its own fuzzing is test/faults/twelve345-orders.test.ts */
const SKIP = new Set(['POST /api/integrations/12345/orders', 'POST /api/auth/logout']);

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  format?: string;
  items?: Schema;
}

/** A plausible value for a schema: enough to get past the schema often, so the poison is what is judged. */
function sample(s: Schema | undefined, name = ''): unknown {
  if (!s) return 'x';
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0], name);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => sample(x, name) as object));
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k)) out[k] = sample(v, k);
      return out;
    }
    case 'array':
      return [sample(s.items, name)];
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      if (s.format === 'date' || /^(from|to|day)$/.test(name)) return '2026-12-01';
      if (/number|phone/i.test(name)) return '13800138000';
      if (/email/i.test(name)) return 'a@example.org';
      return '测试内容'.padEnd(Math.max(4, s.minLength ?? 0), '内');
  }
}

/** Values nothing should store or act on. */
const poison = fc.constantFrom<unknown>('\ud800', 'a\udc00b', 'x\u0000y', '\u0007', '\u200b\u200b', '\u3164', ' \u202e\u2060 ', 2 ** 53 + 2, -(2 ** 60), '2026-02-30', '2026-13-01', '2026-02-28T25:61:00Z', '2025-02-29');
const poisonText = ['%00', '%01x', '%E2%80%8B', '%E3%85%A4', '%20%E2%80%AE%20', '2026-02-30', '2026-13-01', '2026-02-28T25%3A61%3A00Z'];
// digits are fine text; in a number parameter they are out of range
const poisonNumber = ['99999999999999999999', '-99999999999999999999', '1e400', '9007199254740993'];
const isNumeric = (p: { schema?: Schema }) => [p.schema?.type, ...(p.schema?.anyOf ?? []).map((a) => a.type)].flat().some((x) => x === 'integer' || x === 'number');
/** Anything else at all, for "no 5xx, no change on 4xx". */
const anyBody = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 200 }));
const anyQueryValue = fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.integer().map(String), fc.constantFrom('', '%', '%zz', '[]', 'true', '-1', '0', '1e3', '%2561'));

t.test('fuzzing every JSON route and query string: no 5xx, no change on 4xx, poison never taken', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  s.callflow = loadCallflow();
  s.listenIn = { stop: () => false } as unknown as Services['listenIn'];
  // telephony up with no live calls (NO_CALLS itself means no telephony: 503)
  s.liveCalls = { ...NO_CALLS };
  s.tickets.create({ source: 'phone', callerNumber: '13800138000', callerName: '张三', content: '水管漏水' }, systemActor('test'));
  const who = {
    supervisor: h.token({ role: 'supervisor', name: 'f-sup', userId: 701 }),
    operator: h.token({ role: 'operator', name: 'f-op', userId: 702, seatId: '1001' }),
    admin: h.token({ role: 'admin', name: 'f-admin', userId: 703 }),
  };
  const fingerprint = fingerprinter(s.db);

  const doc = h.app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: Schema }>; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> };
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => ({
        method: m.toUpperCase(),
        path,
        key: `${m.toUpperCase()} ${path}`,
        url: path.replace(/\{(\w+)\}/g, (_x, name: string) => PARAMS[name] ?? 'x'),
        body: op.requestBody?.content?.['application/json']?.schema,
        query: (op.parameters ?? []).filter((p) => p.in === 'query'),
      }))
      .filter((r) => !SKIP.has(r.key)),
  );
  const withBody = routes.filter((r) => r.body);
  const withQuery = routes.filter((r) => r.query.length);
  t.ok(withBody.length >= 30, `${withBody.length} routes take a JSON body`);
  t.ok(withQuery.length >= 10, `${withQuery.length} routes take a query string`);

  let ip = 0;
  let requests = 0;
  const send = async (method: string, url: string, role: keyof typeof who, payload?: string) => {
    requests++;
    const opts: InjectOptions = { method: method as InjectOptions['method'], url, remoteAddress: `10.70.${(ip >> 8) & 255}.${ip++ & 255}`, headers: { authorization: `Bearer ${who[role]}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) } };
    if (payload !== undefined) opts.payload = payload;
    return h.app.inject(opts);
  };
  const role = fc.constantFrom<keyof typeof who>('supervisor', 'operator', 'admin');
  /** the property for one request: fails with what was sent and got */
  const judge = async (key: string, method: string, url: string, r: keyof typeof who, payload: string | undefined, poisoned: boolean) => {
    const before = fingerprint();
    const res = await send(method, url, r, payload);
    const what = `${key} as ${r} ${url} ${payload?.slice(0, 200) ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`;
    if (res.statusCode >= 500 && !DESIGNED_5XX.has(key)) throw new Error(`5xx: ${what}`);
    if (res.statusCode >= 400 && res.statusCode < 500 && fingerprint() !== before) throw new Error(`a ${res.statusCode} changed the database: ${what}`);
    if (poisoned && res.statusCode < 300) throw new Error(`poison taken: ${what}`);
  };

  for (const r of withBody) {
    const base = sample(r.body) as Record<string, unknown>;
    const fields = Object.keys(r.body?.properties ?? {});
    await t.test(`${r.key}: bodies`, async (t) => {
      await fc.assert(
        fc.asyncProperty(role, fc.constantFrom(...(fields.length ? fields : ['extra'])), poison, async (who, field, bad) => {
          const payload = JSON.stringify({ ...(typeof base === 'object' ? base : {}), [field]: bad });
          // JSON.stringify writes a lone surrogate as an escape, which is how an attacker would send it
          await judge(r.key, r.method, r.url, who, payload, true);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      await fc.assert(
        fc.asyncProperty(role, anyBody, async (who, body) => judge(r.key, r.method, r.url, who, typeof body === 'string' ? body : JSON.stringify(body), false)),
        { numRuns: RUNS, seed: SEED },
      );
      t.pass(`${RUNS * 2} requests`);
    });
  }
  for (const r of withQuery) {
    const names = r.query.map((p) => p.name);
    const poisoned = fc.constantFrom(...r.query).chain((p) => fc.tuple(fc.constant(p.name), fc.constantFrom(...poisonText, ...(isNumeric(p) ? poisonNumber : []))));
    await t.test(`${r.key}: query strings`, async (t) => {
      await fc.assert(
        fc.asyncProperty(role, poisoned, async (who, [name, bad]) => judge(r.key, r.method, `${r.url}?${name}=${bad}`, who, r.body ? JSON.stringify(sample(r.body)) : undefined, true)),
        { numRuns: RUNS, seed: SEED },
      );
      await fc.assert(
        fc.asyncProperty(role, fc.dictionary(fc.constantFrom(...names, 'token', '__proto__', 'x'), anyQueryValue, { maxKeys: 4 }), async (who, q) => {
          const qs = Object.entries(q).map(([k, v]) => `${k}=${v}`).join('&');
          await judge(r.key, r.method, `${r.url}?${qs}`, who, r.body ? JSON.stringify(sample(r.body)) : undefined, false);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      t.pass(`${RUNS * 2} requests`);
    });
  }
  t.ok(requests > 1000, `${requests} requests`);
});
