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
  private vocabularyCache: Vocabulary | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  list(): SynonymGroup[] {
    return this.db.select().from(kbSynonyms).orderBy(kbSynonyms.id).all();
  }

  /** The groups as normalized terms. */
  groups(): string[][] {
    this.cache ??= this.list().map((g) => g.terms);
    return this.cache;
  }

  /** The groups as the vocabulary matching reads through; a new object after every change. */
  vocabulary(): Vocabulary {
    this.vocabularyCache ??= new Vocabulary(this.groups());
    return this.vocabularyCache;
  }

  private changed(): void {
    this.cache = null;
    this.vocabularyCache = null;
  }

  create(terms: string[], actor: Actor): SynonymGroup {
    const clean = cleanTerms(terms);
    const [row] = this.db.insert(kbSynonyms).values({ terms: clean, updatedBy: actor.name, updatedAt: this.now() }).returning().all();
    this.changed();
    return row;
  }

  update(id: number, terms: string[], actor: Actor): SynonymGroup {
    const clean = cleanTerms(terms);
    const [row] = this.db.update(kbSynonyms).set({ terms: clean, updatedBy: actor.name, updatedAt: this.now() }).where(eq(kbSynonyms.id, id)).returning().all();
    if (!row) throw notFound('同义词组');
    this.changed();
    return row;
  }

  remove(id: number): void {
    const deleted = this.db.delete(kbSynonyms).where(eq(kbSynonyms.id, id)).returning().all();
    if (deleted.length === 0) throw notFound('同义词组');
    this.changed();
  }
}

/** Terms as searched (NFKC, lower case, trimmed), distinct, each searchable, at least two. */
function cleanTerms(terms: string[]): string[] {
  const clean = [...new Set(terms.map((t) => normalize(t).trim()).filter(Boolean))];
  const unsearchable = clean.filter((t) => runs(t).length === 0);
  if (unsearchable.length) throw badRequest(`terms：同义词须含有汉字、字母或数字：${unsearchable.join('、')}`);
  if (clean.length < 2) throw badRequest('terms：同义词组至少需要两个不同的词');
  return clean;
}

/**
 * The vocabulary a question and an entry are read through: every term of a group
 * stands for the group's first, formal term (丢了 → 遗失, 领养 → 收养). Terms are found
 * leftmost-longest, so a formal term is never rewritten inside itself.
 */
export class Vocabulary {
  /** first character → terms starting with it, longest first */
  private readonly byFirst = new Map<string, Array<{ term: string; formal: string }>>();
  readonly formalTerms: string[];
  readonly allTerms: string[];

  constructor(groups: readonly string[][]) {
    const seen = new Set<string>();
    for (const group of groups) {
      const [formal] = group;
      for (const term of group) {
        if (seen.has(term)) continue;
        seen.add(term);
        const first = term[0];
        const list = this.byFirst.get(first) ?? [];
        list.push({ term, formal });
        this.byFirst.set(first, list);
      }
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.term.length - a.term.length);
    this.formalTerms = [...new Set(groups.map((g) => g[0]))];
    this.allTerms = [...seen];
  }

  /** A term of some synonym group (colloquial or formal). */
  isTerm(term: string): boolean {
    return this.byFirst.get(term[0])?.some((c) => c.term === term) ?? false;
  }

  /** Normalized text with each known term replaced by its formal term, set apart by spaces. */
  read(text: string): string {
    const s = normalize(text);
    if (this.byFirst.size === 0) return s;
    let out = '';
    for (let i = 0; i < s.length; ) {
      const found = this.byFirst.get(s[i])?.find((c) => s.startsWith(c.term, i));
      if (found) {
        out += found.formal === found.term ? found.term : ` ${found.formal} `;
        i += found.term.length;
      } else {
        out += s[i++];
      }
    }
    return out;
  }
}
