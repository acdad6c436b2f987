// A ticket's call recording and voice message through the API (#21): who may hear them,
// byte ranges for the player, every play audited, the player's link, the timeline.
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { answeredCall, memoryStore, wav } from './_fixtures.js';

const SUPERVISOR = { role: 'supervisor' as const, name: 'sup', userId: 501 };
const SEAT_1001 = { role: 'operator' as const, name: 'op1', userId: 502, seatId: '1001' };
const SEAT_1002 = { role: 'operator' as const, name: 'op2', userId: 503, seatId: '1002' };
const QUALITY = { role: 'quality' as const, name: 'qc', userId: 504 };
const DEPT = { role: 'department' as const, name: 'dept', userId: 505, departmentId: 'social-assistance' };

const setup = async (t: { teardown(fn: () => unknown): void }) => {
  const h = await makeApp();
  t.teardown(h.close);
  const store = memoryStore();
  h.app.services.recordingStore = store;
  const plays = (ticketId: number) =>
    h.app.services.db.$client.prepare(`select username, detail from audit_log where action = 'recording_played' and ticket_id = ? order by id`).all(ticketId) as Array<{ username: string; detail: string }>;
  return { h, store, plays };
};

t.test('the call recording: whole file, ranges, 416, to the right people only, every play audited', async (t) => {
  const { h, store, plays } = await setup(t);
  const c = answeredCall(h);
  const audio = wav(3);
  store.files.set(c.recordingName!, audio);
  const url = `/api/tickets/${c.ticket.id}/recording`;

  const whole = await h.app.inject({ url, headers: h.auth(SUPERVISOR) });
  t.equal(whole.statusCode, 200);
  t.equal(whole.headers['content-type'], 'audio/wav');
  t.equal(whole.headers['accept-ranges'], 'bytes');
  t.equal(Number(whole.headers['content-length']), audio.length);
  t.ok(whole.rawPayload.equals(audio), 'the file as Asterisk stored it');

  const part = await h.app.inject({ url, headers: { ...h.auth(SUPERVISOR), range: 'bytes=1000-1999' } });
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], `bytes 1000-1999/${audio.length}`);
  t.equal(Number(part.headers['content-length']), 1000);
  t.ok(part.rawPayload.equals(audio.subarray(1000, 2000)), 'exactly the bytes asked for');
  const tail = await h.app.inject({ url, headers: { ...h.auth(SUPERVISOR), range: 'bytes=-100' } });
  t.equal(tail.statusCode, 206, 'a suffix range');
  t.equal(tail.headers['content-range'], `bytes ${audio.length - 100}-${audio.length - 1}/${audio.length}`);
  const past = await h.app.inject({ url, headers: { ...h.auth(SUPERVISOR), range: `bytes=${audio.length + 10}-` } });
  t.equal(past.statusCode, 416);
  t.equal(past.headers['content-range'], `bytes */${audio.length}`);
  t.same(past.json(), { field: 'range', error: 'range_not_satisfiable', message: `请求的范围超出录音长度（${audio.length} 字节）` });

  t.equal((await h.app.inject({ url, headers: h.auth(SEAT_1001) })).statusCode, 200, 'the seat that took the call');
  const masked = await h.app.inject({ url, headers: h.auth(SEAT_1002) });
  t.equal(masked.statusCode, 403, 'another operator (who sees the ticket masked) is refused');
  t.equal(masked.json().error, 'recording_forbidden');
  t.match(masked.json().message, /主管/);
  t.equal((await h.app.inject({ url, headers: h.auth(DEPT) })).statusCode, 404, 'a department the ticket is not routed to: no such ticket');
  const routed = answeredCall(h, { ticket: { departmentId: 'social-assistance', kind: 'routed', status: 'routed' } });
  store.files.set(routed.recordingName!, audio);
  t.equal((await h.app.inject({ url: `/api/tickets/${routed.ticket.id}/recording`, headers: h.auth(DEPT) })).statusCode, 200, 'the handling department hears its ticket');
  t.equal((await h.app.inject({ url, headers: h.auth(QUALITY) })).statusCode, 403, 'the quality role: only calls drawn for inspection');
  t.equal((await h.app.inject({ url })).statusCode, 401);

  t.equal(plays(routed.ticket.id)[0].username, 'dept');
  const audited = plays(c.ticket.id);
  t.same(audited.map((a) => a.username), ['sup', 'sup', 'sup', 'sup', 'op1'], 'each play audited, the refused ones not played');
  t.same(JSON.parse(audited[1].detail), { recording: c.recordingName, kind: 'call', range: 'bytes=1000-1999', via: 'api' });
  const auditApi = await h.app.inject({ url: `/api/audit?ticketId=${c.ticket.id}&action=recording_played`, headers: h.auth(SUPERVISOR) });
  t.equal(auditApi.json().total, 5, 'in GET /api/audit');

  t.equal((await h.app.inject({ url: `/api/tickets/${c.ticket.id}/voice-message`, headers: h.auth(SUPERVISOR) })).json().error, 'no_recording', 'no voice message on an answered call');
  store.files.delete(c.recordingName!);
  t.equal((await h.app.inject({ url, headers: h.auth(SUPERVISOR) })).json().error, 'recording_missing');
  t.equal((await h.app.inject({ url: '/api/tickets/abc/recording', headers: h.auth(SUPERVISOR) })).statusCode, 400);
});

