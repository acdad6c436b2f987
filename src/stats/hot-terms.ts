// Hot topics from what citizens said (第十九条 热点、焦点、难点): the words of ticket
// content and online questions, segmented by Node's ICU word segmenter (Intl.Segmenter,
// zh), stop words out, counted per text. A day's counts are stored once the day is over
// (hot_term_days), so a month adds up 30 stored days; today is segmented as it comes.
// 焦点/难点 are the terms of the period's overdue, supervised or unsatisfied tickets.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { shanghaiDate, shanghaiInstant } from '../shared/time.js';
import { DAY_MS, type Period } from './period.js';
import { hotTermDays } from './schema.js';
import { SEED_TAXONOMY } from '../taxonomy/seed.js';
import { HOTLINE_WORDS, STOP_WORDS } from './stop-words.js';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_OR_LATIN = /[\p{Script=Han}A-Za-z]/u;
const VOCABULARY = new Set([...HOTLINE_WORDS, ...SEED_TAXONOMY.flatMap((c) => [c.label, ...(c.subcategories ?? []).map((s) => s.label)])]);
/** the longest vocabulary word, in segments, joined back */
const MAX_JOIN = 4;

/** The word-like segments of a text, with neighbours joined back where they make a hotline word. */
function words(text: string): string[] {
  const segs = [...segmenter.segment(text)];
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    if (!segs[i].isWordLike) continue;
    let word = segs[i].segment;
    let joined = word;
    let last = i;
    for (let j = i + 1; j < Math.min(segs.length, i + MAX_JOIN); j++) {
      if (!segs[j].isWordLike) break;
      joined += segs[j].segment;
      if (VOCABULARY.has(joined)) (word = joined), (last = j);
    }
    out.push(word);
    i = last;
  }
  return out;
}

/** The distinct terms of one text: words of 2+ characters, not stop words, not bare numbers. */
export function termsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of words(text)) {
    const w = raw.toLowerCase();
    if ([...w].length < 2 || STOP_WORDS.has(w) || !HAN_OR_LATIN.test(w)) continue;
    out.add(w);
  }
  return out;
}

/** Segmenting is the cost; the same text (a repeated question, a re-read day) is done once. */
const memo = new Map<string, Set<string>>();
const MEMO_MAX = 50_000;
function memoTerms(text: string): Set<string> {
  let t = memo.get(text);
  if (!t) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(text, (t = termsOf(text)));
  }
  return t;
}

type Counts = Map<string, number>;
const add = (into: Counts, terms: Iterable<string>, n = 1) => {
  for (const t of terms) into.set(t, (into.get(t) ?? 0) + n);
};

/** The texts of one Shanghai day [start, end): tickets (content, or title) and online questions. */
function dayTexts(db: Db, start: number, end: number): { ticket: string[]; online: string[] } {
  const ticket = db
    .all<{ text: string | null }>(sql`select coalesce(content, title) as text from tickets indexed by tickets_created_idx where created_at >= ${start} and created_at < ${end}`)
    .flatMap((r) => (r.text ? [r.text] : []));
  const online = db.all<{ text: string }>(sql`select question as text from kb_online_questions where asked_at >= ${start} and asked_at < ${end}`).map((r) => r.text);
  return { ticket, online };
}

function countDay(db: Db, start: number, end: number): { ticket: Counts; online: Counts } {
  const texts = dayTexts(db, start, end);
  const ticket: Counts = new Map();
  const online: Counts = new Map();
  for (const t of texts.ticket) add(ticket, memoTerms(t));
  for (const t of texts.online) add(online, memoTerms(t));
  return { ticket, online };
}

/**
 * The counts of a day: stored ones when the day is over (stored now if not yet),
 * counted afresh when it is today or later.
 */
function dayCounts(db: Db, day: string, now: number): { ticket: Counts; online: Counts } {
  const start = shanghaiInstant(day);
  const end = start + DAY_MS;
  const stored = db.select().from(hotTermDays).where(eq(hotTermDays.day, day)).all();
  if (stored.length) {
    const out = { ticket: new Map() as Counts, online: new Map() as Counts };
    for (const r of stored) if (r.term) out[r.origin].set(r.term, r.count);
    return out;
  }
  const counts = countDay(db, start, end);
  if (end <= now) {
    db.transaction((tx) => {
      // the '' row marks the day done, even a day nobody called
      tx.insert(hotTermDays).values({ day, origin: 'ticket', term: '', count: 0 }).onConflictDoNothing().run();
      for (const origin of ['ticket', 'online'] as const) {
        const rows = [...counts[origin]].map(([term, count]) => ({ day, origin, term, count }));
        for (let i = 0; i < rows.length; i += 500) tx.insert(hotTermDays).values(rows.slice(i, i + 500)).onConflictDoNothing().run();
      }
    });
  }
  return counts;
}

