// The ticket text search's index (GET /api/tickets?q=): one FTS5 row per ticket, its
// rowid the ticket id, holding the terms of search-terms.ts (pairs of Han characters)
// over the title, content, address and replies (the answer, its draft, the handler's
// result, the citizen's follow-up e-mails).
//
// Masking: column `masked` holds the text as a viewer who does not work the ticket reads
// it (numbers and e-mails scrubbed, the address to its street); column `extra` holds the
// full text of the fields masking changed. A masked viewer's query reads `masked` only,
// so a search never finds a ticket by what the viewer may not see.
//
// Contentless (the text stays in tickets), kept in step by TicketService in the same
// transaction as each write that changes a searched text. Tickets older than the index
// (the migration leaves a backlog mark) are indexed by catchUp() at start-up.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/index.js';
import { maskAddress, scrubText } from '../shared/masking.js';
import { indexTerms } from './search-terms.js';
import type { Ticket } from './services.js';

/** the ticket fields the search reads; a change to any of them re-indexes the ticket */
export const SEARCHED_FIELDS = ['title', 'content', 'address', 'reply', 'draftReply', 'result'] as const;
/** the history events whose text is searched too (the citizen's follow-up e-mails) */
export const SEARCHED_EVENTS = ['mail_received'];

export class TicketTextIndex {
  constructor(private readonly db: Db) {}

  private statements?: { remove: Statement; insert: Statement; followUps: Statement };
  private get st() {
    const c = this.db.$client;
    return (this.statements ??= {
      remove: c.prepare('DELETE FROM ticket_search WHERE rowid = ?'),
      insert: c.prepare('INSERT INTO ticket_search (rowid, masked, extra) VALUES (?, ?, ?)'),
      followUps: c.prepare(`SELECT json_extract(data, '$.text') AS text FROM ticket_events WHERE ticket_id = ? AND action = 'mail_received'`),
    });
  }

  /** (Re)indexes one ticket; the caller's transaction, if any, covers it. */
  put(t: Ticket, isNew = false): void {
    const followUps = isNew ? [] : (this.st.followUps.all(t.id) as Array<{ text: unknown }>).map((r) => (typeof r.text === 'string' ? r.text : null));
    const texts = [t.title, t.content, t.reply, t.draftReply, t.result, ...followUps];
    const masked = [...texts.map(scrubText), maskAddress(t.address)];
    const extra = [...texts.filter((x) => x && scrubText(x) !== x), t.address && maskAddress(t.address) !== t.address ? t.address : null];
    if (!isNew) this.st.remove.run(t.id);
    const maskedTerms = indexTerms(masked);
    const extraTerms = indexTerms(extra);
    // no text, nothing to find (a phone call's ticket at first): no row until it has some
    if (!maskedTerms && !extraTerms) return;
    this.st.insert.run(t.id, maskedTerms, extraTerms);
  }

  /**
   * Indexes the tickets the index was created after (the migration's backlog mark), in
   * batches of one transaction each; returns how many. Nothing to do on a new database.
   */
  catchUp(batch = 5000, progress?: (done: number) => void): number {
    const c = this.db.$client;
    const mark = c.prepare('SELECT max(below) AS below FROM ticket_search_backlog').get() as { below: number | null };
    if (mark.below === null) return 0;
    const page = c.prepare('SELECT * FROM tickets WHERE id < ? ORDER BY id DESC LIMIT ?');
    let below = mark.below;
    let done = 0;
    for (;;) {
      const rows = page.all(below, batch) as Array<Record<string, unknown>>;
      if (!rows.length) break;
      c.transaction(() => {
        for (const raw of rows) this.put(rowToTicket(raw));
        below = rows[rows.length - 1].id as number;
        c.prepare('UPDATE ticket_search_backlog SET below = ?').run(below);
      })();
      done += rows.length;
      progress?.(done);
    }
    c.prepare('DELETE FROM ticket_search_backlog').run();
    return done;
  }
}

/** The searched fields of a raw tickets row (catchUp reads rows without drizzle's mapping). */
function rowToTicket(raw: Record<string, unknown>): Ticket {
  return { id: raw.id, title: raw.title, content: raw.content, address: raw.address, reply: raw.reply, draftReply: raw.draft_reply, result: raw.result } as Ticket;
}
