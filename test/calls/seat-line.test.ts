import t from 'tap';
import { hashPassword } from '../../src/auth/password.js';
import { AuditLog } from '../../src/auth/audit.js';
import { PIN_LOCKOUT } from '../../src/seats/phone-line.js';
import { callLab, type Lab } from './harness.js';

// Seat state by phone: the remote agent calls the service number from the number their
// seat dials, enters the PIN and #, hears their state and sets it by a digit.

const NUMBER = '02164001001';
const PIN = '2580';

async function lab(): Promise<Lab> {
  return callLab({ seats: [{ id: 'street-a', kind: 'street', street: 'tianlin', dial: `PJSIP/${NUMBER}@street-gw`, skills: ['community_life'], pinHash: await hashPassword(PIN) }] });
}

async function keys(l: Lab, channel: string, digits: string): Promise<void> {
  for (const d of digits) {
    l.ari.press(channel, d);
    await l.settle();
  }
}

const audits = (l: Lab) => new AuditLog(l.db).list({ limit: 50, offset: 0 }).items.reverse();

t.test('the right PIN: told the state, then 就绪 / 示忙 / 签出 by digits, audited like the desk', async (t) => {
  const l = await lab();
  t.teardown(l.close);
  const line = l.ari.dialSeatLine(NUMBER)!;
  await l.until('welcome', () => l.ari.lastPlayed(line)?.includes('sound:seatline/welcome'));
  await keys(l, line, `${PIN}#`);
  await l.until('state read', () => l.ari.lastPlayed(line)?.includes('sound:seatline/menu'));
  t.same(l.ari.lastPlayed(line), ['sound:seatline/state-is', 'sound:seatline/state-logged_out', 'sound:seatline/menu']);
  await keys(l, line, '1');
  await l.until('ready', () => l.seats.get('street-a')?.state === 'ready');
  await l.until('read back', () => l.ari.lastPlayed(line)?.includes('sound:seatline/done'));
  t.same(l.ari.lastPlayed(line), ['sound:seatline/done', 'sound:seatline/state-is', 'sound:seatline/state-ready', 'sound:seatline/menu']);
  await keys(l, line, '2');
  await l.until('not ready', () => l.seats.get('street-a')?.state === 'not_ready');
  t.match(l.seats.get('street-a'), { reasonCode: 'manual', stateReason: '电话示忙' });
  await keys(l, line, '3');
  await l.until('logged out', () => l.seats.get('street-a')?.state === 'logged_out');
  t.match(
    audits(l).map((a) => [a.action, a.username, a.detail]),
    [
      ['seat_phone_pin_ok', 'phone:street-a', /street-a.*密码正确/],
      ['seat_state', 'phone:street-a', 'street-a: logged_out → ready（电话）'],
      ['seat_state', 'phone:street-a', 'street-a: ready → not_ready（电话）'],
      ['seat_state', 'phone:street-a', 'street-a: not_ready → logged_out（电话）'],
    ],
  );
  l.ari.hangUp(line);
  await l.until('line gone', () => !l.seatLine.has(line));
});

t.test('on a call, 示忙 waits for the call to end; 签出 is refused', async (t) => {
  const l = await lab();
  t.teardown(l.close);
  l.seats.set('street-a', 'on_call');
  const line = l.ari.dialSeatLine(NUMBER)!;
  await l.settle();
  await keys(l, line, `${PIN}#`);
  await l.until('state read', () => l.ari.lastPlayed(line)?.includes('sound:seatline/state-busy'));
  await keys(l, line, '3');
  await l.until('refused', () => l.ari.lastPlayed(line)?.[0] === 'sound:seatline/refused');
  t.equal(l.seats.get('street-a')?.state, 'on_call');
  await keys(l, line, '2');
  await l.until('after the call', () => l.seats.get('street-a')?.afterCall === 'not_ready');
  t.equal(l.seats.get('street-a')?.state, 'on_call');
});

t.test('three wrong PINs: hung up after the last words, each logged', async (t) => {
  const l = await lab();
  t.teardown(l.close);
  const line = l.ari.dialSeatLine(NUMBER)!;
  await l.settle();
  await keys(l, line, '1111#');
  await l.until('wrong', () => l.ari.lastPlayed(line)?.includes('sound:seatline/wrong-pin'));
  await keys(l, line, '#');
  await l.until('wrong twice', () => audits(l).length === 2);
  await keys(l, line, '25801#');
  await l.until('locked', () => l.ari.lastPlayed(line)?.includes('sound:seatline/locked'));
  await keys(l, line, `${PIN}#1`);
  t.equal(l.seats.get('street-a')?.state, 'logged_out', 'nothing after the lock is taken');
  t.ok(l.ari.channels.has(line), 'the last words play first');
  l.ari.finishPlaying(line);
  await l.until('hung up', () => !l.ari.channels.has(line));
  t.same(
    audits(l).map((a) => a.action),
    ['seat_phone_pin_wrong', 'seat_phone_pin_wrong', 'seat_phone_locked'],
  );
  t.match(audits(l).at(-1)?.detail, /street-a.*3 次/);
});

