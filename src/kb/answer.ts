import type { Hit, KbSearchIndex } from './search-index.js';
import { anyTokenQuery, normalize, queryTokens, runs, stripFiller } from './tokenize.js';

/** Below this the best entry is not trusted to answer a citizen: a ticket is opened instead. */
export const ANSWER_CONFIDENCE = 0.5;
const CANDIDATES = 20;
/** tokens in more entries than this are too common to fetch candidates by */
const RARE_TOKEN = 2_000;

/**
 * Something the question asks about: a pair of characters or a word, or a synonym
 * term standing for its whole group. An entry covers it if it holds any alternative.
 */
interface Concept {
  alternatives: string[];
  /** how telling it is: rare in the knowledge base weighs more; unknown weighs nothing */
  weight: number;
}

export interface ScoredEntry {
  hit: Hit;
  /** 0..1: how much of what the question asks the entry speaks to */
  confidence: number;
}

/**
 * Finds the published entries that best answer a free-text question. Confidence is
 * the share of the question's telling pairs/words (weighted by rarity) the entry
 * holds, with those in its title or keywords counting extra, lowered when much of
 * the question is about things the knowledge base never mentions.
 */
export function scoreAnswers(index: KbSearchIndex, question: string, synonymGroups: readonly string[][], today: string): ScoredEntry[] {
  const concepts = conceptsOf(index, question, synonymGroups);
  const known = concepts.filter((c) => c.weight > 0);
  if (known.length === 0) return [];
  // candidates come from the rarest tokens: they tell most, and bm25's cost grows with
  // every entry a token is in; when all are common, the newest holders of the rarest
  const tokens = [...new Set(known.flatMap((c) => c.alternatives.flatMap(queryTokens)))];
  const df = index.documentFrequencies(tokens);
  const byRarity = tokens.filter((t) => (df.get(t) ?? 0) > 0).sort((a, b) => df.get(a)! - df.get(b)!);
  const rare = byRarity.filter((t) => df.get(t)! <= RARE_TOKEN).slice(0, 8);
  const broad = rare.length === 0;
  const expression = anyTokenQuery(broad ? byRarity.slice(0, 3) : rare);
  if (!expression) return [];
  const hits = index.match(expression, { visibility: { kind: 'public', today }, limit: broad ? CANDIDATES * 5 : CANDIDATES, broad });
  const total = known.reduce((s, c) => s + c.weight, 0);
  const knownShare = known.length / concepts.length;
  const scored = hits.map((hit) => {
    const heading = normalize(`${hit.title} ${hit.keywords}`);
    const whole = `${heading} ${normalize(hit.body)}`;
    const covered = (text: string) => known.reduce((s, c) => (c.alternatives.some((a) => text.includes(a)) ? s + c.weight : s), 0) / total;
    const raw = 0.7 * covered(whole) + 0.3 * covered(heading);
    return { hit, confidence: round(raw * Math.min(1, 0.4 + knownShare)) };
  });
  return scored.sort((a, b) => b.confidence - a.confidence || a.hit.bm25 - b.hit.bm25);
}

function conceptsOf(index: KbSearchIndex, question: string, synonymGroups: readonly string[][]): Concept[] {
  let text = stripFiller(question);
  const groups: string[][] = [];
  for (const group of synonymGroups) {
    const term = group.find((t) => text.includes(t));
    if (!term) continue;
    groups.push(group);
    text = text.replaceAll(term, ' ');
  }
  // single characters say too little on their own to count
  const tokens = queryTokens(text).filter((t) => runs(t)[0]?.kind === 'word' || Array.from(t).length > 1);
  const df = index.documentFrequencies([...tokens, ...groups.flat().flatMap(queryTokens)]);
  const n = Math.max(1, index.entryCount());
  const weight = (docs: number) => (docs === 0 ? 0 : Math.log(1 + n / docs));
  // a term occurs in no more entries than its rarest pair
  const termDocs = (term: string) => Math.min(...queryTokens(term).map((t) => df.get(t) ?? 0));
  return [
    ...groups.map((g) => ({ alternatives: g, weight: weight(Math.max(...g.map(termDocs))) })),
    ...tokens.map((t) => ({ alternatives: [t], weight: weight(df.get(t) ?? 0) })),
  ];
}

const round = (x: number) => Math.round(x * 100) / 100;
