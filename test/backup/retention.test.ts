import t from 'tap';
import { backupName, chooseKept } from '../../src/backup/retention.js';

t.test('keeps the newest N days and the first backup of the newest M months', async (t) => {
  const days: string[] = [];
  for (let d = Date.UTC(2026, 0, 1); d <= Date.UTC(2026, 4, 20); d += 86_400_000) days.push(new Date(d).toISOString().slice(0, 10));
  const names = [...days.map(backupName), 'manual.db', 'hotline-2026-05-20.db.files.json'];
  const { keep, remove } = chooseKept(names, { keepDaily: 7, keepMonthly: 3 });
  t.same(keep, [
    'hotline-2026-05-20.db', 'hotline-2026-05-19.db', 'hotline-2026-05-18.db', 'hotline-2026-05-17.db',
    'hotline-2026-05-16.db', 'hotline-2026-05-15.db', 'hotline-2026-05-14.db',
    'hotline-2026-05-01.db', 'hotline-2026-04-01.db', 'hotline-2026-03-01.db',
  ]);
  t.equal(keep.length + remove.length, days.length, 'only scheduled backups are considered: manual copies and manifests are never removed');
  t.ok(remove.includes('hotline-2026-02-01.db'));
});

t.test('a month whose first days are missing keeps its earliest backup', async (t) => {
  const { keep } = chooseKept(['hotline-2026-03-09.db', 'hotline-2026-03-10.db', 'hotline-2026-04-02.db'], { keepDaily: 1, keepMonthly: 2 });
  t.same(keep, ['hotline-2026-04-02.db', 'hotline-2026-03-09.db']);
});
