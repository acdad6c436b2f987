// Security (#15): what an attacker tries first. Encoded paths, tokens where they do not
// belong, spoofed client addresses, password guessing, secrets and modes, headers,
// /metrics and /docs, and input the database and its readers cannot take.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { makeApp } from '../helpers/app.js';
import { buildApp } from '../../src/app.js';
import { assertProductionSecrets, loadConfig, modeOf } from '../../src/config.js';

const hs256 = (payload: object, secret: string) => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

t.test('authentication is decided on the matched route: encoded and odd paths get 401 or 404, never data', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const paths = [
    '/%61pi/queues',
    '/%61%70%69/tickets',
    '/api/%74ickets',
    '/api/tickets%3Flimit=1',
    '/api/tickets/',
    '//api/tickets',
    '/api//tickets',
    '/api/./tickets',
    '/api/x/../tickets',
    '/API/tickets',
    '/api/tickets;jsessionid=1',
    '/api/tickets/1',
    '/api/tickets/%31',
    '/api/audit',
    '/%2561pi/queues',
    '/api/stats/tickets',
    '/api/auth/me',
    '/api/seats',
  ];
  for (const url of paths) {
    const r = await h.app.inject({ method: 'GET', url });
    t.ok([401, 404].includes(r.statusCode), `${url}: ${r.statusCode}`);
    t.notMatch(r.body, /"items"|"callerNumber"|"queues"/, `${url}: no data`);
  }
  const decoded = await h.app.inject({ method: 'GET', url: '/%61pi/queues' });
  t.equal(decoded.statusCode, 401, '/%61pi/queues is /api/queues, and needs a token');
  t.equal((await h.app.inject({ method: 'POST', url: '/%61pi/tickets', payload: { content: 'x' } })).statusCode, 401);
});

t.test('tokens only in the Authorization header; ?token= opens nothing but a websocket', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const token = h.token({ role: 'supervisor' });
  t.equal((await h.app.inject({ url: `/api/tickets?token=${token}` })).statusCode, 401, '?token= on an API route: 401');
  t.equal((await h.app.inject({ url: `/api/tickets`, headers: { cookie: `token=${token}` } })).statusCode, 401, 'a cookie: 401');
  t.equal((await h.app.inject({ url: `/api/tickets`, headers: { authorization: token } })).statusCode, 401, 'no Bearer: 401');
  t.equal((await h.app.inject({ url: `/api/tickets`, headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'the header: 200');
  // a public KB route read with a bad token is refused rather than taken for a citizen
  t.equal((await h.app.inject({ url: '/api/kb/search?q=低保', headers: { authorization: 'Bearer x.y.z' } })).statusCode, 401);
});

t.test('forged tokens: a published constant, a user that does not exist, a stale version', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 1, username: 'supervisor', role: 'supervisor', street: null, departmentId: null, seatId: null, ver: 0, iat: now };
  for (const secret of ['dev-only-jwt-secret-change-me', 'secret', '']) {
    t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${hs256(claims, secret)}` } })).statusCode, 401, `signed with ${JSON.stringify(secret)}`);
  }
  const real = h.app.services.config.jwtSecret;
  t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${hs256({ ...claims, sub: 424242 }, real)}` } })).statusCode, 401, 'no such user');
  const user = h.token({ role: 'supervisor', name: 'sup', userId: 7 });
  t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${user}` } })).statusCode, 200);
  t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${hs256({ ...claims, sub: 7, username: 'sup', ver: 5 }, real)}` } })).statusCode, 401, 'another version');
  t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${hs256({ ...claims, sub: 7, username: 'sup', role: 'admin' }, real)}` } })).statusCode, 401, 'another role');
});

t.test('rate limits key on the real client address: X-Forwarded-For is ignored unless TRUST_PROXY names the hops', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) {
    const r = await h.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.1.1.1', headers: { 'x-forwarded-for': `203.0.113.${i}` }, payload: { username: `nobody${i}`, password: 'x' } });
    statuses.push(r.statusCode);
  }
  t.same(statuses.slice(0, 10), Array(10).fill(401), 'ten tries a minute');
  t.same(statuses.slice(10), Array(4).fill(429), 'then 429, whatever X-Forwarded-For says');

  const proxied = await makeApp({ config: { trustProxy: ['10.9.9.9'] } });
  t.teardown(proxied.close);
  const through = async (client: string, from = '10.9.9.9') => (await proxied.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, headers: { 'x-forwarded-for': client }, payload: { username: `u-${client}`, password: 'x' } })).statusCode;
  for (let i = 0; i < 10; i++) await through('198.51.100.1');
  t.equal(await through('198.51.100.1'), 429, 'behind the trusted proxy: the client it names is limited');
  t.equal(await through('198.51.100.2'), 401, 'another client behind it is not');
  for (let i = 0; i < 10; i++) await through(`192.0.2.${i}`, '10.8.8.8');
  t.equal(await through('192.0.2.99', '10.8.8.8'), 429, 'an untrusted sender of X-Forwarded-For is limited as itself');
  t.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY=true/, 'trusting every hop is refused');
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
});

t.test('per-account login limit with growing delays, from any address', async (t) => {
  const clock = { now: Date.parse('2026-12-01T02:00:00Z') };
  const h = await makeApp({ now: () => clock.now });
  t.teardown(h.close);
  await h.app.services.users.create({ username: 'victim', password: 'right-password-123', role: 'operator' });
  let ip = 0;
  const login = (password: string) => h.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.2.0.${++ip}`, payload: { username: 'victim', password } });
  for (let i = 0; i < 5; i++) t.equal((await login('guess')).statusCode, 401, `guess ${i + 1}: 401`);
  const locked = await login('right-password-123');
  t.equal(locked.statusCode, 429, 'after 5 failures even the right password waits');
  t.equal(locked.headers['retry-after'], '1');
  t.match(locked.json().message, /锁定/);
  clock.now += 1100;
  t.equal((await login('guess')).statusCode, 401, 'after the delay a guess is checked again');
  const second = await login('guess');
  t.equal(second.statusCode, 429);
  t.equal(second.headers['retry-after'], '2', 'and the next delay is twice as long');
  clock.now += 2100;
  t.equal((await login('right-password-123')).statusCode, 200, 'the right password after the delay');
  t.equal((await login('guess')).statusCode, 401, 'a success resets the count');
});

