import { badRequest } from '../shared/errors.js';
import type { Hit, KbSearchIndex, MatchOptions } from './search-index.js';
import { variants } from './synonyms.js';
import { anyTokenQuery, normalize, queryTokens, runs, textQuery } from './tokenize.js';

/** A search box query made ready for FTS5. */
export interface ParsedQuery {
  /** every run of the query (or a synonym of it) must occur */
  strict: string;
  /** any pair or word of the query may occur; null when no looser than strict */
  loose: string | null;
  /** the texts to look for when cutting a snippet */
  needles: string[];
  /** per run of the query, its alternatives' index tokens; null for a one-character prefix */
  clauses: Array<Array<string[] | null>>;
}

/** Above this much bm25 work (entries walked) a search orders only the newest matches (MatchOptions.broad). */
export const BROAD_MATCHES = 600;

/** Turns what a user typed into FTS5 expressions, expanding synonyms. Null: nothing searchable. */
export function parseQuery(q: string, synonymGroups: readonly string[][]): ParsedQuery | null {
  const clauses: string[] = [];
  const clauseTokens: ParsedQuery['clauses'] = [];
  const needles: string[] = [];
  const tokens = new Set<string>();
  for (const run of runs(q)) {
    const alternatives = [run.text, ...variants(run.text, run.kind, synonymGroups)];
    const expressions = alternatives.map(textQuery).filter((e): e is string => e !== null);
    clauses.push(expressions.length === 1 ? expressions[0] : `(${expressions.join(' OR ')})`);
    needles.push(...alternatives);
    clauseTokens.push(alternatives.map((alt) => (runs(alt).some((r) => r.kind === 'han' && Array.from(r.text).length === 1) ? null : queryTokens(alt))));
    for (const alt of alternatives) for (const t of queryTokens(alt)) tokens.add(t);
  }
  if (clauses.length === 0) return null;
  const strict = clauses.join(' AND ');
  const loose = tokens.size > clauses.length ? anyTokenQuery([...tokens]) : null;
  return { strict, loose, needles, clauses: clauseTokens };
}

export interface SearchItem {
  id: number;
  title: string;
  snippet: string;
  /** higher is better; comparable only within one search */
  score: number;
  type: Hit['type'];
  category: Hit['category'];
  status: Hit['status'];
}

export interface SearchResult {
  items: SearchItem[];
  /** all: every term matched; some: nothing had them all, so these share some of them */
  match: 'all' | 'some';
}

/**
 * Search as the search box does it: entries holding every term (or a synonym of it),
 * ranked by bm25 with the title weighted up; when none has them all, the entries
 * sharing most of their characters.
 */
export function searchEntries(index: KbSearchIndex, q: string, synonymGroups: readonly string[][], opts: MatchOptions): SearchResult {
  const parsed = parseQuery(q, synonymGroups);
  if (!parsed) throw badRequest('q has no letters, digits or Chinese characters to search for');
  let match: SearchResult['match'] = 'all';
  const broad = likelyWork(index, parsed) > BROAD_MATCHES;
  let hits = matchRanked(index, parsed.strict, broad, parsed.needles, opts);
  if (hits.length === 0 && parsed.loose) {
    hits = matchRanked(index, parsed.loose, broad, parsed.needles, opts);
    match = 'some';
  }
  const items = hits.map((h) => ({
    id: h.id,
    title: h.title,
    snippet: snippet(h.body, parsed.needles),
    score: Math.round(-h.bm25 * 1000) / 1000,
    type: h.type,
    category: h.category,
    status: h.status,
  }));
  return { items, match };
}

/**
 * How many matches bm25 would walk: its IDF step counts every entry holding each
 * phrase, so the work is the sum over the query's phrases (each at most its
 * rarest token's entries). One-character prefixes count as broad.
 */
function likelyWork(index: KbSearchIndex, parsed: ParsedQuery): number {
  const alternatives = parsed.clauses.flat();
  const df = index.documentFrequencies(alternatives.flatMap((alt) => alt ?? []));
  return alternatives.reduce((sum, alt) => sum + (alt === null ? Infinity : Math.min(...alt.map((t) => df.get(t) ?? 0))), 0);
}

/**
 * bm25-ranked matches; for a broad query the newest matches instead, those with the
 * words in their title first, then in their keywords (scored -3, -2, -1 like bm25).
 */
function matchRanked(index: KbSearchIndex, expression: string, broad: boolean, needles: readonly string[], opts: MatchOptions): Hit[] {
  if (!broad) return index.match(expression, opts);
  const window = index.match(expression, { ...opts, broad, limit: Math.max(50, opts.limit * 5) });
  const holds = (text: string) => needles.some((n) => normalize(text).includes(n));
  for (const h of window) h.bm25 = holds(h.title) ? -3 : holds(h.keywords) ? -2 : -1;
  return window.sort((a, b) => a.bm25 - b.bm25 || b.id - a.id).slice(0, opts.limit);
}

/** About 80 characters of the body around the first place a needle occurs. */
export function snippet(body: string, needles: readonly string[], width = 80): string {
  const text = body.replace(/\s+/g, ' ').trim();
  const normalized = normalize(text);
  // needles are normalized; positions carry over when normalizing kept the length (nearly always)
  const sameLength = normalized.length === text.length;
  let at = -1;
  for (const needle of sameLength ? needles : []) {
    const i = normalized.indexOf(needle);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const chars = Array.from(text);
  const hit = at <= 0 ? 0 : Array.from(text.slice(0, at)).length;
  const start = Math.max(0, hit - 20);
  const end = Math.min(chars.length, start + width);
  return (start > 0 ? '…' : '') + chars.slice(start, end).join('') + (end < chars.length ? '…' : '');
}
