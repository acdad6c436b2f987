// Hot topics (第十九条): the subcategories asked about most in a period, and those rising
// against the period of the same length just before it.
import { and, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { shanghaiDate } from '../shared/time.js';
import { tickets } from '../tickets/schema.js';
import type { Period } from './period.js';

/**
 * Rising rule: a subcategory is rising when it has at least RISING_MIN_COUNT tickets in
 * the period AND grew by at least RISING_MIN_GROWTH (+50%) over the previous period of
 * the same length — or had none at all before. The floor keeps 1 → 2 (+100%) out of the
 * list. Rising ones are ordered by the absolute increase, then by the count now.
 */
export const RISING_MIN_COUNT = 5;
export const RISING_MIN_GROWTH = 0.5;

export interface Topic {
  category: string | null;
  subcategory: string;
  count: number;
  previousCount: number;
  /** count − previousCount */
  change: number;
  /** count ÷ previousCount; null when there were none before */
  ratio: number | null;
}

export interface HotTopics {
  /** the previous period, YYYY-MM-DD inclusive */
  previousFrom: string;
  previousTo: string;
  /** tickets with a subcategory in the period */
  total: number;
  top: Topic[];
  rising: Topic[];
}

/** Tickets with a subcategory, created in the period or the one before it (tickets_created_idx). */
export function hotTopics(db: Db, p: Period, limit: number): HotTopics {
  const previousStart = p.start - (p.end - p.start);
  const counts = db
    .select({
      category: tickets.category,
      subcategory: sql<string>`${tickets.subcategory}`,
      now: sql<number>`sum(case when ${tickets.createdAt} >= ${p.start} then 1 else 0 end)`,
      before: sql<number>`sum(case when ${tickets.createdAt} < ${p.start} then 1 else 0 end)`,
    })
    .from(tickets)
    .where(and(gte(tickets.createdAt, previousStart), lt(tickets.createdAt, p.end), isNotNull(tickets.subcategory)))
    .groupBy(tickets.category, tickets.subcategory)
    .all();
  const topics: Topic[] = counts.map((c) => {
    const count = Number(c.now);
    const previousCount = Number(c.before);
    return { category: c.category, subcategory: c.subcategory, count, previousCount, change: count - previousCount, ratio: previousCount ? count / previousCount : null };
  });
  const byName = (a: Topic, b: Topic) => (a.category ?? '').localeCompare(b.category ?? '') || a.subcategory.localeCompare(b.subcategory);
  const top = topics
    .filter((t) => t.count > 0)
    .sort((a, b) => b.count - a.count || byName(a, b))
    .slice(0, limit);
  const rising = topics
    .filter((t) => t.count >= RISING_MIN_COUNT && (t.previousCount === 0 || t.count >= t.previousCount * (1 + RISING_MIN_GROWTH)))
    .sort((a, b) => b.change - a.change || b.count - a.count || byName(a, b))
    .slice(0, limit);
  return { previousFrom: shanghaiDate(previousStart), previousTo: shanghaiDate(p.start - 1), total: topics.reduce((n, t) => n + t.count, 0), top, rising };
}