t.test('anonymous routes are limited per address', async (t) => {
  const h = await makeApp({ config: { limits: { anonymousPerMinute: 5, callerProbesPer10Min: 60, connectionsPerClient: 256, smtpConnectionsPerClient: 5, requestTimeoutMs: 30_000 } } });
  t.teardown(h.close);
  for (const url of ['/health', '/ready', '/wallboard', '/desk']) {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await h.app.inject({ url, remoteAddress: '10.3.0.1' })).statusCode);
    t.equal(codes.at(-1), 429, `${url}: the 6th request in a minute is 429 (${codes})`);
    t.not((await h.app.inject({ url, remoteAddress: '10.3.0.2' })).statusCode, 429, `${url}: another address is not limited`);
  }
  const files: number[] = [];
  for (let i = 0; i < 51; i++) files.push((await h.app.inject({ url: '/web/js/common.js', remoteAddress: '10.3.0.3' })).statusCode);
  t.equal(files[49], 200, "the pages' files: ten times the limit (a page is several files)");
  t.equal(files[50], 429);
  const routes = [...h.app.routeTable.entries()].filter(([, r]) => r.public).map(([k]) => k);
  t.ok(routes.length >= 8, `${routes.length} anonymous routes, each with a limit`);
  // the routes with a limit of their own keep it (the knowledge-base search: 300 a minute)
  const codes: number[] = [];
  for (let i = 0; i < 301; i++) codes.push((await h.app.inject({ url: '/api/kb/search?q=低保', remoteAddress: '10.3.0.9' })).statusCode);
  t.equal(codes.at(-1), 429, 'the search: its own 300 a minute');
});

