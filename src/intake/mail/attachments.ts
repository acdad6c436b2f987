import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { ticketAttachments } from '../schema.js';

export interface StoredFile {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** relative to FILES_DIR */
  storedPath: string;
}

/**
 * Keeps attachment bytes under FILES_DIR, named by their sha256: the same file sent
 * twice is kept once, and a half-written file never takes a real name (temp + rename).
 */
export class AttachmentStore {
  constructor(private readonly filesDir: string) {}

  async save(file: { name: string | undefined; contentType: string; content: Buffer }, index: number): Promise<StoredFile> {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const storedPath = join('attachments', sha256.slice(0, 2), sha256);
    const target = join(this.filesDir, storedPath);
    if (!(await exists(target))) {
      await mkdir(join(this.filesDir, 'attachments', sha256.slice(0, 2)), { recursive: true });
      const temp = `${target}.${randomUUID()}.part`;
      await writeFile(temp, file.content);
      await rename(temp, target);
    }
    return {
      name: safeName(file.name) ?? `attachment-${index + 1}`,
      contentType: file.contentType || 'application/octet-stream',
      size: file.content.length,
      sha256,
      storedPath,
    };
  }
}

/** A file name from a citizen's mail client, fit to show: no path, no control characters, bounded. */
function safeName(name: string | undefined): string | null {
  if (!name) return null;
  // eslint-disable-next-line no-control-regex
  const clean = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean ? clean.slice(0, 200) : null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The attachments kept with tickets: listed and read back for whoever may see the ticket. */
export class TicketAttachments {
  constructor(
    private readonly db: Db,
    private readonly filesDir: string,
  ) {}

  list(ticketId: number): AttachmentRow[] {
    return this.db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, ticketId)).orderBy(ticketAttachments.id).all();
  }

  get(ticketId: number, id: number): AttachmentRow | undefined {
    return this.db.select().from(ticketAttachments).where(and(eq(ticketAttachments.ticketId, ticketId), eq(ticketAttachments.id, id))).get();
  }

  /** Where the bytes are; stored paths are ours (attachments/xx/<sha256>), never a citizen's. */
  pathOf(row: AttachmentRow): string {
    return join(this.filesDir, row.storedPath);
  }
}

export type AttachmentRow = typeof ticketAttachments.$inferSelect;
