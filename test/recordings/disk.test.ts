// The recordings' disk use on /metrics (src/recordings/disk.ts): a finished file's size is
// asked once, a file still being written every walk, a removed one drops out.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { recordingsDiskUse, SETTLED_MS } from '../../src/recordings/disk.js';

t.test('finished files are stat-ed once; growing ones each walk; removed ones drop out', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rec-disk-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'vm'));
  let clock = Date.now();
  const stats = { made: 0 };
  const use = recordingsDiskUse(dir, () => clock, 60_000, stats);
  const old = (p: string) => utimesSync(p, new Date(clock - SETTLED_MS - 1000), new Date(clock - SETTLED_MS - 1000));
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(dir, `call-${i}.wav`), Buffer.alloc(100));
    old(join(dir, `call-${i}.wav`));
  }
  writeFileSync(join(dir, 'vm', 'vm-1.wav'), Buffer.alloc(50));
  old(join(dir, 'vm', 'vm-1.wav'));
  // a call being recorded now
  writeFileSync(join(dir, 'call-live.wav'), Buffer.alloc(10));

  t.same(await use(), { bytes: 5 * 100 + 50 + 10, files: 7 });
  t.equal(stats.made, 7, 'the first walk asks every size');

  t.same(await use(), { bytes: 560, files: 7 }, 'within the minute: the last figure');
  t.equal(stats.made, 7);

  clock += 60_000;
  writeFileSync(join(dir, 'call-live.wav'), Buffer.alloc(20));
  rmSync(join(dir, 'call-0.wav'));
  t.same(await use(), { bytes: 4 * 100 + 50 + 20, files: 6 }, 'the growing file counted anew, the removed one gone');
  t.equal(stats.made, 8, 'only the file still being written was asked again');

  // the recording ends; once settled its size is kept too
  clock += SETTLED_MS + 60_000;
  t.same(await use(), { bytes: 470, files: 6 });
  t.equal(stats.made, 9);
  clock += 60_000;
  t.same(await use(), { bytes: 470, files: 6 });
  t.equal(stats.made, 9, 'nothing left to ask');
});

t.test('no folder configured, or none there: nothing', async (t) => {
  t.same(await recordingsDiskUse(null)(), { bytes: 0, files: 0 });
  t.same(await recordingsDiskUse(join(tmpdir(), 'no-such-recordings-dir'))(), { bytes: 0, files: 0 });
});