t.test('modes and secrets: anything but development/test is production, every secret checked', async (t) => {
  for (const v of ['production', 'Production', 'PRODUCTION', 'prod', 'staging', ' live ', 'developmnet']) t.equal(modeOf(v), 'production', `NODE_ENV=${JSON.stringify(v)}`);
  for (const v of ['development', 'Development', ' DEVELOPMENT ', undefined, '']) t.equal(modeOf(v), 'development', `NODE_ENV=${JSON.stringify(v)}`);
  for (const v of ['test', 'TEST', 'Test']) t.equal(modeOf(v), 'test');
  const good = { JWT_SECRET: 'k7Qz!x9R#m2Lp4Vw8Ys6Tb1Nc3Hd5Fg0J', INTEGRATION_12345_SECRET: 'a9F3kL2mQ8zX1cV7bN4hJ6gT0rY5wE2u', ARI_PASSWORD: 'Vq3Lk9Zt2Mx8Rb4Wp' };
  t.doesNotThrow(() => assertProductionSecrets(loadConfig({ NODE_ENV: 'prod', ...good })), 'strong secrets start');
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['no JWT_SECRET', { ...good, JWT_SECRET: '' }, /JWT_SECRET \(missing\)/],
    ['a short JWT_SECRET', { ...good, JWT_SECRET: 'short-secret' }, /JWT_SECRET \(shorter/],
    ['a repetitive JWT_SECRET', { ...good, JWT_SECRET: 'a'.repeat(40) }, /JWT_SECRET/],
    ['an empty 12345 secret', { ...good, INTEGRATION_12345_SECRET: '' }, /INTEGRATION_12345_SECRET/],
    ['the dev 12345 secret', { ...good, INTEGRATION_12345_SECRET: 'dev-only-12345-secret' }, /INTEGRATION_12345_SECRET/],
    ['no ARI password', { ...good, ARI_PASSWORD: '' }, /ARI_PASSWORD/],
    ['the dev ARI password', { ...good, ARI_PASSWORD: 'hotline-dev-secret' }, /ARI_PASSWORD/],
    ['a weak METRICS_TOKEN', { ...good, METRICS_TOKEN: 'metrics' }, /METRICS_TOKEN/],
  ];
  for (const [what, env, re] of cases) t.throws(() => assertProductionSecrets(loadConfig({ NODE_ENV: 'Production', ...env })), re, what);
  const dir = mkdtempSync(join(tmpdir(), 'hotline-sec-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'Prod';
  try {
    await t.rejects(buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath: join(dir, 'p.db') } }), /refusing to start in production/, 'buildApp refuses NODE_ENV=Prod without secrets');
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
  t.equal(loadConfig({}).host, '127.0.0.1', 'development listens on loopback by default');
  t.equal(loadConfig({}).smtp.host, '127.0.0.1', 'and so does its SMTP listener');
  t.equal(loadConfig({ NODE_ENV: 'production' }).host, '0.0.0.0');
});

t.test('development generates its JWT secret at first start, beside the database, and keeps it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-sec-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const opts = { telephony: false, jobs: false, logger: false as const, config: { dbPath: join(dir, 'hotline.db'), filesDir: join(dir, 'files'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } };
  const a = await buildApp(opts);
  const secret = a.services.config.jwtSecret;
  await a.close();
  const file = join(dir, 'jwt-secret');
  t.ok(existsSync(file));
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
  t.equal(readFileSync(file, 'utf8').trim(), secret);
  t.ok(secret.length >= 48, 'long and random');
  const b = await buildApp(opts);
  t.equal(b.services.config.jwtSecret, secret, 'the same secret after a restart');
  await b.close();
});

