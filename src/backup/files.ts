// Attachments and recordings live outside the database. Each backup lists every such
// file with its size and SHA-256 (a manifest beside the database copy) and copies it
// into BACKUP_DIR/files/<sha256>: stored once however many backups name it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface FileEntry {
  /** which folder: attachments (FILES_DIR) or recordings (RECORDINGS_DIR) */
  area: string;
  path: string;
  bytes: number;
  sha256: string;
}

export interface FileArea {
  area: string;
  dir: string | null | undefined;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (c) => h.update(c)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

/** Lists and stores the files; a file that vanishes meanwhile (a recording deleted) is skipped. */
export async function backupFiles(areas: FileArea[], backupDir: string): Promise<FileEntry[]> {
  const store = join(backupDir, 'files');
  const entries: FileEntry[] = [];
  for (const { area, dir } of areas) {
    if (!dir || !existsSync(dir)) continue;
    for await (const file of walk(dir)) {
      try {
        const [{ size }, sha256] = await Promise.all([stat(file), sha256File(file)]);
        const stored = join(store, sha256.slice(0, 2), sha256);
        if (!existsSync(stored)) {
          await mkdir(join(store, sha256.slice(0, 2)), { recursive: true });
          await copyFile(file, `${stored}.partial`);
          await rename(`${stored}.partial`, stored);
        }
        entries.push({ area, path: relative(dir, file), bytes: size, sha256 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  return entries;
}

export async function writeManifest(dbBackup: string, entries: FileEntry[]): Promise<string> {
  const file = `${dbBackup}.files.json`;
  await writeFile(file, `${JSON.stringify({ database: dbBackup, files: entries }, null, 1)}\n`);
  return file;
}