t.test("the player's link: for this user and ticket, short-lived, ended with the user's sessions", async (t) => {
  const { h, store, plays } = await setup(t);
  const c = answeredCall(h);
  const audio = wav(2);
  store.files.set(c.recordingName!, audio);
  const linkRes = await h.app.inject({ method: 'POST', url: `/api/tickets/${c.ticket.id}/recording/link`, headers: h.auth(SEAT_1001) });
  t.equal(linkRes.statusCode, 200, linkRes.body);
  const { url, expiresAt } = linkRes.json();
  t.match(url, /^\/api\/recordings\/play\/[\w-]+\.[\w-]+$/);
  t.ok(Date.parse(expiresAt) - Date.now() <= 10 * 60_000);
  const played = await h.app.inject({ url, headers: { range: 'bytes=0-1' } });
  t.equal(played.statusCode, 206, 'no Authorization header needed: the <audio> element cannot send one');
  t.equal(played.headers['content-range'], `bytes 0-1/${audio.length}`);
  t.same(JSON.parse(plays(c.ticket.id)[0].detail).via, 'player', 'audited as the link user');
  t.equal(plays(c.ticket.id)[0].username, 'op1');

  const [body, mac] = url.split('/').at(-1).split('.');
  t.equal((await h.app.inject({ url: `/api/recordings/play/${body}.${mac.slice(0, -2)}xx` })).statusCode, 401, 'a tampered link');
  t.equal((await h.app.inject({ url: `/api/recordings/play/${body}.${mac}` })).statusCode, 200, "the whole file without a Range");
  t.equal((await h.app.inject({ url: '/api/tickets', headers: { authorization: `Bearer ${body}.${mac}` } })).statusCode, 401, 'a link is not a bearer token');
  t.equal((await h.app.inject({ method: 'POST', url: `/api/tickets/${c.ticket.id}/recording/link`, headers: h.auth(SEAT_1002) })).statusCode, 403, 'no link for who may not play');
  h.app.services.users.revokeSessions(502);
  t.equal((await h.app.inject({ url })).statusCode, 401, 'logged out: the link ends too');
});