t.test('security headers on pages and API; /metrics behind METRICS_TOKEN or loopback; /docs configurable', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  for (const url of ['/wallboard', '/desk', '/web/js/common.js', '/api/tickets', '/health']) {
    const r = await h.app.inject({ url });
    const csp = String(r.headers['content-security-policy']);
    t.match(csp, /script-src 'self'(;|$)/, `${url}: scripts from the server only`);
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, `${url}: no inline script or style`);
    t.match(csp, /frame-ancestors 'none'/);
    t.equal(r.headers['x-content-type-options'], 'nosniff');
    t.equal(r.headers['referrer-policy'], 'no-referrer');
  }
  for (const page of ['web/desk.html', 'web/wallboard.html']) {
    const html = readFileSync(page, 'utf8');
    t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${page}: no inline <script>`);
    t.notMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${page}: no inline style or handlers`);
  }
  t.equal((await h.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 200, 'loopback may scrape without a token');
  t.equal((await h.app.inject({ url: '/metrics', remoteAddress: '10.0.0.5' })).statusCode, 401, 'another address may not');
  t.equal((await h.app.inject({ url: '/metrics', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode, 401, 'not even claiming to be loopback');

  const token = 'm3tr1cs-T0ken-for-the-scraper-0123456789';
  const m = await makeApp({ config: { metricsToken: token, docsEnabled: false } });
  t.teardown(m.close);
  t.equal((await m.app.inject({ url: '/metrics', remoteAddress: '10.0.0.5', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'the token opens it');
  t.equal((await m.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 401, 'with a token set, loopback needs it too');
  t.equal((await m.app.inject({ url: '/metrics', remoteAddress: '10.0.0.5', headers: { authorization: `Bearer ${token}x` } })).statusCode, 401);
  t.equal((await m.app.inject({ url: '/docs' })).statusCode, 404, 'DOCS_ENABLED=false: no /docs');
  t.not((await h.app.inject({ url: '/docs' })).statusCode, 404, '/docs by default in development');
  t.equal(loadConfig({ NODE_ENV: 'production' }).docsEnabled, false, 'off by default in production');
  t.equal(loadConfig({ NODE_ENV: 'production', DOCS_ENABLED: 'true' }).docsEnabled, true);
});

t.test('strict input: invalid Unicode, control and invisible-only text, huge integers, impossible dates → 400 naming the field, nothing stored', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const op = h.auth({ role: 'operator', seatId: '1001' });
  const count = () => h.app.services.tickets.list({}).total;
  const before = count();
  const bodies: Array<[string, string, RegExp]> = [
    ['a lone surrogate', '{"content":"漏水\\ud800"}', /content 含有无效的 Unicode/],
    ['a NUL', '{"content":"a\\u0000b"}', /content 含有控制字符/],
    ['zero-width only', '{"content":"\\u200b\\u200b"}', /content 只含不可见字符/],
    ['a Hangul filler', '{"content":"\\u3164"}', /content 只含不可见字符/],
    ['a bidi mark and spaces', '{"content":" \\u202e "}', /content/],
    ['an unsafe parent id', '{"content":"x","parentTicketId":9007199254740993}', /parentTicketId/],
    ['a lone surrogate in a key', '{"content":"x","\\udc00":1}', /字段名|additional/],
  ];
  for (const [what, payload, re] of bodies) {
    const r = await h.app.inject({ method: 'POST', url: '/api/tickets', headers: { ...op, 'content-type': 'application/json' }, payload });
    t.equal(r.statusCode, 400, `${what}: 400`);
    t.match(r.json().message, re, `${what}: ${r.json().message}`);
  }
  t.equal(count(), before, 'nothing stored');
  for (const url of ['/api/tickets?from=2026-02-30', '/api/tickets?to=2026-13-01', '/api/tickets?from=2026-02-28T25:00:00Z', '/api/tickets/99999999999999999999', '/api/tickets?offset=1e400', '/api/tickets?status=%E2%80%8B', '/api/audit?from=2025-02-29']) {
    const r = await h.app.inject({ url, headers: h.auth({ role: 'supervisor' }) });
    t.equal(r.statusCode, 400, `${url}: ${r.statusCode} ${r.json().message}`);
  }
});

t.test('slow bodies time out; one address holds a bounded number of connections', async (t) => {
  const h = await makeApp({ config: { limits: { anonymousPerMinute: 300, callerProbesPer10Min: 60, connectionsPerClient: 3, smtpConnectionsPerClient: 5, requestTimeoutMs: 600 } } });
  t.teardown(h.close);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as import('node:net').AddressInfo).port;
  const { connect } = await import('node:net');
  const open = () =>
    new Promise<import('node:net').Socket>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
  const closedWithin = (s: import('node:net').Socket, ms: number) =>
    new Promise<{ closed: boolean; data: string }>((resolve) => {
      let data = '';
      s.on('data', (d) => (data += d));
      const timer = setTimeout(() => resolve({ closed: false, data }), ms);
      s.once('close', () => {
        clearTimeout(timer);
        resolve({ closed: true, data });
      });
    });
  // a body that never finishes
  const slow = await open();
  slow.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user');
  const started = Date.now();
  const cut = await closedWithin(slow, 5000);
  t.ok(cut.closed, `the slow body was cut off after ${Date.now() - started} ms`);
  t.match(cut.data, /^HTTP\/1\.1 408|^$/, 'with 408 (or just closed)');

  const held = [await open(), await open(), await open()];
  const fourth = await open();
  t.ok((await closedWithin(fourth, 2000)).closed, 'a fourth connection from the same address is closed at once');
  held.forEach((s) => s.destroy());
  await new Promise((r) => setTimeout(r, 100));
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  t.equal(res.status, 200, 'with the others gone, the address is served again');
});
