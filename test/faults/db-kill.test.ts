// Fault drill (issue #7): the server killed hard (SIGKILL) in the middle of a burst of
// ticket writes, three times over on the same database. After each kill the database is
// opened the way a restart opens it (openDatabase: WAL recovery, then migrations):
//   - PRAGMA integrity_check is 'ok' and no foreign key dangles;
//   - every ticket the API acknowledged (201) is there, with its number, content, kind
//     and history: WAL + synchronous=NORMAL is durable against a process crash;
//   - no half-written ticket: each has its 'created' event, a classified one its
//     'classify' event too (create and classify are one transaction);
//   - numbering continues after the restart: per day 1..N with no duplicate and no gap
//     (the day counter moves in the ticket's own transaction).
// The writer is a child process (test/faults/_db-kill-writer.ts) running the whole app,
// with frequent WAL checkpoints so that some kills land in one.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/index.js';
import { buildApp } from '../../src/app.js';
import { signFor } from '../helpers/users.js';

const WRITER = fileURLToPath(new URL('./_db-kill-writer.ts', import.meta.url));
const RUNS = 3;

interface Ack {
  id: number;
  number: string;
  content: string;
  kind: string | null;
}

/** Starts the writer, lets it write for `ms` after its first ticket, kills it with SIGKILL; returns the acknowledged tickets. */
async function burstAndKill(dbPath: string, run: number, ms: number): Promise<{ acks: Ack[]; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dbPath, String(run)], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const acks: Ack[] = [];
  let writing: () => void;
  const isWriting = new Promise<void>((resolve) => (writing = resolve));
  // a line cut short by the kill is no acknowledgement: only whole JSON lines count
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: Ack & { ready?: boolean };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.ready) return;
    acks.push(msg);
    if (acks.length === 1) writing();
  });
  // the clock starts at the first acknowledged ticket: the kill lands mid-burst, not mid-start-up
  await Promise.race([isWriting, exited.then(() => Promise.reject(new Error(`the writer died before writing: ${stderr}`)))]);
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  const signal = await exited;
  // the lines already in the pipe are still read after the exit
  await new Promise((resolve) => setImmediate(resolve));
  return { acks, signal, stderr };
}

t.test('SIGKILL during a burst of ticket writes loses no acknowledged ticket', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-kill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'hotline.db');
  const all: Ack[] = [];

  for (let run = 1; run <= RUNS; run++) {
    const ms = 1000 + Math.round(Math.random() * 1000);
    const { acks, signal, stderr } = await burstAndKill(dbPath, run, ms);
    t.equal(signal, 'SIGKILL', `run ${run}: killed after ${ms} ms (${stderr.trim() || 'no stderr'})`);
    // a few hundred on an idle machine; fewer when the CI box is busy
    t.ok(acks.length >= 10, `run ${run}: ${acks.length} tickets acknowledged before the kill`);
    all.push(...acks);

    // open it as a restart would: WAL recovery, then the migrations
    const db = openDatabase(dbPath);
    try {
      const sqlite = db.$client;
      t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok', `run ${run}: integrity_check ok`);
      t.same(sqlite.pragma('foreign_key_check'), [], `run ${run}: no dangling foreign key`);

      const byId = sqlite.prepare('select id, number, content, kind from tickets where id = ?');
      const missing = all.filter((a) => {
        const row = byId.get(a.id) as Ack | undefined;
        return !row || row.number !== a.number || row.content !== a.content || row.kind !== a.kind;
      });
      t.same(missing, [], `run ${run}: all ${all.length} acknowledged tickets so far are there, as acknowledged`);

      // no half a transaction: a ticket without its 'created' event, a kind without its classify
      const halfDone = sqlite
        .prepare(
          `select t.id from tickets t
           where not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.action = 'created')
              or (t.kind is not null and not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.action = 'classify'))`,
        )
        .all();
      t.same(halfDone, [], `run ${run}: every ticket has its whole history`);

      // numbering: per day exactly 1..N, and the day counter at N
      const days = sqlite
        .prepare(
          `select substr(number, 8, 8) as day, count(*) as n, count(distinct number) as distinct_n, max(cast(substr(number, 17) as integer)) as top
           from tickets group by day`,
        )
        .all() as Array<{ day: string; n: number; distinct_n: number; top: number }>;
      const counters = new Map((sqlite.prepare('select day, last from ticket_counters').all() as Array<{ day: string; last: number }>).map((c) => [c.day.replaceAll('-', ''), c.last]));
      for (const d of days) {
        t.ok(d.n === d.distinct_n && d.top === d.n, `run ${run}, day ${d.day}: numbers 1..${d.n}, no duplicate, no gap (top ${d.top})`);
        t.equal(counters.get(d.day), d.n, `run ${run}, day ${d.day}: the counter is at the last number`);
      }
    } finally {
      db.$client.close();
    }
  }

  // after the last restart the app numbers on from where it stopped
  const db = openDatabase(dbPath);
  const app = await buildApp({ db, telephony: false, jobs: false, logger: false, config: { dbPath, smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
  t.teardown(async () => {
    await app.close();
    db.$client.close();
  });
  await app.ready();
  const before = db.$client.prepare('select count(*) as n, max(number) as top from tickets').get() as { n: number; top: string };
  const res = await app.inject({
    method: 'POST',
    url: '/api/tickets',
    headers: { authorization: `Bearer ${signFor(app, { role: 'operator', name: 'op', userId: 8 })}` },
    payload: { content: '重启后的第一张工单' },
  });
  t.equal(res.statusCode, 201, res.body);
  const next = res.json().number as string;
  const [prefix, seq] = [before.top.slice(0, 16), Number(before.top.slice(16))];
  // same day: the next number; a new day: that day's first
  t.ok(next === `${prefix}${String(seq + 1).padStart(6, '0')}` || next.endsWith('-000001'), `after ${before.n} tickets (last ${before.top}) the next is ${next}`);
  t.equal((db.$client.prepare('select count(*) as n from tickets where number = ?').get(next) as { n: number }).n, 1, 'and it is nobody else\'s');
  t.comment(`${all.length} acknowledged tickets over ${RUNS} kills, ${before.n} in the database`);
});
