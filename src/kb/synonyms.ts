import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { badRequest, notFound } from '../shared/errors.js';
import { kbSynonyms } from './schema.js';
import { normalize, runs } from './tokenize.js';

export type SynonymGroup = typeof kbSynonyms.$inferSelect;

/**
 * Groups of interchangeable terms (低保 ↔ 最低生活保障), kept by admins and read on
 * every search: cached in memory and dropped whenever a group changes.
 */
export class SynonymStore {
  private cache: string[][] | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  list(): SynonymGroup[] {
    return this.db.select().from(kbSynonyms).orderBy(kbSynonyms.id).all();
  }

  /** The groups as normalized terms, for expanding queries. */
  groups(): string[][] {
    this.cache ??= this.list().map((g) => g.terms);
    return this.cache;
  }

  create(terms: string[], actor: Actor): SynonymGroup {
    const clean = cleanTerms(terms);
    const [row] = this.db.insert(kbSynonyms).values({ terms: clean, updatedBy: actor.name, updatedAt: this.now() }).returning().all();
    this.cache = null;
    return row;
  }

  update(id: number, terms: string[], actor: Actor): SynonymGroup {
    const clean = cleanTerms(terms);
    const [row] = this.db.update(kbSynonyms).set({ terms: clean, updatedBy: actor.name, updatedAt: this.now() }).where(eq(kbSynonyms.id, id)).returning().all();
    if (!row) throw notFound('synonym group');
    this.cache = null;
    return row;
  }

  remove(id: number): void {
    const deleted = this.db.delete(kbSynonyms).where(eq(kbSynonyms.id, id)).returning().all();
    if (deleted.length === 0) throw notFound('synonym group');
    this.cache = null;
  }
}

/** Terms as searched (NFKC, lower case, trimmed), distinct, each searchable, at least two. */
function cleanTerms(terms: string[]): string[] {
  const clean = [...new Set(terms.map((t) => normalize(t).trim()).filter(Boolean))];
  const unsearchable = clean.filter((t) => runs(t).length === 0);
  if (unsearchable.length) throw badRequest(`synonyms need letters or characters: ${unsearchable.join(', ')}`);
  if (clean.length < 2) throw badRequest('a synonym group needs at least two different terms');
  return clean;
}

/**
 * The other ways of writing a piece of query text: each synonym found in it swapped
 * for each other term of its group (低保申请 → 最低生活保障申请). Han text matches
 * synonyms inside it; a word only as a whole.
 */
export function variants(text: string, kind: 'han' | 'word', groups: readonly string[][], max = 8): string[] {
  const out = new Set<string>();
  for (const group of groups) {
    for (const term of group) {
      const found = kind === 'han' ? text.includes(term) : text === term;
      if (!found) continue;
      for (const other of group) if (other !== term) out.add(text.replaceAll(term, other));
    }
  }
  out.delete(text);
  return [...out].slice(0, max);
}
