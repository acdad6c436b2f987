import { CIVIL_AFFAIRS, CIVIL_AFFAIRS_PEOPLE, OTHER_DEPARTMENTS } from './scope.js';
import type { KbSearchIndex, Ranked, Ranking } from './search-index.js';

/** At or above this the best entry answers the citizen. */
export const ANSWER_CONFIDENCE = 0.4;
/** At or above this (and below the answer) the citizen is offered the best entries to choose from. */
export const SUGGEST_CONFIDENCE = 0.15;
/** share of confidence from the question's words; the rest from its character pairs */
const WORD_SHARE = 0.6;
const CANDIDATES = 10;

export interface ScoredEntry extends Ranked {
  /** 0..1: how much of what the question asks the entry speaks to */
  confidence: number;
}

export type Outcome = 'answered' | 'suggested' | 'unanswered' | 'out_of_scope';

export interface Answering {
  outcome: Outcome;
  /** best first; the first answers when answered, the next two are "您是不是想问" */
  entries: ScoredEntry[];
  confidence: number;
}

/**
 * The coverage confidence on top of BM25F's order: the share of the question's telling
 * words and pairs (weighted by rarity; words the knowledge base never uses weigh as the
 * rarest) that the entry holds in any field.
 */
export function confidenceOf(r: Ranked, ranking: Ranking): number {
  const words = ranking.wordsTotal > 0 ? r.wordsCovered / ranking.wordsTotal : null;
  const pairs = ranking.pairsTotal > 0 ? r.pairsCovered / ranking.pairsTotal : null;
  const c = words === null ? (pairs ?? 0) : pairs === null ? words : WORD_SHARE * words + (1 - WORD_SHARE) * pairs;
  return Math.round(Math.min(1, c) * 100) / 100;
}

/** The published entries that best answer a question, ranked by BM25F, with their confidence. */
export function scoreAnswers(index: KbSearchIndex, question: string, today: string, limit = CANDIDATES): { ranking: Ranking; scored: ScoredEntry[] } {
  const ranking = index.rank(question, { visibility: { kind: 'public', today }, limit });
  return { ranking, scored: ranking.items.map((r) => ({ ...r, confidence: confidenceOf(r, ranking) })) };
}

/** How far ahead (BM25F) the best must be of the next to answer alone; closer, the citizen chooses. */
const LEAD = 1.05;

/** The best entry stands out: the next speaks to less of the question, or ranks clearly lower. */
function clearlyFirst(scored: ScoredEntry[]): boolean {
  const [first, second] = scored;
  if (!second) return true;
  return first.confidence > second.confidence + 0.05 || first.score >= second.score * LEAD;
}

const holdsAny = (text: string, words: readonly string[]) => words.some((w) => text.includes(w));
const withoutAny = (text: string, words: readonly string[]) => words.reduce((t, w) => t.replaceAll(w, ' '), text);

/**
 * What online answering makes of a question: an answer with two more to choose from,
 * only choices, nothing (a ticket may be left), or not ours (12345).
 */
export function answerQuestion(index: KbSearchIndex, question: string, today: string): Answering {
  const { scored } = scoreAnswers(index, question, today);
  const read = index.readQuestion(question);
  // 养老金 and 婚宴 hold 养老 and 婚: civil-affairs words are looked for outside other departments' words
  const ours = withoutAny(read, OTHER_DEPARTMENTS);
  const other = holdsAny(read, OTHER_DEPARTMENTS);
  // 老人 with 医院 is the hospital's question; 老人 alone may be ours
  const civil = holdsAny(ours, CIVIL_AFFAIRS) || (!other && holdsAny(ours, CIVIL_AFFAIRS_PEOPLE));
  const best = scored[0]?.confidence ?? 0;
  const entries = scored.slice(0, 3);
  if (!civil && other) return { outcome: 'out_of_scope', entries: [], confidence: best };
  // sharing only generic words (申请, 随申办, 证) with every entry is no sign the question is ours
  const topical = scored.some((s) => s.topicalCovered > 0);
  if (!civil && !topical) return { outcome: 'out_of_scope', entries: [], confidence: best };
  if (best >= ANSWER_CONFIDENCE && scored[0].topicalCovered > 0 && clearlyFirst(scored)) return { outcome: 'answered', entries, confidence: best };
  if (best >= SUGGEST_CONFIDENCE) return { outcome: 'suggested', entries, confidence: best };
  return civil ? { outcome: 'unanswered', entries: [], confidence: best } : { outcome: 'out_of_scope', entries: [], confidence: best };
}
