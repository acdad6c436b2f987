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
