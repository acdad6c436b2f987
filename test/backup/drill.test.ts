// The restore drill: tickets written under load, an online backup by hand while the
// writes go on (`npm run backup -- FILE` as its own process), the copy restored into a
// fresh server, every ticket acknowledged before the backup began found there.
import t from 'tap';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeApp } from '../helpers/app.js';
import { checkBackup } from '../../src/backup/snapshot.js';
import { scheduledBackup } from '../../src/backup/job.js';
import { sha256File } from '../../src/backup/files.js';

const repo = new URL('../../', import.meta.url).pathname;

function runBackupCli(env: Record<string, string>, file: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/backup/cli.ts'), file], { cwd: repo, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

t.test('write under load, back up by hand while the server writes, restore into a fresh server', async (t) => {
  const live = await makeApp();
  t.teardown(() => live.close());
  const headers = live.auth({ role: 'operator', name: 'op-drill', userId: 7 });
  // an attachment on disk, so the backup has a file to list and store
  mkdirSync(join(live.dir, 'files', 'attachments', 'ab'), { recursive: true });
  writeFileSync(join(live.dir, 'files', 'attachments', 'ab', 'letter.txt'), '来信附件：楼道灯坏了');

  const acknowledged: Array<{ id: number; number: string; content: string }> = [];
  let stop = false;
  let seq = 0;
  const writer = async (w: number) => {
    while (!stop) {
      const i = seq++;
      const content = `恢复演练 writer ${w} #${i}: 电梯停运`;
      const res = await live.app.inject({ method: 'POST', url: '/api/tickets', headers, payload: { content, callerNumber: `139${String(i).padStart(8, '0')}` } });
      if (res.statusCode !== 201) throw new Error(`unexpected ${res.statusCode}: ${res.body}`);
      const ticket = res.json();
      acknowledged.push({ id: ticket.id, number: ticket.number, content });
      // yield to the event loop, as requests from several seats interleave
      await new Promise((r) => setImmediate(r));
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 20));

  const backupFile = join(live.dir, 'manual', 'hotline-manual.db');
  mkdirSync(join(live.dir, 'manual'));
  const beforeBackup = acknowledged.length;
  const cli = await runBackupCli(
    { DB_PATH: join(live.dir, 'hotline.db'), FILES_DIR: join(live.dir, 'files'), RECORDINGS_DIR: join(live.dir, 'no-recordings'), BACKUP_DIR: join(live.dir, 'manual') },
    backupFile,
  );
  stop = true;
  await Promise.all(writers);
  t.equal(cli.code, 0, `backup CLI exits 0 ${cli.err}`);
  const summary = JSON.parse(cli.out.trim().split('\n').pop()!);
  t.equal(summary.integrity, 'ok', 'PRAGMA integrity_check of the copy');
  t.ok(summary.rows.tickets >= beforeBackup, `row counts reported: ${summary.rows.tickets} tickets in the copy`);
  t.ok(acknowledged.length > beforeBackup, `writes went on during the backup (${acknowledged.length - beforeBackup} more)`);
  t.equal(summary.files, 1, 'the attachment is listed');
  const manifest = JSON.parse(readFileSync(`${backupFile}.files.json`, 'utf8'));
  const letter = manifest.files[0];
  t.equal(letter.area, 'attachments');
  t.equal(letter.path, 'attachments/ab/letter.txt');
  const stored = join(live.dir, 'manual', 'files', letter.sha256.slice(0, 2), letter.sha256);
  t.ok(existsSync(stored), 'and stored by its checksum');
  t.equal(await sha256File(stored), letter.sha256);

  // restore: the copy becomes a fresh server's database
  const fresh = await makeApp({ config: {} });
  t.teardown(() => fresh.close());
  await fresh.app.close();
  copyFileSync(backupFile, join(fresh.dir, 'hotline.db'));
  const restored = await makeApp({ config: { dbPath: join(fresh.dir, 'hotline.db') } });
  t.teardown(() => restored.app.close());
  const reader = restored.auth({ role: 'supervisor', name: 'sup-drill', userId: 8 });
  // acknowledged before the backup began (by count: a clock tick can hold several)
  const mustBeThere = acknowledged.slice(0, beforeBackup);
  t.ok(mustBeThere.length >= 300);
  const missing: string[] = [];
  for (const a of mustBeThere) {
    const res = await restored.app.inject({ method: 'GET', url: `/api/tickets/${a.id}`, headers: reader });
    if (res.statusCode !== 200 || res.json().number !== a.number || res.json().content !== a.content) missing.push(`${a.number}: ${res.statusCode}`);
  }
  t.same(missing, [], `every one of the ${mustBeThere.length} tickets acknowledged before the backup is in the restored server`);
  // and the restored server takes new tickets after them
  const next = await restored.app.inject({ method: 'POST', url: '/api/tickets', headers: restored.auth({ role: 'operator', name: 'op-after', userId: 9 }), payload: { content: '恢复后第一张工单' } });
  t.equal(next.statusCode, 201, 'the restored server takes new tickets');
});

t.test('the scheduled backup: a dated copy in BACKUP_DIR, checked, with old copies pruned', async (t) => {
  const a = await makeApp();
  t.teardown(() => a.close());
  const backupDir = join(a.dir, 'backups');
  mkdirSync(backupDir);
  for (const day of ['2026-01-01', '2026-01-15', '2026-02-01', '2026-02-20', '2026-02-21']) writeFileSync(join(backupDir, `hotline-${day}.db`), 'old');
  const services = { ...a.app.services, config: { ...a.app.services.config, backup: { ...a.app.services.config.backup, dir: backupDir, keepDaily: 2, keepMonthly: 2 } }, now: () => Date.parse('2026-03-02T18:30:00Z') };
  const result = (await scheduledBackup(services)) as { file: string; integrity: string; rows: Record<string, number>; removed: string[] };
  t.equal(result.file, join(backupDir, 'hotline-2026-03-03.db'), 'named by the Shanghai day');
  t.equal(result.integrity, 'ok');
  t.equal(checkBackup(result.file).integrity, 'ok');
  t.ok('tickets' in result.rows && 'users' in result.rows, 'row counts of every table');
  t.same(result.removed.sort(), ['hotline-2026-01-01.db', 'hotline-2026-01-15.db', 'hotline-2026-02-20.db']);
});