/** A ticket's text changed: its day is counted again next time. */
export function forgetTicketDay(db: Db, createdAt: number): void {
  db.delete(hotTermDays).where(and(eq(hotTermDays.day, shanghaiDate(createdAt)))).run();
}

export interface TermFigure {
  term: string;
  /** texts of the period holding it (tickets + online questions) */
  count: number;
  tickets: number;
  online: number;
  previousCount: number;
  /** count − previousCount */
  change: number;
}

export interface FocusTerm {
  term: string;
  /** overdue, supervised or unsatisfied tickets of the period holding it */
  count: number;
  overdue: number;
  supervised: number;
  unsatisfied: number;
}

function periodCounts(db: Db, start: number, days: number, now: number) {
  const ticket: Counts = new Map();
  const online: Counts = new Map();
  for (let i = 0; i < days; i++) {
    const c = dayCounts(db, shanghaiDate(start + i * DAY_MS), now);
    for (const [t, n] of c.ticket) ticket.set(t, (ticket.get(t) ?? 0) + n);
    for (const [t, n] of c.online) online.set(t, (online.get(t) ?? 0) + n);
  }
  return { ticket, online };
}

/** The period's terms, most frequent first, with the change against the period of the same length before. */
export function hotTerms(db: Db, p: Period, now: number, limit: number): { terms: TermFigure[]; risingTerms: TermFigure[] } {
  const cur = periodCounts(db, p.start, p.days, now);
  const prev = periodCounts(db, p.start - p.days * DAY_MS, p.days, now);
  const all = new Set([...cur.ticket.keys(), ...cur.online.keys()]);
  const figures: TermFigure[] = [...all].map((term) => {
    const tickets = cur.ticket.get(term) ?? 0;
    const online = cur.online.get(term) ?? 0;
    const previousCount = (prev.ticket.get(term) ?? 0) + (prev.online.get(term) ?? 0);
    return { term, count: tickets + online, tickets, online, previousCount, change: tickets + online - previousCount };
  });
  const terms = [...figures].sort((a, b) => b.count - a.count || a.term.localeCompare(b.term)).slice(0, limit);
  const risingTerms = figures
    .filter((f) => f.change > 0)
    .sort((a, b) => b.change - a.change || b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, limit);
  return { terms, risingTerms };
}

/** 焦点/难点: the terms of the period's tickets that went overdue, were supervised or left a citizen unsatisfied. */
export function focusTerms(db: Db, p: Period, limit: number): FocusTerm[] {
  const rows = db.all<{ text: string | null; overdue: number; supervised: number; unsatisfied: number }>(sql`
    select coalesce(t.content, t.title) as text, t.overdue as overdue,
      (t.kind = 'supervised' or exists (select 1 from ticket_escalations x where x.ticket_id = t.id)) as supervised,
      (t.satisfaction = 'unsatisfied') as unsatisfied
    from tickets t indexed by tickets_stats_idx
    where t.created_at >= ${p.start} and t.created_at < ${p.end}
      and (t.overdue = 1 or t.satisfaction = 'unsatisfied' or t.kind = 'supervised' or exists (select 1 from ticket_escalations x where x.ticket_id = t.id))`);
  const out = new Map<string, FocusTerm>();
  for (const r of rows) {
    if (!r.text) continue;
    for (const term of memoTerms(r.text)) {
      const f = out.get(term) ?? out.set(term, { term, count: 0, overdue: 0, supervised: 0, unsatisfied: 0 }).get(term)!;
      f.count++;
      if (r.overdue) f.overdue++;
      if (r.supervised) f.supervised++;
      if (r.unsatisfied) f.unsatisfied++;
    }
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.term.localeCompare(b.term)).slice(0, limit);
}

/** The daily job's part: the day's words counted and stored once it is over, so no request pays for it. */
export function storeTermDay(db: Db, day: string, now: number): { day: string; terms: number } {
  const c = dayCounts(db, day, now);
  return { day, terms: new Set([...c.ticket.keys(), ...c.online.keys()]).size };
}
