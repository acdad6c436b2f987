// Security (#15): the role × route matrix, generated from the OpenAPI document. Every
// route, as nobody, with bad tokens and as every role: an anonymous request to a route
// that is not public is 401; a role outside a route's declared roles (requireRole) is
// 403; nothing is ever a 5xx. Finer role rules inside handlers (lifecycle actions, KB
// steps) have their own tests (test/tickets/role-matrix.test.ts, test/kb/lifecycle.test.ts).
import t from 'tap';
import { NO_CALLS } from '../../src/calls/query.js';
import type { InjectOptions } from 'fastify';
import { makeApp } from '../helpers/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { loadCallflow } from '../../src/calls/callflow-config.js';
import { systemActor } from '../../src/shared/actor.js';
import type { Services } from '../../src/services.js';
import type { Role } from '../../src/auth/services.js';

/** The one 5xx by design: /ready without Asterisk. */
const DESIGNED_5XX = new Set(['GET /ready']);
/** Public to tokens but with credentials of their own: without them, 401 for everyone. */
// signed by 12345 (X-Signature), not by a user's token
const OWN_CREDENTIALS = new Set(['POST /api/integrations/12345/orders', 'POST /api/integrations/12345/orders/:orderId/urge']);
const PARAMS: Record<string, string> = { id: '1', year: '2026', action: 'submit', listenId: 'l-1' };

t.test('every route × every role, from the OpenAPI document', async (t) => {
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

  const roles: Record<Role, Parameters<typeof h.token>[0]> = {
    operator: { role: 'operator', name: 'm-op', userId: 601, seatId: '1001' },
    street_seat: { role: 'street_seat', name: 'm-street', userId: 602, street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' },
    department: { role: 'department', name: 'm-dept', userId: 603, departmentId: 'social-assistance' },
    supervisor: { role: 'supervisor', name: 'm-sup', userId: 604 },
    inspector: { role: 'inspector', name: 'm-insp', userId: 605 },
    admin: { role: 'admin', name: 'm-admin', userId: 606 },
    integration: { role: 'integration', name: 'm-12345', userId: 607 },
    quality: { role: 'quality', name: 'm-quality', userId: 609 },
  };
  const sign = () => Object.fromEntries(Object.entries(roles).map(([r, a]) => [r, h.token(a)])) as Record<Role, string>;
  let tokens = sign();
  const revoked = h.token({ role: 'supervisor', name: 'm-revoked', userId: 608 });
  s.users.setActive(608, false);
  const bad: Record<string, string> = { garbage: 'Bearer not.a.jwt', revoked: `Bearer ${revoked}`, basic: 'Basic YWRtaW46YWRtaW4=', empty: 'Bearer ' };

  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}` })),
  );
  t.ok(routes.length >= 50, `${routes.length} routes in the OpenAPI document`);
  // every authenticated route the router holds is in the document, so the matrix covers it
  const undocumented = [...h.app.routeTable.entries()].filter(([k, r]) => !r.public && !k.startsWith('HEAD ') && !/ \/ws\//.test(k) && !routes.some((x) => x.key === k)).map(([k]) => k);
  t.same(undocumented, [], 'no authenticated route is missing from the document');

  let ip = 0;
  const send = (method: string, url: string, authorization?: string) => {
    const opts: InjectOptions = { method: method as InjectOptions['method'], url, remoteAddress: `10.60.${(ip >> 8) & 255}.${ip++ & 255}`, headers: authorization ? { authorization } : {} };
    if (['POST', 'PUT', 'PATCH'].includes(method)) opts.payload = {};
    return h.app.inject(opts);
  };
  const cells: string[] = [];
  for (const r of routes) {
    const url = r.path.replace(/\{(\w+)\}/g, (_m, name: string) => PARAMS[name] ?? 'x');
    const entry = h.app.routeTable.get(r.key);
    t.ok(entry, `${r.key} is in the route table`);
    const isPublic = !!entry?.public;
    if (OWN_CREDENTIALS.has(r.key)) {
      for (const header of [undefined, ...Object.values(bad), ...Object.values(tokens).map((x) => `Bearer ${x}`)]) t.equal((await send(r.method, url, header)).statusCode, 401, `${r.key}: 401 without its own credentials`);
      continue;
    }
    const anon = await send(r.method, url);
    if (isPublic) t.not(anon.statusCode, 401, `${r.key} anonymous (public): ${anon.statusCode}`);
    else t.equal(anon.statusCode, 401, `${r.key} anonymous: 401`);
    for (const [what, header] of Object.entries(bad)) {
      const res = await send(r.method, url, header);
      // a public route answers a bad token as if it had none, or refuses it: never with data of the token's user
      if (!isPublic) t.equal(res.statusCode, 401, `${r.key} ${what} token: 401`);
      else t.ok(res.statusCode < 500 || DESIGNED_5XX.has(r.key), `${r.key} ${what} token: ${res.statusCode}`);
    }
    for (const role of Object.keys(roles) as Role[]) {
      const res = await send(r.method, url, `Bearer ${tokens[role]}`);
      const code = res.statusCode;
      const allowed = entry?.roles ? entry.roles.includes(role) : true;
      cells.push(`${r.key} ${role} ${code}`);
      t.not(code, 401, `${r.key} as ${role}: not 401`);
      if (!DESIGNED_5XX.has(r.key)) t.ok(code < 500, `${r.key} as ${role}: ${code} is not a 5xx`);
      if (!allowed) t.equal(code, 403, `${r.key} as ${role}: 403 (for ${entry!.roles!.join(', ')})`);
    }
    // logging out ended each role's session: new logins for the routes after it
    if (r.key === 'POST /api/auth/logout') tokens = sign();
  }
  t.ok(cells.length >= (routes.length - OWN_CREDENTIALS.size) * 7, `${cells.length} role × route cells`);
});