t.test('a number that is no registered seat: told so, hung up, logged', async (t) => {
  const l = await lab();
  t.teardown(l.close);
  const line = l.ari.dialSeatLine('13900000999')!;
  await l.until('unknown', () => l.ari.lastPlayed(line)?.includes('sound:seatline/unknown'));
  await keys(l, line, `${PIN}#1`);
  t.equal(l.seats.get('street-a')?.state, 'logged_out');
  l.ari.finishPlaying(line);
  await l.until('hung up', () => !l.ari.channels.has(line));
  t.match(audits(l), [{ action: 'seat_phone_unknown', detail: /139\*+99/ }]);
});

t.test('a server restart mid-call: the line starts again at the PIN', async (t) => {
  const l = await lab();
  const line = l.ari.dialSeatLine(NUMBER)!;
  await l.settle();
  await keys(l, line, '25');
  const next = await l.restartServer();
  t.teardown(next.close);
  await next.until('welcome again', () => next.ari.lastPlayed(line)?.includes('sound:seatline/welcome') && next.seatLine.has(line));
  await keys(next, line, `${PIN}#1`);
  await next.until('ready', () => next.seats.get('street-a')?.state === 'ready');
});

/** one call that enters `pins` (each ended by #) and waits for the line to answer each */
async function wrongCall(l: Lab, pins: string[]): Promise<string> {
  const line = l.ari.dialSeatLine(NUMBER)!;
  await l.until('welcome', () => l.ari.lastPlayed(line)?.includes('sound:seatline/welcome'));
  for (const pin of pins) {
    const before = audits(l).length;
    await keys(l, line, `${pin}#`);
    await l.until('answered', () => audits(l).length > before);
  }
  return line;
}

t.test('wrong PINs across calls close the seat\'s phone line for a while; a right PIN starts the count again', async (t) => {
  const l = await lab();
  t.teardown(l.close);
  // a right PIN after some wrong ones: the count starts again from it
  let line = await wrongCall(l, ['1111', '2222', PIN]);
  await l.until('menu', () => l.ari.lastPlayed(line)?.includes('sound:seatline/menu'));
  l.ari.hangUp(line);
  // two calls of three wrong PINs each: the sixth closes the line
  line = await wrongCall(l, ['1', '2', '3']);
  l.ari.hangUp(line);
  line = await wrongCall(l, ['4', '5', '6']);
  t.match(audits(l).at(-1), { action: 'seat_phone_locked', detail: /共错 6 次.*暂停/ });
  l.ari.hangUp(line);
  // the next call is not asked for a PIN at all, even with the right one ready
  line = l.ari.dialSeatLine(NUMBER)!;
  await l.until('closed', () => l.ari.lastPlayed(line)?.includes('sound:seatline/locked'));
  await keys(l, line, `${PIN}#1`);
  t.equal(l.seats.get('street-a')?.state, 'logged_out', 'the right PIN is not taken while closed');
  t.match(audits(l).at(-1), { action: 'seat_phone_lockout', username: 'phone:street-a' });
  l.ari.finishPlaying(line);
  await l.until('hung up', () => !l.ari.channels.has(line));
  // the wrong PINs age out of the window: the line opens again by itself
  l.db.$client.prepare('update audit_log set at = at - ?').run(PIN_LOCKOUT.windowMs + 1000);
  line = l.ari.dialSeatLine(NUMBER)!;
  await l.until('welcome', () => l.ari.lastPlayed(line)?.includes('sound:seatline/welcome'));
  await keys(l, line, `${PIN}#1`);
  await l.until('ready', () => l.seats.get('street-a')?.state === 'ready');
});

t.test('the lock-out survives a server restart: it is read from the audit log', async (t) => {
  const l = await lab();
  l.ari.hangUp(await wrongCall(l, ['1', '2', '3']));
  l.ari.hangUp(await wrongCall(l, ['4', '5', '6']));
  const next = await l.restartServer();
  t.teardown(next.close);
  const line = next.ari.dialSeatLine(NUMBER)!;
  await next.until('closed', () => next.ari.lastPlayed(line)?.includes('sound:seatline/locked'));
});
