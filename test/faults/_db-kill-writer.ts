// Child process of db-kill.test.ts (not a test itself): the whole app on the given
// database, writing tickets through POST /api/tickets as fast as it can until it is
// killed. Each ticket is printed, one JSON line on stdout, only once its 201 is back:
// a printed ticket is one the API acknowledged. (stdout to a pipe is synchronous on
// Linux, so a printed line survives the SIGKILL that follows it.)
//   node --import tsx test/faults/_db-kill-writer.ts <db path> <run>
import { join, dirname } from 'node:path';
import { buildApp } from '../../src/app.js';
import { signFor } from '../helpers/users.js';

const [dbPath, run = '0'] = process.argv.slice(2);
// run by hand or picked up by `tap test/faults/`: nothing to do without a database to write to
if (!dbPath) {
  console.log('# a child of db-kill.test.ts: node --import tsx test/faults/_db-kill-writer.ts <db path> <run>');
  process.exit(0);
}
const app = await buildApp({
  telephony: false,
  jobs: false,
  logger: false,
  config: { dbPath, filesDir: join(dirname(dbPath), 'files'), smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } },
});
await app.ready();
// checkpoint the WAL every few pages (default 1000) so that kills also land in checkpoints
app.services.db.$client.pragma('wal_autocheckpoint = 8');
const headers = { authorization: `Bearer ${signFor(app, { role: 'operator', name: 'op-drill', userId: 7 })}` };
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);

const KINDS = [undefined, 'immediate', 'routed', 'emergency'] as const;
let n = 0;
/** One writer; a few run at once, so requests overlap as they would from several seats. */
async function writer(w: number) {
  for (;;) {
    const i = n++;
    const kind = KINDS[i % KINDS.length];
    // content that is easy to check and not all ASCII
    const content = `断电演练 run ${run} writer ${w} #${i}: 楼道灯坏了 ${'低保'.repeat(i % 7)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers,
      payload: { content, callerNumber: `139${String(i).padStart(8, '0')}`, ...(kind ? { kind, category: 'community_life' } : {}) },
    });
    if (res.statusCode !== 201) {
      process.stderr.write(`unexpected ${res.statusCode}: ${res.body}\n`);
      process.exit(1);
    }
    const t = res.json();
    process.stdout.write(`${JSON.stringify({ id: t.id, number: t.number, content: t.content, kind: t.kind ?? null })}\n`);
  }
}
await Promise.all([0, 1, 2, 3].map(writer));
