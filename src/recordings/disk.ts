import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskUse {
  bytes: number;
  files: number;
}

async function walk(dir: string, acc: DiskUse): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, acc);
    else if (e.isFile()) {
      try {
        acc.bytes += (await stat(p)).size;
        acc.files++;
      } catch {
        // deleted meanwhile
      }
    }
  }
}

/**
 * Disk use of Asterisk's recordings folder as the server sees it (RECORDINGS_DIR: the
 * shared host's spool, or the pod's read-only mount): ARI lists recordings but not
 * their sizes. Walked at most once a minute, however often /metrics is scraped.
 */
export function recordingsDiskUse(dir: string | null, now: () => number = Date.now, everyMs = 60_000): () => Promise<DiskUse> {
  let last: { at: number; use: DiskUse } | null = null;
  return async () => {
    if (!dir) return { bytes: 0, files: 0 };
    if (last && now() - last.at < everyMs) return last.use;
    const use = { bytes: 0, files: 0 };
    await walk(dir, use);
    last = { at: now(), use };
    return use;
  };
}
