// Retention (#21): recordings and voice messages older than RECORDING_RETENTION_DAYS are
// deleted by the nightly job, with an injected clock; a ticket under supervision or
// flagged keeps them until it is finished; what was removed is recorded; disk use on /metrics.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { runRetentionJob } from '../../src/jobs/run-jobs.js';
import { systemActor } from '../../src/shared/actor.js';
import { answeredCall, memoryStore, wav } from './_fixtures.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T02:00:00+08:00');
const SUPERVISOR = { role: 'supervisor' as const, name: 'sup', userId: 501 };

t.test('the retention job: old recordings go, young ones and supervised or flagged open tickets keep theirs', async (t) => {
  const h = await makeApp({ now: () => NOW, config: { recordings: { retentionDays: 180 } } });
  t.teardown(h.close);
  const s = h.app.services;
  const store = memoryStore();
  s.recordingStore = store;
  const put = (c: { recordingName: string | null; voicemailName: string | null }) => [c.recordingName, c.voicemailName].forEach((n) => n && store.files.set(n, wav(1)));

  const old = answeredCall(h, { startedAt: NOW - 181 * DAY });
  const oldVoice = answeredCall(h, { startedAt: NOW - 200 * DAY, seatId: null, voicemail: true, ticket: { status: 'closed' } });
  const young = answeredCall(h, { startedAt: NOW - 179 * DAY });
  const flaggedOpen = answeredCall(h, { startedAt: NOW - 300 * DAY, ticket: { flaggedForSupervisor: true } });
  const flaggedClosed = answeredCall(h, { startedAt: NOW - 300 * DAY, ticket: { flaggedForSupervisor: true, status: 'closed' } });
  const supervisedOpen = answeredCall(h, { startedAt: NOW - 300 * DAY });
  // a 督办 opened on it and not finished
  s.tickets.create({ source: 'manual', kind: 'supervised', status: 'supervising', parentTicketId: supervisedOpen.ticket.id, content: '督办' }, systemActor('test'));
  const asSupervision = answeredCall(h, { startedAt: NOW - 300 * DAY, ticket: { kind: 'supervised', status: 'supervising' } });
  const lost = answeredCall(h, { startedAt: NOW - 190 * DAY });
  for (const c of [old, oldVoice, young, flaggedOpen, flaggedClosed, supervisedOpen, asSupervision]) put(c);

  const result = await runRetentionJob({ ...s, log: { warn: () => undefined } });
  t.same(result, { retentionDays: 180, cutoff: new Date(NOW - 180 * DAY).toISOString(), removed: 3, missing: 1, kept: 3, failed: 0 });
  t.same(store.removed.sort(), [old.recordingName, oldVoice.voicemailName, flaggedClosed.recordingName, lost.recordingName].sort(), 'deleted from the store by name');
  for (const c of [young, flaggedOpen, supervisedOpen, asSupervision]) t.ok(store.files.has(c.recordingName!), `${c.recordingName} kept`);

  const rows = s.db.$client.prepare('select name, kind, result, retention_days as days, removed_at as at from recording_removals order by name').all() as Array<{ name: string; kind: string; result: string; days: number; at: number }>;
  t.same(rows.map((r) => [r.name, r.kind, r.result, r.days, r.at]).sort(), [
    [old.recordingName, 'call', 'removed', 180, NOW],
    [oldVoice.voicemailName, 'voice_message', 'removed', 180, NOW],
    [flaggedClosed.recordingName, 'call', 'removed', 180, NOW],
    [lost.recordingName, 'call', 'missing', 180, NOW],
  ].sort(), 'what it removed is recorded');
  const run = s.db.$client.prepare(`select last_period as day, last_result as result from job_runs where job = 'recording-retention'`).get() as { day: string; result: string };
  t.equal(run.day, '2026-12-01');
  t.equal(JSON.parse(run.result).removed, 3);

  const gone = await h.app.inject({ url: `/api/tickets/${old.ticket.id}/recording`, headers: h.auth(SUPERVISOR) });
  t.equal(gone.statusCode, 410);
  t.match(gone.json().message, /按保存期限（180 天）删除/);
  const view = (await h.app.inject({ url: `/api/tickets/${old.ticket.id}/recordings`, headers: h.auth(SUPERVISOR) })).json();
  t.equal(view.items[0].removedAt, new Date(NOW).toISOString(), 'the player says when it was removed');

  // a second run changes nothing; once the flagged ticket is closed its recording goes
  t.same(await runRetentionJob(s), { ...result, removed: 0, missing: 0 });
  s.db.$client.prepare(`update tickets set status = 'closed' where id = ?`).run(flaggedOpen.ticket.id);
  const later = await runRetentionJob(s, NOW + DAY);
  t.equal(later.removed, 1, 'closed: its recording goes at the next run');
  t.notOk(store.files.has(flaggedOpen.recordingName!));
});

t.test('the job never dies on one recording Asterisk would not delete', async (t) => {
  const h = await makeApp({ now: () => NOW });
  t.teardown(h.close);
  const s = h.app.services;
  const store = memoryStore();
  const a = answeredCall(h, { startedAt: NOW - 400 * DAY });
  const b = answeredCall(h, { startedAt: NOW - 399 * DAY });
  store.files.set(a.recordingName!, wav(1));
  store.files.set(b.recordingName!, wav(1));
  const warned: unknown[] = [];
  s.recordingStore = { ...store, remove: async (n) => (n === a.recordingName ? Promise.reject(new Error('ARI down')) : store.remove(n)) };
  const r = await runRetentionJob({ ...s, log: { warn: (o: object) => warned.push(o) } });
  t.same([r.removed, r.failed], [1, 1]);
  t.equal(warned.length, 1, 'logged');
  s.recordingStore = store;
  t.equal((await runRetentionJob(s)).removed, 1, 'tried again at the next run');
});

t.test('disk use of the recordings on /metrics; the retention default is 180 days', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  t.equal(h.app.services.config.recordings.retentionDays, 180);
  const dir = join(h.dir, 'recording');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'call-a.wav'), wav(1));
  writeFileSync(join(dir, 'sub', 'vm-b.wav'), Buffer.alloc(1000));
  const h2 = await makeApp({ config: { recordingsDir: dir } });
  t.teardown(h2.close);
  const text = (await h2.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).body;
  t.match(text, new RegExp(`hotline_recordings_bytes\\{[^}]*\\} ${wav(1).length + 1000}\\n`));
  t.match(text, /hotline_recordings_files\{[^}]*\} 2\n/);
});
