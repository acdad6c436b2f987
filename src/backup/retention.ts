// Which scheduled backups to keep: the newest N days, and the first backup of each of
// the newest M months (so a month's copy is the state at its start). Pure: the job
// lists the folder and deletes what this returns.

export interface Retention {
  keepDaily: number;
  keepMonthly: number;
}

/** Scheduled backups are named hotline-YYYY-MM-DD.db (Shanghai day). */
export const BACKUP_NAME = /^hotline-(\d{4}-\d{2}-\d{2})\.db$/;

export function backupName(day: string): string {
  return `hotline-${day}.db`;
}

export function chooseKept(names: string[], { keepDaily, keepMonthly }: Retention): { keep: string[]; remove: string[] } {
  const days = names
    .map((name) => ({ name, day: BACKUP_NAME.exec(name)?.[1] }))
    .filter((b): b is { name: string; day: string } => b.day !== undefined)
    .sort((a, b) => (a.day < b.day ? 1 : -1));
  const keep = new Set(days.slice(0, keepDaily).map((b) => b.name));
  const firstOfMonth = new Map<string, string>();
  // newest first, so the last one seen for a month is its earliest day
  for (const b of days) firstOfMonth.set(b.day.slice(0, 7), b.name);
  [...firstOfMonth.entries()]
    .sort((a, b) => (a[0] < b[0] ? 1 : -1))
    .slice(0, keepMonthly)
    .forEach(([, name]) => keep.add(name));
  return { keep: days.filter((b) => keep.has(b.name)).map((b) => b.name), remove: days.filter((b) => !keep.has(b.name)).map((b) => b.name) };
}
