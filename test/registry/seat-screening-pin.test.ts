import t from 'tap';
import { verifyPassword } from '../../src/auth/password.js';
import { seedDemo, DEMO_SEAT_PIN } from '../../src/seed/demo.js';
import { makeApp } from '../helpers/app.js';

// The admin's side of remote seats (#20): screening on by default for street seats and
// switchable per seat; the seat-state phone line's PIN set by an admin, stored hashed.

t.test('screening per seat, PIN hashed, bad PIN refused naming the field; desk state changes audited', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  const admin = h.auth({ role: 'admin' });
  const seeded = s.seats.get('street-xuhui-tianlin')!;
  t.equal(seeded.screening, true, 'demo street seats are screened');
  t.ok(seeded.pinHash && (await verifyPassword(DEMO_SEAT_PIN, seeded.pinHash)), 'the demo PIN, hashed');
  t.equal(s.seats.get('1001')?.screening, false, 'a center seat is not');

  const created = await h.app.inject({ method: 'POST', url: '/api/seats', headers: admin, payload: { id: 'street-new', name: '新街道远程坐席', kind: 'street', dial: 'PJSIP/02164001999@street-gw', street: 'xuhui-tianlin', pin: '4321' } });
  t.equal(created.statusCode, 201);
  t.match(created.json(), { screening: true, hasPin: true });
  t.notOk('pinHash' in created.json() || JSON.stringify(created.json()).includes('scrypt'), 'the PIN never leaves the server');
  t.not(s.seats.get('street-new')?.pinHash, '4321');

  const off = await h.app.inject({ method: 'PATCH', url: '/api/seats/street-new', headers: admin, payload: { screening: false, pin: '98765' } });
  t.equal(off.statusCode, 200);
  t.match(off.json(), { screening: false, hasPin: true });
  t.ok(await verifyPassword('98765', s.seats.get('street-new')!.pinHash!));
  const bad = await h.app.inject({ method: 'PATCH', url: '/api/seats/street-new', headers: admin, payload: { pin: '12a4' } });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /pin/);
  t.ok(await verifyPassword('98765', s.seats.get('street-new')!.pinHash!), 'a refused change changes nothing');
  const cleared = await h.app.inject({ method: 'PATCH', url: '/api/seats/street-new', headers: admin, payload: { pin: null } });
  t.match(cleared.json(), { hasPin: false });
  t.equal(s.seats.byNumber('02164001999')?.id, 'street-new', 'the phone line finds the seat by its number');
  const operator = await h.app.inject({ method: 'PATCH', url: '/api/seats/street-new', headers: h.auth({ role: 'supervisor' }), payload: { pin: '1111' } });
  t.equal(operator.statusCode, 403, 'only an admin sets PINs');

  const agent = h.auth({ name: 'street-xuhui-tianlin', role: 'street_seat', street: 'xuhui-tianlin', seatId: 'street-xuhui-tianlin' });
  t.equal((await h.app.inject({ method: 'POST', url: '/api/seats/street-xuhui-tianlin/state', headers: agent, payload: { state: 'ready' } })).statusCode, 200);
  const audit = (await h.app.inject({ url: '/api/audit?action=seat_state', headers: h.auth({ role: 'supervisor' }) })).json();
  t.match(audit.items, [{ username: 'street-xuhui-tianlin', detail: 'street-xuhui-tianlin: logged_out → ready（坐席台）' }], 'the desk writes the same audit as the phone line');
});
