import type Database from 'better-sqlite3';
import { Homophones } from './homophones.js';
import { OTHER_DEPARTMENTS } from './scope.js';
import { addUserTerms, cut, isFiller, isGeneric, termsOf } from './segment.js';
import type { Vocabulary } from './synonyms.js';
import { normalize } from './tokenize.js';
import type { KbCategory, KbStatus, KbType } from './schema.js';

/** Which entries a reader may find. */
export type Visibility =
  /** citizens, and staff by default: published and in effect today */
  | { kind: 'public'; today: string }
  /** a department asking for drafts: everything published, and its own in any state */
  | { kind: 'department'; departmentId: string }
  /** admins and centre staff asking for drafts */
  | { kind: 'all' };

/** What the index keeps of an entry: its text and what decides who may find it. */
export interface IndexedEntry {
  id: number;
  type: KbType;
  category: KbCategory;
  status: KbStatus;
  title: string;
  body: string;
  keywords: readonly string[];
  questions: readonly string[];
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  sourceDepartment: string | null;
}

export interface MatchOptions {
  visibility: Visibility;
  type?: KbType;
  category?: KbCategory;
  limit: number;
}

/**
 * Fields and their weights in BM25F: a citizen's question is most like the ways others
 * asked (相似问法), then the title, the keywords and last the body. `b` is how much a long
 * field is discounted.
 */
export const FIELDS = [
  { name: 'questions', weight: 3, b: 0.3 },
  { name: 'title', weight: 3, b: 0.3 },
  { name: 'keywords', weight: 2, b: 0.2 },
  { name: 'body', weight: 1, b: 0.75 },
] as const;
const K1 = 1.2;
/** a pair tells less than a word: many pairs straddle two words */
export const PAIR_WEIGHT = 0.4;
/** a word no entry uses: part of the question the knowledge base cannot speak to, but often just chatter */
const UNKNOWN_WEIGHT = 0.4;
/** a one-character word (修, 补) tells less than a longer one */
const SHORT_WORD_WEIGHT = 0.5;
/** a word of nearly every service (申请, 材料, 电话) tells less than the service's own words */
const GENERIC_WEIGHT = 0.6;

export interface QueryTerm {
  term: string;
  kind: 'word' | 'pair';
  /** idf × kind weight; unknown terms (in no entry) weigh as the rarest */
  weight: number;
  df: number;
  /** a word that can pick an entry by itself (not generic, not one character) */
  topical: boolean;
}

export interface Ranked {
  entry: IndexedEntry;
  /** BM25F over words and pairs */
  score: number;
  /** the weight of the question's words / pairs the entry holds (in any field) */
  wordsCovered: number;
  pairsCovered: number;
  /** the weight of the question's topical words the entry holds: 0 when it shares only generic ones */
  topicalCovered: number;
}

export interface Ranking {
  terms: QueryTerm[];
  /** the weight of all the question's words / pairs, known or not */
  wordsTotal: number;
  pairsTotal: number;
  /** how many of the question's words the knowledge base knows at all */
  knownWords: number;
  items: Ranked[];
}

/** other departments' words are spelt as meant: never read as a civil-affairs word that sounds alike */
const OTHER_DEPARTMENT_WORDS = new Set(OTHER_DEPARTMENTS);

/** Terms in more entries than this share (and COMMON_MIN_DF) find candidates by their head fields only. */
const COMMON_SHARE = 0.02;
const COMMON_MIN_DF = 500;
/** candidates re-scored with the common terms */
const CANDIDATES = 200;
/** head postings of a common word walked at most (Postings.headWalk) */
const HEAD_WALK = 2000;

