/**
 * Knowledge-base search over 100,000 generated entries: p50/p99 latency of
 * GET /api/kb/search's work (parse, FTS5 match, rank, filter, snippet) as a citizen
 * sees it, and of scoring an online question. Target: search p99 under 5 ms. (The answering benchmark, answering.ts, runs the evaluation set.)
 *
 * Entries are written through the real import path (versions, events, index), then
 * published in one statement. Text is cut from the demo entries' Chinese and words
 * are drawn with a Zipf-like skew, so common words (申请, 办理) occur in many entries
 * as they would in a real knowledge base. KB_BENCH_ENTRIES overrides the count.
 * Queries for such common words take search.ts's "broad" path (newest matches,
 * title/keyword holders first) instead of bm25 over tens of thousands of entries.
 * Token counts are cached between writes, so after warm-up they cost nothing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/index.js';
import { HotlineBus } from '../src/shared/bus.js';
import { TicketService } from '../src/tickets/services.js';
import { DEMO_ENTRIES, DEMO_SYNONYMS } from '../src/kb/demo-entries.js';
import { KnowledgeBase } from '../src/kb/services.js';
import { scoreAnswers } from '../src/kb/answer.js';
import { KB_CATEGORIES, KB_TYPES } from '../src/kb/schema.js';
import type { EntryInput } from '../src/kb/entries.js';
import type { Figures, Progress } from './run.js';

const ENTRIES = Number(process.env.KB_BENCH_ENTRIES ?? 100_000);
const BATCH = 2_000;
const QUERIES = 4_000;
const QUESTIONS = 300;
const TARGET_P99_MS = 5;

/** mulberry32: the same corpus and queries every run */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(962200);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

/** Words of 2–4 characters cut from the demo entries, most frequent first in draw order. */
export function vocabulary(): string[] {
  const words = new Set<string>();
  for (const e of DEMO_ENTRIES) {
    for (const run of `${e.title}${e.body}${e.keywords?.join('')}`.match(/\p{Script=Han}+/gu) ?? []) {
      const chars = Array.from(run);
      for (let i = 0; i + 1 < chars.length; ) {
        const len = 2 + Math.floor(random() * 3);
        words.add(chars.slice(i, i + len).join(''));
        i += len;
      }
    }
  }
  return [...words].filter((w) => Array.from(w).length >= 2);
}

function zipfSampler(n: number, s = 1): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 0; r < n; r++) cumulative.push((sum += 1 / (r + 1) ** s));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const ASCII = ['app', '962200', '12345', 'atm', 'wifi', 'pdf', '2024', 'ic卡'];

export function generator(words: string[]) {
  const zipf = zipfSampler(words.length);
  const word = () => words[zipf()];
  return (i: number): EntryInput => {
    const body: string[] = [];
    for (let k = 0; k < 60; k++) body.push(k % 7 === 6 ? '，' : '', random() < 0.03 ? pick(ASCII) : word());
    return {
      type: pick(KB_TYPES),
      category: pick(KB_CATEGORIES),
      title: `${word()}${word()}${pick(['申请指南', '办理流程', '常见问题', '服务说明', '政策解读'])}${i}`,
      body: body.join('') + '。',
      keywords: [word(), word(), word()],
    };
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x: number) => Math.round(x * 1000) / 1000;

export async function kbSearch(progress: Progress): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-'));
  try {
    const db = openDatabase(join(dir, 'bench.db'));
    const kb = new KnowledgeBase(db, new TicketService(db, new HotlineBus()));
    const admin = { name: 'bench', role: 'admin' as const };
    for (const terms of DEMO_SYNONYMS) kb.synonyms.create(terms, admin);

    const words = vocabulary();
    const entry = generator(words);
    progress(`vocabulary ${words.length} words; writing ${ENTRIES} entries`);
    const buildStart = performance.now();
    for (let done = 0; done < ENTRIES; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, ENTRIES - done) }, (_, k) => entry(done + k));
      kb.entries.importEntries(batch, admin);
      if ((done / BATCH) % 10 === 0) progress(`${done + batch.length}/${ENTRIES} entries`);
    }
    db.$client.exec(`UPDATE kb_entries SET status = 'published', published_at = updated_at`);
    kb.index.refreshStates();
    const buildSeconds = (performance.now() - buildStart) / 1000;
    progress(`built in ${buildSeconds.toFixed(1)} s`);

    // half the queries uniform over the vocabulary (rare words), half as skewed as the text (common words)
    const zipf = zipfSampler(words.length);
    const wordOfLength = (n: number): string => {
      for (;;) {
        const w = random() < 0.5 ? pick(words) : words[zipf()];
        if (Array.from(w).length === n) return w;
      }
    };
    const classes: Record<string, () => string> = {
      zh2: () => wordOfLength(2),
      zh3: () => wordOfLength(3),
      zh4: () => wordOfLength(4),
      twoWords: () => `${wordOfLength(2)} ${wordOfLength(2)}`,
      mixed: () => `${pick(ASCII)} ${wordOfLength(2)}`,
    };
    const names = Object.keys(classes);
    const queries = Array.from({ length: QUERIES }, (_, i) => ({ cls: names[i % names.length], q: classes[names[i % names.length]]() }));

    for (const { q } of queries.slice(0, 300)) kb.search({ q }, null); // warm-up
    progress(`${QUERIES} searches`);
    const byClass: Record<string, number[]> = {};
    const all: number[] = [];
    let empty = 0;
    for (const { cls, q } of queries) {
      const t0 = performance.now();
      const r = kb.search({ q, limit: 10 }, null);
      const dt = performance.now() - t0;
      all.push(dt);
      (byClass[cls] ??= []).push(dt);
      if (r.items.length === 0) empty++;
    }
    all.sort((a, b) => a - b);

    progress(`${QUESTIONS} online questions`);
    const today = kb.today();
    const answerTimes: number[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      const question = `请问${wordOfLength(2)}${wordOfLength(3)}怎么办理？`;
      const t0 = performance.now();
      scoreAnswers(kb.index, question, today);
      answerTimes.push(performance.now() - t0);
    }
    answerTimes.sort((a, b) => a - b);
    db.$client.close();

    const figures: Figures = {
      entries: ENTRIES,
      vocabularyWords: words.length,
      buildSeconds: Math.round(buildSeconds * 10) / 10,
      dbSizeMB: Math.round(statSync(join(dir, 'bench.db')).size / 1e5) / 10,
      searches: QUERIES,
      searchesWithNoHits: empty,
      searchP50Ms: ms(percentile(all, 50)),
      searchP95Ms: ms(percentile(all, 95)),
      searchP99Ms: ms(percentile(all, 99)),
      searchMaxMs: ms(all[all.length - 1]),
      targetP99Ms: TARGET_P99_MS,
      meetsTarget: percentile(all, 99) < TARGET_P99_MS,
      answerP50Ms: ms(percentile(answerTimes, 50)),
      answerP99Ms: ms(percentile(answerTimes, 99)),
    };
    for (const [cls, times] of Object.entries(byClass)) {
      times.sort((a, b) => a - b);
      figures[`${cls}P99Ms`] = ms(percentile(times, 99));
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
