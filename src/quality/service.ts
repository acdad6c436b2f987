import { and, desc, eq, gte, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { notFound } from '../shared/errors.js';
import { qualitySamples, qualityScores, qualitySheets, type ItemScore, type SheetItem } from './schema.js';
import { tickets } from '../tickets/schema.js';
import { checkScores, checkSheet, DEFAULT_SHEET } from './sheet.js';

export type QualitySheet = typeof qualitySheets.$inferSelect;
export type QualitySample = typeof qualitySamples.$inferSelect;
export type QualityScore = typeof qualityScores.$inferSelect;

export interface SampleFilter {
  day?: string;
  from?: string;
  to?: string;
  seatId?: string;
  scored?: boolean;
  limit: number;
  offset: number;
}

export interface QualityStatRow {
  seatId: string | null;
  month: string | null;
  scored: number;
  /** total points over the most points, in percent, averaged */
  averagePercent: number;
  items: Array<{ code: string; average: number }>;
}

/** Quality inspection: the score sheet, the drawn calls and their scores (all its SQL). */
export class QualityService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The sheet in force: the newest; a fresh database gets the default one. */
  sheet(): QualitySheet {
    const newest = this.db.select().from(qualitySheets).orderBy(desc(qualitySheets.id)).limit(1).get();
    if (newest) return newest;
    return this.db.insert(qualitySheets).values({ ...DEFAULT_SHEET, createdAt: this.now(), createdBy: 'system' }).returning().get();
  }

  sheetById(id: number): QualitySheet | undefined {
    return this.db.select().from(qualitySheets).where(eq(qualitySheets.id, id)).get();
  }

  /** A new version of the sheet; scores already given keep the sheet they were given on. */
  putSheet(input: { name?: string; items: SheetItem[] }, actor: Actor): QualitySheet {
    checkSheet(input.items);
    return this.db.insert(qualitySheets).values({ name: input.name ?? this.sheet().name, items: input.items, createdAt: this.now(), createdBy: actor.name }).returning().get();
  }

  sample(id: number): QualitySample | undefined {
    return this.db.select().from(qualitySamples).where(eq(qualitySamples.id, id)).get();
  }

  sampleOfCall(callId: string): QualitySample | undefined {
    return this.db.select().from(qualitySamples).where(eq(qualitySamples.callId, callId)).get();
  }

  isDrawn(callId: string | undefined): boolean {
    return !!callId && !!this.sampleOfCall(callId);
  }

  scoreOf(sampleId: number): QualityScore | undefined {
    return this.db.select().from(qualityScores).where(eq(qualityScores.sampleId, sampleId)).get();
  }

  samples(f: SampleFilter): { items: Array<QualitySample & { score: QualityScore | null; ticketNumber: string | null }>; total: number } {
    const where = and(
      f.day ? eq(qualitySamples.day, f.day) : undefined,
      f.from ? gte(qualitySamples.day, f.from) : undefined,
      f.to ? lte(qualitySamples.day, f.to) : undefined,
      f.seatId ? eq(qualitySamples.seatId, f.seatId) : undefined,
      f.scored === true ? isNotNull(qualityScores.id) : f.scored === false ? isNull(qualityScores.id) : undefined,
    );
    const rows = this.db
      .select({ sample: qualitySamples, score: qualityScores, ticketNumber: tickets.number })
      .from(qualitySamples)
      .leftJoin(qualityScores, eq(qualityScores.sampleId, qualitySamples.id))
      .leftJoin(tickets, eq(tickets.id, qualitySamples.ticketId))
      .where(where)
      .orderBy(desc(qualitySamples.day), qualitySamples.seatId, qualitySamples.rank)
      .limit(f.limit)
      .offset(f.offset)
      .all();
    const total = this.db
      .select({ n: sql<number>`count(*)` })
      .from(qualitySamples)
      .leftJoin(qualityScores, eq(qualityScores.sampleId, qualitySamples.id))
      .where(where)
      .get()?.n;
    return { items: rows.map((r) => ({ ...r.sample, score: r.score, ticketNumber: r.ticketNumber })), total: Number(total ?? 0) };
  }

  /** Scores a drawn call on the sheet in force; scoring again replaces the earlier score. */
  score(sampleId: number, input: { items: ItemScore[]; comment?: string | null }, actor: Actor): QualityScore {
    const sample = this.sample(sampleId);
    if (!sample) throw notFound('质检抽样');
    const sheet = this.sheet();
    const { total, maxTotal } = checkScores(sheet.items, input.items);
    const row = {
      sampleId,
      callId: sample.callId,
      seatId: sample.seatId,
      month: sample.day.slice(0, 7),
      sheetId: sheet.id,
      items: input.items.map((i) => ({ code: i.code, points: i.points, comment: i.comment ?? null })),
      total,
      maxTotal,
      comment: input.comment ?? null,
      scoredBy: actor.name,
      scoredByUserId: actor.userId ?? null,
      scoredAt: this.now(),
    };
    return this.db
      .insert(qualityScores)
      .values(row)
      .onConflictDoUpdate({ target: qualityScores.sampleId, set: row })
      .returning()
      .get();
  }

  /** Scores per seat, per month, or per seat and month, over months `from`…`to` (YYYY-MM). */
  stats(by: 'seat' | 'month' | 'seat_month', range: { from: string; to: string; seatId?: string }): QualityStatRow[] {
    const where: SQL | undefined = and(gte(qualityScores.month, range.from), lte(qualityScores.month, range.to), range.seatId ? eq(qualityScores.seatId, range.seatId) : undefined);
    const rows = this.db.select({ seatId: qualityScores.seatId, month: qualityScores.month, items: qualityScores.items, total: qualityScores.total, maxTotal: qualityScores.maxTotal }).from(qualityScores).where(where).all();
    const groups = new Map<string, { seatId: string | null; month: string | null; n: number; percent: number; items: Map<string, { sum: number; n: number }> }>();
    for (const r of rows) {
      const seatId = by === 'month' ? null : r.seatId;
      const month = by === 'seat' ? null : r.month;
      const k = `${seatId}|${month}`;
      const g = groups.get(k) ?? { seatId, month, n: 0, percent: 0, items: new Map() };
      g.n++;
      g.percent += r.maxTotal ? (100 * r.total) / r.maxTotal : 0;
      for (const i of r.items) {
        const s = g.items.get(i.code) ?? { sum: 0, n: 0 };
        s.sum += i.points;
        s.n++;
        g.items.set(i.code, s);
      }
      groups.set(k, g);
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    return [...groups.values()]
      .sort((a, b) => String(a.seatId).localeCompare(String(b.seatId)) || String(a.month).localeCompare(String(b.month)))
      .map((g) => ({ seatId: g.seatId, month: g.month, scored: g.n, averagePercent: round(g.percent / g.n), items: [...g.items].map(([code, s]) => ({ code, average: round(s.sum / s.n) })) }));
  }
}
