import { badRequest } from '../shared/errors.js';
import { confidenceOf } from './answer.js';
import type { KbSearchIndex, MatchOptions, Ranking } from './search-index.js';
import { normalize, runs } from './tokenize.js';

export interface SearchItem {
  id: number;
  title: string;
  snippet: string;
  /** higher is better; comparable only within one search */
  score: number;
  type: Ranking['items'][number]['entry']['type'];
  category: Ranking['items'][number]['entry']['category'];
  status: Ranking['items'][number]['entry']['status'];
}

export interface SearchResult {
  items: SearchItem[];
  /** all: the first entries hold every word of the query; some: none does, these share some */
  match: 'all' | 'some';
}

/**
 * Search as the search box on the desk does it, with the matching online answering
 * uses (BM25F over words and pairs, read through the vocabulary): entries holding
 * every word of the query first, then those sharing some.
 */
export function searchEntries(index: KbSearchIndex, q: string, opts: MatchOptions): SearchResult {
  if (runs(q).length === 0) throw badRequest('q（检索词）须含有汉字、字母或数字');
  const ranking = index.rank(q, { ...opts, limit: Math.max(opts.limit * 3, 30) });
  const needles = ranking.terms.filter((t) => t.df > 0).map((t) => t.term);
  const covers = (r: Ranking['items'][number]) => confidenceOf(r, ranking) >= 0.999;
  const all = ranking.items.filter(covers);
  const ordered = [...all, ...ranking.items.filter((r) => !covers(r))].slice(0, opts.limit);
  const items = ordered.map((r) => ({
    id: r.entry.id,
    title: r.entry.title,
    snippet: snippet(r.entry.body, needles),
    score: Math.round(r.score * 1000) / 1000,
    type: r.entry.type,
    category: r.entry.category,
    status: r.entry.status,
  }));
  return { items, match: all.length > 0 ? 'all' : 'some' };
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
