// The hotline runs on Shanghai time (UTC+8, no daylight saving) whatever the host's TZ.
export const HOTLINE_TZ = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** YYYY-MM-DD of an instant, in Shanghai. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since midnight of an instant, in Shanghai. */
export function shanghaiMinuteOfDay(ms: number): number {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** The instant a Shanghai wall-clock time happens: shanghaiInstant('2026-02-13', 23, 59, 59, 999). */
export function shanghaiInstant(date: string, h = 0, m = 0, s = 0, msec = 0): number {
  const [y, mo, d] = date.split('-').map(Number);
  return Date.UTC(y, mo - 1, d, h, m, s, msec) - SHANGHAI_OFFSET_MS;
}

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
