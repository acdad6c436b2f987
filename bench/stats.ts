/** Small helpers shared by the benchmark sections. */
import { readFileSync } from 'node:fs';

/** CPU time the whole machine has been busy so far, in seconds over all cores (/proc/stat) */
export function machineBusySeconds(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return NaN;
  }
}

/** the p-th percentile of an ascending array (nearest rank) */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** rounded to µs, as ms */
export const ms = (x: number) => Math.round(x * 1000) / 1000;

export function sortedCopy(xs: number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

export const sleep = (millis: number) => new Promise<void>((r) => setTimeout(r, millis));
