import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskUse {
  bytes: number;
  files: number;
}

/** A file not written to for this long is finished: its size is kept and not asked again. */
export const SETTLED_MS = 10 * 60_000;

/** The sizes of the finished files, by path, as the last walk found them. */
type Settled = Map<string, number>;

async function walk(dir: string, acc: DiskUse, settled: Settled, seen: Settled, now: number, stats: { made: number }): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, acc, settled, seen, now, stats);
    else if (e.isFile()) {
      let size = settled.get(p);
      if (size === undefined) {
        try {
          stats.made++;
          const st = await stat(p);
          size = st.size;
          // a recording still being written grows: asked again next time
          if (now - st.mtimeMs < SETTLED_MS) {
            acc.bytes += size;
            acc.files++;
            continue;
          }
        } catch {
          // deleted meanwhile
          continue;
        }
      }
      seen.set(p, size);
      acc.bytes += size;
      acc.files++;
    }
  }
}

/**
 * Disk use of Asterisk's recordings folder as the server sees it (RECORDINGS_DIR: the
 * shared host's spool, or the pod's read-only mount): ARI lists recordings but not
 * their sizes. Walked at most once a minute, however often /metrics is scraped. A
 * recording is written once and never changed after, so a walk lists the folders but
 * asks the size only of files it has not seen finished (a busy center keeps tens of
 * thousands of them for the retention period); a file removed drops out with its entry.
 * `stats` (tests) counts the stat calls.
 */
export function recordingsDiskUse(dir: string | null, now: () => number = Date.now, everyMs = 60_000, stats = { made: 0 }): () => Promise<DiskUse> {
  let last: { at: number; use: DiskUse } | null = null;
  let settled: Settled = new Map();
  return async () => {
    if (!dir) return { bytes: 0, files: 0 };
    if (last && now() - last.at < everyMs) return last.use;
    const use = { bytes: 0, files: 0 };
    const seen: Settled = new Map();
    await walk(dir, use, settled, seen, now(), stats);
    settled = seen;
    last = { at: now(), use };
    return use;
  };
}