/** Index of a slot in a term's postings, or -1. */
function find(p: Postings, slot: number): number {
  let lo = 0;
  let hi = p.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = p.slots[mid];
    if (v === slot) return mid;
    if (v < slot) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Growable typed arrays of slots and term weights. */
class SlotList {
  slots = new Int32Array(4);
  tf = new Float32Array(4);
  n = 0;
  push(slot: number, tf: number): void {
    if (this.n === this.slots.length) {
      const slots = new Int32Array(this.n * 2);
      slots.set(this.slots);
      this.slots = slots;
      const w = new Float32Array(this.n * 2);
      w.set(this.tf);
      this.tf = w;
    }
    this.slots[this.n] = slot;
    this.tf[this.n++] = tf;
  }
}

/**
 * A term's postings: entry slots and their BM25F term weight, whether the term is in one
 * of the entry's head fields (questions, title, keywords), and those head postings apart,
 * so a common term's head postings are walked without reading its body ones.
 */
class Postings extends SlotList {
  headFlags = new Uint8Array(4);
  readonly head = new SlotList();
  /** the head postings by weight, heaviest first: built when first walked after a change */
  private strongest: SlotList | null = null;
  add(slot: number, tf: number, head: boolean): void {
    if (this.n === this.headFlags.length) {
      const h = new Uint8Array(this.n * 2);
      h.set(this.headFlags);
      this.headFlags = h;
    }
    this.headFlags[this.n] = head ? 1 : 0;
    if (head) {
      this.head.push(slot, tf);
      this.strongest = null;
    }
    this.push(slot, tf);
  }
  /**
   * The head postings a common word is walked in: all of them up to HEAD_WALK, else the
   * HEAD_WALK heaviest (where the word is most of a short title or phrasing). A word in
   * the head fields of tens of thousands of entries would otherwise cost every question
   * that holds it milliseconds; its other entries are still found by the question's
   * rarer words and re-scored with it.
   */
  headWalk(): { list: SlotList; n: number } {
    if (this.head.n <= HEAD_WALK) return { list: this.head, n: this.head.n };
    if (!this.strongest) {
      const order = Array.from({ length: this.head.n }, (_, i) => i).sort((a, b) => this.head.tf[b] - this.head.tf[a] || this.head.slots[a] - this.head.slots[b]);
      const sorted = new SlotList();
      for (const i of order) sorted.push(this.head.slots[i], this.head.tf[i]);
      this.strongest = sorted;
      this.walked = new Set(sorted.slots.subarray(0, HEAD_WALK));
    }
    return { list: this.strongest, n: HEAD_WALK };
  }
  private walked: Set<number> | null = null;
  /** whether walking this word's head postings (headWalk) reached `slot`'s entry, at index i */
  headWalked(i: number, slot: number): boolean {
    if (this.headFlags[i] !== 1) return false;
    return this.head.n <= HEAD_WALK || (this.walked?.has(slot) ?? false);
  }
}

const key = (kind: 'word' | 'pair', term: string) => (kind === 'word' ? `w${term}` : `p${term}`);

/**
 * The knowledge base's search index, in memory: BM25F over segmented words and
 * character pairs, fields weighted. Built from kb_entries on first use and whenever the
 * vocabulary changes (entries are read through it); kept in step by put() inside each
 * write's transaction. An entry changed is a new slot; old slots are skipped, and the
 * index is rebuilt when they pile up.
 */
export class KbSearchIndex {
  private postings = new Map<string, Postings>();
  private entries: Array<IndexedEntry | null> = [];
  private slotOf = new Map<number, number>();
  private lengthSums = FIELDS.map(() => 0);
  private builtWith: Vocabulary | null = null;
  private dead = 0;
  /** the index's words by sound, to read a question's misspellings (homophones.ts) */
  private homophones = new Homophones();
  /** per query scratch: accumulated score and coverage per slot, and the slots touched */
  private score = new Float64Array(0);
  private words = new Float64Array(0);
  private pairsCov = new Float64Array(0);
  private topical = new Float64Array(0);
  private touched = new Int32Array(0);

  constructor(
    private readonly sqlite: Database.Database,
    private readonly vocabulary: () => Vocabulary,
  ) {}

  /** (Re)indexes an entry as it now stands. Call inside the transaction that changed it. */
  put(entry: IndexedEntry): void {
    if (!this.builtWith) return; // built from the table on first use
    this.remove(entry.id);
    this.add(entry, this.builtWith);
    if (this.dead > 1000 && this.dead > this.entries.length / 4) this.builtWith = null;
  }

  /** Re-reads the states and dates of every entry (after a bulk change in SQL, as the benchmark does). */
  refreshStates(): void {
    if (!this.builtWith) return;
    const rows = this.sqlite.prepare('SELECT id, status, effective_from AS f, effective_until AS u, source_department AS d FROM kb_entries').all() as Array<{ id: number; status: KbStatus; f: string | null; u: string | null; d: string | null }>;
    for (const r of rows) {
      const slot = this.slotOf.get(r.id);
      const e = slot === undefined ? null : this.entries[slot];
      if (e) Object.assign(e, { status: r.status, effectiveFrom: r.f, effectiveUntil: r.u, sourceDepartment: r.d });
    }
  }

  /** Drops the index: it is built again from the table on next use. */
  rebuild(): void {
    this.builtWith = null;
  }

  size(): number {
    this.ensure();
    return this.slotOf.size;
  }

  /** The vocabulary the index was built with (built now if needed). */
  currentVocabulary(): Vocabulary {
    return this.ensure();
  }

  /**
   * A citizen's question as the index reads it: misspellings by sound put right, then
   * through the vocabulary (colloquial → formal terms).
   */
  readQuestion(text: string): string {
    const vocabulary = this.ensure();
    const df = (w: string) => this.postings.get(key('word', w))?.n ?? 0;
    const isKnown = (w: string) => df(w) > 0 || vocabulary.isTerm(w) || OTHER_DEPARTMENT_WORDS.has(w);
    return vocabulary.read(this.homophones.correct(normalize(text), cut, isKnown, isFiller, df));
  }

  /** The question's terms with their weights. */
  queryTerms(text: string): QueryTerm[] {
    const { words, pairs } = termsOf(this.readQuestion(text));
    const n = Math.max(1, this.slotOf.size);
    const idf = (df: number) => Math.log(1 + (Math.max(0, n - df) + 0.5) / (df + 0.5));
    const out: QueryTerm[] = [];
    for (const [kind, list] of [['word', words], ['pair', pairs]] as const) {
      for (const term of list) {
        const df = this.postings.get(key(kind, term))?.n ?? 0;
        const kindWeight = kind === 'pair' ? PAIR_WEIGHT : Array.from(term).length === 1 ? SHORT_WORD_WEIGHT : 1;
        const generic = kind === 'word' && isGeneric(term);
        const weight = idf(df) * kindWeight * (df === 0 ? UNKNOWN_WEIGHT : 1) * (generic && kindWeight === 1 ? GENERIC_WEIGHT : 1);
        out.push({ term, kind, df, weight, topical: kind === 'word' && !generic });
      }
    }
    return out;
  }

  /** Entries a reader may see, best first by BM25F, with how much of the question each covers. */
  rank(text: string, opts: MatchOptions): Ranking {
    const terms = this.queryTerms(text);
    const wordsTotal = terms.filter((t) => t.kind === 'word').reduce((s, t) => s + t.weight, 0);
    const pairsTotal = terms.filter((t) => t.kind === 'pair').reduce((s, t) => s + t.weight, 0);
    const knownWords = terms.filter((t) => t.kind === 'word' && t.df > 0).length;
    const items = this.accumulate(terms, opts);
    return { terms, wordsTotal, pairsTotal, knownWords, items };
  }

  /**
   * Scores entries by walking the postings of the question's rarer terms. The common
   * terms (in more than COMMON_SHARE of the entries) are walked only where they stand in
   * an entry's head fields (questions, title, keywords), so an entry whose title or
   * phrasings hold them is a candidate even when it lacks every rare term of the
   * question; their body occurrences are then looked up for the best candidates only,
   * by binary search (slots are in ascending order).
   */
  private accumulate(terms: QueryTerm[], opts: MatchOptions): Ranked[] {
    const { score, words, pairsCov: pairs, topical, touched } = this;
    const withPostings = terms.map((t) => ({ t, p: this.postings.get(key(t.kind, t.term)) })).filter((x): x is { t: QueryTerm; p: Postings } => !!x.p);
    const commonDf = Math.max(COMMON_MIN_DF, this.slotOf.size * COMMON_SHARE);
    const looked = withPostings.filter((x) => x.p.n > commonDf);
    let touchedCount = 0;
    for (const { t, p } of withPostings) {
      // a common word is walked in its head postings only; a common pair only looked up
      const common = p.n > commonDf;
      if (common && t.kind === 'pair') continue;
      const { list, n } = common ? p.headWalk() : { list: p as SlotList, n: p.n };
      const isWord = t.kind === 'word';
      for (let i = 0; i < n; i++) {
        const slot = list.slots[i];
        if (score[slot] === 0 && words[slot] === 0 && pairs[slot] === 0) touched[touchedCount++] = slot;
        const tf = list.tf[i];
        score[slot] += (t.weight * tf * (K1 + 1)) / (K1 + tf);
        if (isWord) words[slot] += t.weight;
        else pairs[slot] += t.weight;
        if (t.topical) topical[slot] += t.weight;
      }
    }
    if (touchedCount === 0 && looked.length) {
      // every term common and none in a head field: the two rarest find the candidates
      for (const { t, p } of looked.slice().sort((a, b) => a.p.n - b.p.n).slice(0, 2)) {
        for (let i = 0; i < p.n; i++) {
          const slot = p.slots[i];
          if (score[slot] === 0 && words[slot] === 0 && pairs[slot] === 0) touched[touchedCount++] = slot;
          const tf = p.tf[i];
          score[slot] += (t.weight * tf * (K1 + 1)) / (K1 + tf);
          if (t.kind === 'word') words[slot] += t.weight;
          else pairs[slot] += t.weight;
          if (t.topical) topical[slot] += t.weight;
        }
        looked.splice(looked.findIndex((x) => x.t === t), 1);
      }
    }
    const visible = this.visibleTest(opts);
    const keep = looked.length ? Math.max(opts.limit, CANDIDATES) : opts.limit;
    const best = this.best(touchedCount, keep, visible);
    if (looked.length) {
      for (const slot of best) {
        for (const { t, p } of looked) {
          const i = find(p, slot);
          if (i < 0 || (t.kind === 'word' && p.headWalked(i, slot))) continue;
          const tf = p.tf[i];
          score[slot] += (t.weight * tf * (K1 + 1)) / (K1 + tf);
          if (t.kind === 'word') words[slot] += t.weight;
          else pairs[slot] += t.weight;
          if (t.topical) topical[slot] += t.weight;
        }
      }
      best.sort((a, b) => score[b] - score[a] || this.entries[b]!.id - this.entries[a]!.id);
      best.length = Math.min(best.length, opts.limit);
    }
    const out = best.map((slot) => ({ entry: this.entries[slot]!, score: score[slot], wordsCovered: words[slot], pairsCovered: pairs[slot], topicalCovered: topical[slot] }));
    for (let k = 0; k < touchedCount; k++) {
      const slot = touched[k];
      score[slot] = 0;
      words[slot] = 0;
      pairs[slot] = 0;
      topical[slot] = 0;
    }
    return out;
  }

  /** The `limit` visible touched slots of highest score, best first (a small sorted array: touched can be most of the index). */
  private best(touchedCount: number, limit: number, visible: (e: IndexedEntry) => boolean): number[] {
    const { score, touched } = this;
    const best: number[] = [];
    for (let k = 0; k < touchedCount; k++) {
      const slot = touched[k];
      const s = score[slot];
      if (best.length >= limit && s <= score[best[best.length - 1]]) continue;
      const e = this.entries[slot];
      if (!e || !visible(e)) continue;
      let at = best.length;
      while (at > 0 && (score[best[at - 1]] < s || (score[best[at - 1]] === s && this.entries[best[at - 1]]!.id < e.id))) at--;
      best.splice(at, 0, slot);
      if (best.length > limit) best.pop();
    }
    return best;
  }

  private visibleTest(opts: MatchOptions): (e: IndexedEntry) => boolean {
    const v = opts.visibility;
    const state =
      v.kind === 'public'
        ? (e: IndexedEntry) => e.status === 'published' && (!e.effectiveFrom || e.effectiveFrom <= v.today) && (!e.effectiveUntil || e.effectiveUntil >= v.today)
        : v.kind === 'department'
          ? (e: IndexedEntry) => e.status === 'published' || e.sourceDepartment === v.departmentId
          : () => true;
    return (e) => state(e) && (!opts.type || e.type === opts.type) && (!opts.category || e.category === opts.category);
  }

  private ensure(): Vocabulary {
    const vocabulary = this.vocabulary();
    if (this.builtWith === vocabulary) return vocabulary;
    this.postings = new Map();
    this.entries = [];
    this.slotOf = new Map();
    this.lengthSums = FIELDS.map(() => 0);
    this.dead = 0;
    this.builtWith = vocabulary;
    this.homophones = new Homophones();
    for (const term of vocabulary.allTerms) this.homophones.add(term);
    addUserTerms(vocabulary.allTerms);
    const rows = this.sqlite
      .prepare(
        `SELECT id, type, category, status, title, body, keywords, questions, effective_from AS effectiveFrom,
         effective_until AS effectiveUntil, source_department AS sourceDepartment FROM kb_entries ORDER BY id`,
      )
      .all() as Array<Omit<IndexedEntry, 'keywords' | 'questions'> & { keywords: string; questions: string }>;
    const entries = rows.map((r) => ({ ...r, keywords: JSON.parse(r.keywords) as string[], questions: JSON.parse(r.questions) as string[] }));
    // the segmenter's dictionary is loaded once with every keyword: each load re-reads it all
    addUserTerms(entries.flatMap((e) => e.keywords));
    for (const e of entries) this.add(e, vocabulary);
    return vocabulary;
  }

  private remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.entries[slot] = null;
    this.slotOf.delete(id);
    this.dead++;
  }

  private add(entry: IndexedEntry, vocabulary: Vocabulary): void {
    addUserTerms(entry.keywords);
    const slot = this.entries.length;
    this.entries.push({ ...entry });
    this.slotOf.set(entry.id, slot);
    this.grow(slot + 1);
    const texts = [entry.questions.join('。'), entry.title, entry.keywords.join('。'), entry.body];
    const fieldTerms = texts.map((text) => {
      const { words, pairs } = termsOf(vocabulary.read(text));
      for (const w of words) this.homophones.add(w);
      return [...words.map((w) => key('word', w)), ...pairs.map((p) => key('pair', p))];
    });
    const live = this.slotOf.size;
    const tf = new Map<string, number>();
    const head = new Set<string>();
    fieldTerms.forEach((list, f) => {
      if (FIELDS[f].name !== 'body') for (const k of list) head.add(k);
      this.lengthSums[f] += list.length;
      const avg = Math.max(1, this.lengthSums[f] / live);
      const { weight, b } = FIELDS[f];
      const norm = weight / (1 - b + (b * list.length) / avg);
      for (const k of list) tf.set(k, (tf.get(k) ?? 0) + norm);
    });
    for (const [k, w] of tf) {
      let p = this.postings.get(k);
      if (!p) this.postings.set(k, (p = new Postings()));
      p.add(slot, w, head.has(k));
    }
  }

  private grow(size: number): void {
    if (size <= this.score.length) return;
    const n = Math.max(1024, size * 2);
    this.score = new Float64Array(n);
    this.words = new Float64Array(n);
    this.pairsCov = new Float64Array(n);
    this.topical = new Float64Array(n);
    this.touched = new Int32Array(n);
  }
}