t.test('a voice message, to the operator calling back from the callback list', async (t) => {
  const { h, store, plays } = await setup(t);
  const c = answeredCall(h, { seatId: null, voicemail: true, ticket: { needsCallback: true } });
  store.files.set(c.voicemailName!, wav(1));
  const url = `/api/tickets/${c.ticket.id}/voice-message`;
  const list = await h.app.inject({ url: '/api/tickets?needsCallback=true', headers: h.auth(SEAT_1002) });
  t.ok(list.json().items.some((x: { id: number }) => x.id === c.ticket.id), 'on the callback list');
  t.equal((await h.app.inject({ url, headers: h.auth(SEAT_1002) })).statusCode, 403, 'not before taking the callback');
  const took = await h.app.inject({ method: 'POST', url: `/api/tickets/${c.ticket.id}/actions/take`, headers: h.auth(SEAT_1002), payload: {} });
  t.equal(took.statusCode, 200, took.body);
  const res = await h.app.inject({ url, headers: h.auth(SEAT_1002) });
  t.equal(res.statusCode, 200, 'the operator who calls back hears it');
  t.equal(res.headers['content-type'], 'audio/wav');
  t.equal(plays(c.ticket.id).length, 1);
  t.equal(JSON.parse(plays(c.ticket.id)[0].detail).kind, 'voice_message');
  const view = (await h.app.inject({ url: `/api/tickets/${c.ticket.id}/recordings`, headers: h.auth(SEAT_1002) })).json();
  t.equal(view.mayPlay, true);
  t.same(view.items.map((i: { kind: string; path: string }) => [i.kind, i.path]), [['voice_message', url]]);
});

t.test("the player's view: recordings and the call's timeline", async (t) => {
  const { h } = await setup(t);
  const c = answeredCall(h);
  const s = h.app.services;
  const { systemActor } = await import('../../src/shared/actor.js');
  const call = s.calls.get(c.callId)!;
  s.db.$client.prepare('update ticket_events set at = ? where ticket_id = ?').run(call.startedAt, c.ticket.id);
  s.tickets.update(c.ticket.id, {}, { actor: systemActor('calls'), action: 'call_transferred', data: { kind: 'queue', queue: 'operator' } });
  s.db.$client.prepare(`update ticket_events set at = ? where ticket_id = ? and action = 'call_transferred'`).run(call.startedAt + 30_000, c.ticket.id);
  const view = (await h.app.inject({ url: `/api/tickets/${c.ticket.id}/recordings`, headers: h.auth(SUPERVISOR) })).json();
  t.same(view.timeline.map((x: { step: string }) => x.step), ['entered', 'ivr_choice', 'queued', 'offered', 'answered', 'transferred', 'ended']);
  t.same(view.timeline.map((x: { label: string }) => x.label), ['呼入', '语音导航选择', '进入排队', '分配坐席振铃', '坐席接听', '转接', '通话结束']);
  t.same(view.timeline.find((x: { step: string }) => x.step === 'answered').offsetSeconds, 10);
  t.equal(view.items[0].kind, 'call');
  t.equal(view.items[0].removedAt, null);
  t.equal(view.mayPlay, true);
  const masked = (await h.app.inject({ url: `/api/tickets/${c.ticket.id}/recordings`, headers: h.auth(SEAT_1002) })).json();
  t.equal(masked.mayPlay, false, 'a masked viewer sees that there is a recording, and that it is not for them');
});

t.test('the timeline shows the seat hanging up before the caller (who stayed on to rate the call)', async (t) => {
  const { h } = await setup(t);
  const c = answeredCall(h, { talkSeconds: 40 });
  const s = h.app.services;
  const call = s.calls.get(c.callId)!;
  s.db.$client.prepare('update calls set talk_ended_at = ? where id = ?').run(call.seatAnsweredAt! + 40_000, c.callId);
  s.db.$client.prepare('update calls set ended_at = ? where id = ?').run(call.seatAnsweredAt! + 48_000, c.callId);
  const view = (await h.app.inject({ url: `/api/tickets/${c.ticket.id}/recordings`, headers: h.auth(SUPERVISOR) })).json();
  const steps = view.timeline.map((x: { step: string }) => x.step);
  t.same(steps.slice(-2), ['seat_left', 'ended']);
  t.match(view.timeline.at(-2), { label: '坐席挂机', detail: { seatId: '1001' }, offsetSeconds: 50 });
  t.match(view.timeline.at(-1), { detail: { talkSeconds: 40 }, offsetSeconds: 58 });
});
