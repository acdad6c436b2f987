import type Database from 'better-sqlite3';
import { indexText } from './tokenize.js';
import type { KbCategory, KbStatus, KbType } from './schema.js';

/** Column weights for bm25 (title, keywords, body): a hit in the title counts most. */
const BM25 = 'bm25(kb_fts, 10.0, 5.0, 1.0)';

/** Which entries a reader may find. */
export type Visibility =
  /** citizens, and staff by default: published and in effect today */
  | { kind: 'public'; today: string }
  /** a department asking for drafts: everything published, and its own in any state */
  | { kind: 'department'; departmentId: string }
  /** admins and centre staff asking for drafts */
  | { kind: 'all' };

export interface IndexedEntry {
  id: number;
  title: string;
  keywords: readonly string[];
  body: string;
}

export interface Hit {
  id: number;
  type: KbType;
  category: KbCategory;
  status: KbStatus;
  title: string;
  body: string;
  keywords: string;
  /** bm25: lower is better */
  bm25: number;
}

export interface MatchOptions {
  visibility: Visibility;
  type?: KbType;
  category?: KbCategory;
  limit: number;
  /**
   * The query matches so many entries that bm25 would be slow: take the newest
   * matches, unranked (bm25 = 0), and let the caller order them.
   */
  broad?: boolean;
}

/**
 * The FTS5 index over entries (kb_fts, see fts.sql). Writes go through the same
 * connection as the entry's own write, so they share its transaction.
 */
export class KbSearchIndex {
  private readonly statements = new Map<string, Database.Statement>();
  /**
   * Token → number of entries holding it. fts5vocab counts by walking the token's
   * whole list (milliseconds for a common word), so counts are kept until the next
   * write; the knowledge base is read far more often than it is written.
   */
  private readonly frequencies = new Map<string, number>();

  constructor(private readonly sqlite: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.sqlite.prepare(sql)));
    return s;
  }

  /** (Re)indexes an entry's current text. Call inside the transaction that changed it. */
  put(entry: IndexedEntry): void {
    this.frequencies.clear();
    this.stmt('DELETE FROM kb_fts WHERE rowid = ?').run(entry.id);
    this.stmt('INSERT INTO kb_fts (rowid, title, keywords, body) VALUES (?, ?, ?, ?)').run(
      entry.id,
      indexText(entry.title),
      indexText(entry.keywords.join(' ')),
      indexText(entry.body),
    );
  }

  /**
   * Entries matching an FTS5 expression, best first, that the reader may see. The
   * ranking looks at a window of the best matches first and widens to all matches
   * only when filters leave too few: most searches never rank the long tail twice.
   */
  match(expression: string, opts: MatchOptions): Hit[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { match: expression, limit: opts.limit };
    const v = opts.visibility;
    if (v.kind === 'public') {
      where.push(`e.status = 'published'`, '(e.effective_from IS NULL OR e.effective_from <= @today)', '(e.effective_until IS NULL OR e.effective_until >= @today)');
      params.today = v.today;
    } else if (v.kind === 'department') {
      where.push(`(e.status = 'published' OR e.source_department = @department)`);
      params.department = v.departmentId;
    }
    if (opts.type) {
      where.push('e.type = @type');
      params.type = opts.type;
    }
    if (opts.category) {
      where.push('e.category = @category');
      params.category = opts.category;
    }
    // CROSS JOIN keeps the ranked matches as the outer loop (SQLite does not reorder it);
    // otherwise the planner may walk every published entry and probe the matches
    // A broad query skips bm25, whose IDF step alone walks every match of every
    // phrase: FTS5 walks rowids in order and stops at LIMIT, so its work is bounded.
    // The caller orders that window (see search.ts).
    const ranked = opts.broad
      ? `SELECT rowid AS id, 0 AS bm25 FROM kb_fts WHERE kb_fts MATCH @match ORDER BY rowid DESC LIMIT @window`
      : `SELECT rowid AS id, ${BM25} AS bm25 FROM kb_fts WHERE kb_fts MATCH @match ORDER BY bm25 LIMIT @window`;
    const sql = `SELECT e.id, e.type, e.category, e.status, e.title, e.body, e.keywords, m.bm25
      FROM (${ranked}) m
      CROSS JOIN kb_entries e ON e.id = m.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY m.bm25, e.id DESC LIMIT @limit`;
    const window = opts.broad ? opts.limit * 2 : Math.max(100, opts.limit * 10);

    const hits = this.stmt(sql).all({ ...params, window }) as Hit[];
    if (hits.length >= opts.limit || where.length === 0) return hits;
    // filters ate the window: rank every match
    return this.stmt(sql).all({ ...params, window: -1 }) as Hit[];
  }

  /** In how many entries each token occurs (any state). */
  documentFrequencies(tokens: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const s = this.stmt('SELECT doc FROM kb_fts_vocab WHERE term = ?');
    for (const t of tokens) {
      let n = this.frequencies.get(t);
      if (n === undefined) {
        n = (s.get(t) as { doc: number } | undefined)?.doc ?? 0;
        if (this.frequencies.size > 100_000) this.frequencies.clear();
        this.frequencies.set(t, n);
      }
      out.set(t, n);
    }
    return out;
  }

  entryCount(): number {
    return (this.stmt('SELECT count(*) AS n FROM kb_entries').get() as { n: number }).n;
  }
}
