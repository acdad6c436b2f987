import t from 'tap';
import { makeApp } from './helpers/app.js';

t.test('health and auth guard', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  t.equal((await h.app.inject('/health')).statusCode, 200);
  t.equal((await h.app.inject('/ready')).statusCode, 503, 'no ARI -> not ready');
  t.equal((await h.app.inject('/api/tickets')).statusCode, 401);
  const r = await h.app.inject({ url: '/api/tickets', headers: h.auth({ role: 'supervisor' }) });
  t.equal(r.statusCode, 200);
  t.same(r.json(), { items: [], total: 0 });
});

t.test('OpenAPI docs are served from the routes\' schemas', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const r = await h.app.inject('/docs/json');
  t.equal(r.statusCode, 200);
  const doc = r.json();
  t.ok(doc.openapi, 'an OpenAPI document');
  for (const path of ['/api/tickets', '/api/auth/login', '/api/calendar/add-working-days', '/api/kb/search', '/api/integrations/12345/orders', '/api/seats/{id}/state']) {
    t.ok(doc.paths[path], `documents ${path}`);
  }
});

t.test('production refuses the default secrets', async (t) => {
  const { buildApp } = await import('../src/app.js');
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  t.teardown(() => {
    process.env.NODE_ENV = saved;
  });
  await t.rejects(buildApp({ telephony: false, jobs: false, logger: false, config: { dbPath: ':memory:' } }), /refusing to start in production.*JWT_SECRET/);
});
