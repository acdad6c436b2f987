// Security (#15): a session ends at once when its user is disabled, deleted, re-roled or
// logs out, on every request and on open websockets; sockets close when the token expires.
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { makeApp } from '../helpers/app.js';
import { connect } from '../helpers/ws-client.js';
import { seedDemo } from '../../src/seed/demo.js';

t.test('disable, delete, re-role and logout end every token of the user at once', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const users = h.app.services.users;
  const me = (token: string) => h.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

  const disabled = h.token({ role: 'operator', name: 'to-disable', userId: 201 });
  t.equal((await me(disabled)).statusCode, 200);
  users.setActive(201, false);
  t.equal((await me(disabled)).statusCode, 401, 'disabled: 401 at once');
  users.setActive(201, true);
  t.equal((await me(disabled)).statusCode, 401, 'enabled again: the old token stays dead (a new login is needed)');

  const deleted = h.token({ role: 'operator', name: 'to-delete', userId: 202 });
  t.ok(users.remove(202));
  t.equal((await me(deleted)).statusCode, 401, 'deleted: 401');

  const reroled = h.token({ role: 'supervisor', name: 'to-rerole', userId: 203 });
  t.equal((await h.app.inject({ url: '/api/audit', headers: { authorization: `Bearer ${reroled}` } })).statusCode, 200);
  users.changeRole(203, { role: 'operator' });
  t.equal((await h.app.inject({ url: '/api/audit', headers: { authorization: `Bearer ${reroled}` } })).statusCode, 401, 're-roled: the supervisor token is dead');

  await users.create({ username: 'logs-out', password: 'a-long-password-1', role: 'operator' });
  const login = async () => (await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'logs-out', password: 'a-long-password-1' } })).json().token as string;
  const [a, b] = [await login(), await login()];
  t.equal((await me(a)).statusCode, 200);
  const out = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${a}` } });
  t.equal(out.statusCode, 204);
  t.equal((await me(a)).statusCode, 401, 'logged out: 401');
  t.equal((await me(b)).statusCode, 401, "and the user's other sessions too");
  t.equal((await me(await login())).statusCode, 200, 'a new login works');
  t.equal((await h.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode, 401, 'logout needs a token');
});

t.test('open websockets: closed 4401 on disable, re-role, logout and at token expiry; stale sockets closed on their next message', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  await seedDemo(h.app.services.db);
  h.app.services.seats.reload();
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as AddressInfo).port;
  const users = h.app.services.users;
  const wall = (token: string) => connect(`ws://127.0.0.1:${port}/ws/supervisor?token=${token}`);
  const desk = (token: string) => connect(`ws://127.0.0.1:${port}/ws/seat?token=${token}`);

  const sup = h.token({ role: 'supervisor', name: 'ws-sup', userId: 301 });
  const c1 = await wall(sup);
  await c1.next('snapshot');
  users.setActive(301, false);
  t.equal(await c1.closed, 4401, 'disabled: the wallboard socket is closed at once');

  const op = h.token({ role: 'operator', name: 'ws-op', userId: 302, seatId: '1001' });
  const c2 = await desk(op);
  await c2.next('hello');
  users.changeRole(302, { role: 'operator', seatId: '1002' });
  t.equal(await c2.closed, 4401, 're-seated: the desk socket is closed');

  const op2 = h.token({ role: 'operator', name: 'ws-op2', userId: 303, seatId: '1002' });
  const c3 = await desk(op2);
  await c3.next('hello');
  await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${op2}` } });
  t.equal(await c3.closed, 4401, 'logout closes the desk socket');

  const short = h.token({ role: 'supervisor', name: 'ws-short', userId: 304 }, { expiresIn: '2s' });
  const c4 = await wall(short);
  await c4.next('snapshot');
  const opened = Date.now();
  t.equal(await c4.closed, 4401, 'closed when the token expires');
  t.ok(Date.now() - opened < 3500, `within the token's life (${Date.now() - opened} ms)`);

  // a version bumped behind the server's back (another instance, a direct DB edit): the next message closes it
  const sup2 = h.token({ role: 'supervisor', name: 'ws-sup2', userId: 305 });
  const c5 = await wall(sup2);
  await c5.next('snapshot');
  h.app.services.db.$client.prepare('UPDATE users SET token_version = token_version + 1 WHERE id = 305').run();
  c5.ws.send('ping');
  t.equal(await c5.closed, 4401, 'a stale token: closed on its next message');

  // a revoked token cannot open a socket either
  const c6 = await wall(sup).catch(() => null);
  t.equal(c6 && (await c6.closed), 4401, 'a dead token is refused with 4401');
});
