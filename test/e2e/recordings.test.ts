// #21 end to end: a real call answered by a seat is recorded by Asterisk, and the
// recording comes back through the API: a WAV about as long as the talk, byte ranges,
// refused to an operator who sees the ticket masked, every play audited.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { citizen, fastQueues, setSeat, ticketOf } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, seatPhone, startHotline, waitFor } from '../helpers/telephony.js';
import { signFor } from '../helpers/users.js';

ensureAsterisk();

t.test('a recorded call is played back from the ticket by a supervisor, with ranges and audit', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  await setSeat(h, '1001', 'ready');
  const seat = seatPhone({ port: 6001, ringMs: 300, talkMs: 5000 });
  const caller = citizen();
  const call = placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '0' }, { pause: 11_500 }, { dtmf: '3' }, { awaitBye: true }] });
  t.equal((await seat.done).code, 0, 'the seat answered and hung up');
  t.equal((await call).code, 0, 'the caller rated and the hotline hung up');
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.seatId, '1001');
  t.match(ticket.call.recordingName, /^call-/);
  // the recording is the bridge: from the seat's answer until it hangs up after its 5 s;
  // so is the call row's talk time (the rating prompt after it is not talk)
  const HELD = 5;
  t.ok(Math.abs(ticket.call.talkSeconds - HELD) <= 1, `talk time to the seat's hang-up: ${ticket.call.talkSeconds} s vs ${HELD} s`);

  const url = `/api/tickets/${ticket.id}/recording`;
  const res = await waitFor('the recording served', async () => {
    const r = await h.app.inject({ url, headers: h.supervisor });
    return r.statusCode === 200 ? r : null;
  });
  t.match(res.headers['content-type'], /^audio\//);
  t.equal(res.headers['accept-ranges'], 'bytes');
  t.equal(Number(res.headers['content-length']), res.rawPayload.length);
  t.equal(res.rawPayload.subarray(0, 4).toString(), 'RIFF', 'a WAV file');
  const file = join(h.dir, 'call.wav');
  writeFileSync(file, res.rawPayload);
  const sox = spawnSync('sox', ['--i', '-D', file], { encoding: 'utf8' });
  const seconds = Number(sox.stdout.trim());
  t.comment(`sox --i -D: ${seconds} s; the seat phone held ${HELD} s; talkSeconds ${ticket.call.talkSeconds} s`);
  t.ok(Math.abs(seconds - HELD) <= 1, `the recording lasts about the seat's talk: ${seconds} s vs ${HELD} s`);

  const part = await h.app.inject({ url, headers: { ...h.supervisor, range: 'bytes=44-8043' } });
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], `bytes 44-8043/${res.rawPayload.length}`);
  t.ok(part.rawPayload.equals(res.rawPayload.subarray(44, 8044)), 'the bytes asked for');

  const op2 = { authorization: `Bearer ${signFor(h.app, { name: 'e2e-op2', role: 'operator', userId: 902, seatId: '1002' })}` };
  const masked = await h.app.inject({ url: `/api/tickets/${ticket.id}`, headers: op2 });
  t.equal(masked.json().callerMasked, true, 'op2 sees the ticket masked');
  const refused = await h.app.inject({ url, headers: op2 });
  t.equal(refused.statusCode, 403, 'and may not hear it');
  t.equal(refused.json().error, 'recording_forbidden');

  const audit = (await h.app.inject({ url: `/api/audit?ticketId=${ticket.id}&action=recording_played`, headers: h.supervisor })).json();
  t.equal(audit.total, 2, 'both plays audited, the refusal played nothing');
  t.same(audit.items.map((a: { username: string }) => a.username), ['test-supervisor', 'test-supervisor']);
  t.match(JSON.parse(audit.items[0].detail), { recording: ticket.call.recordingName, kind: 'call', range: 'bytes=44-8043' });
});
