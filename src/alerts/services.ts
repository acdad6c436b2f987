// Stored alerts: raised by emergencies, drafts waiting for review, 12345's urgings and
// overdue steps of the center's own; acknowledged by a supervisor; pushed again and
// e-mailed while nobody does (escalation.ts). All the SQL of alerts is here.
import { and, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { HotlineBus } from '../shared/bus.js';
import type { Actor } from '../shared/actor.js';
import { conflict, notFound } from '../shared/errors.js';
import { maskData, scrubText } from '../shared/masking.js';
import { tickets } from '../tickets/schema.js';
import { alerts, type AlertCode } from './schema.js';

export type AlertRow = typeof alerts.$inferSelect;

export interface NewAlert {
  code: AlertCode;
  ticketId?: number | null;
  callId?: string | null;
  summary: string;
  data?: Record<string, unknown> | null;
  /** raise at most once for this key (e.g. one routing_overdue per ticket) */
  dedupeKey?: string | null;
}

export interface AlertView {
  id: number;
  code: AlertCode;
  ticketId: number | null;
  ticketNumber: string | null;
  callId: string | null;
  summary: string;
  data: Record<string, unknown> | null;
  createdAt: string;
  pushCount: number;
  lastPushedAt: string;
  emailedAt: string | null;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

/** An alert for a viewer who does not read callers in clear (an admin): numbers in its text masked. */
export function maskedAlert(a: AlertView): AlertView {
  return { ...a, summary: scrubText(a.summary) ?? '', data: a.data ? (maskData(a.data) as Record<string, unknown>) : null };
}

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

export class AlertService {
  constructor(
    private readonly db: Db,
    private readonly bus: HotlineBus,
    private readonly now: () => number,
  ) {}

  /** Stores an alert and pushes it; null when its dedupe key was raised before. */
  raise(a: NewAlert): AlertView | null {
    const at = this.now();
    const [row] = this.db
      .insert(alerts)
      .values({ code: a.code, ticketId: a.ticketId ?? null, callId: a.callId ?? null, summary: a.summary, data: a.data ?? null, dedupeKey: a.dedupeKey ?? null, createdAt: at, lastPushedAt: at })
      .onConflictDoNothing()
      .returning()
      .all();
    if (!row) return null;
    const view = this.view(row);
    this.bus.emit('alert', { alert: view, repeat: false });
    return view;
  }

  get(id: number): AlertView | undefined {
    const row = this.db.select().from(alerts).where(eq(alerts.id, id)).get();
    return row ? this.view(row) : undefined;
  }

  list(filter: { acknowledged?: boolean; ticketId?: number; limit?: number; offset?: number } = {}): { items: AlertView[]; total: number } {
    const where = and(
      filter.acknowledged === undefined ? undefined : filter.acknowledged ? isNotNull(alerts.acknowledgedAt) : isNull(alerts.acknowledgedAt),
      filter.ticketId === undefined ? undefined : eq(alerts.ticketId, filter.ticketId),
    );
    const rows = this.db
      .select()
      .from(alerts)
      .where(where)
      .orderBy(desc(alerts.createdAt), desc(alerts.id))
      .limit(filter.limit ?? 100)
      .offset(filter.offset ?? 0)
      .all();
    const total = this.db.select({ n: sql<number>`count(*)` }).from(alerts).where(where).get()?.n ?? 0;
    return { items: this.views(rows), total };
  }

  /** A supervisor acknowledges: 404 unknown, 409 already acknowledged. */
  acknowledge(id: number, actor: Actor, note?: string): AlertView {
    const row = this.db.select().from(alerts).where(eq(alerts.id, id)).get();
    if (!row) throw notFound('提醒');
    if (row.acknowledgedAt != null) throw conflict(`该警报已由 ${row.acknowledgedBy ?? '他人'} 确认`);
    const [done] = this.db
      .update(alerts)
      .set({ acknowledgedAt: this.now(), acknowledgedBy: actor.name, ackNote: note ?? null })
      .where(and(eq(alerts.id, id), isNull(alerts.acknowledgedAt)))
      .returning()
      .all();
    if (!done) throw conflict('该警报已被确认');
    this.bus.emit('alert.acknowledged', { id, by: actor.name });
    return this.view(done);
  }

  /** The cause went away (a draft was reviewed): its open alerts are done. */
  settle(ticketId: number, code: AlertCode, by: string): number {
    const rows = this.db
      .update(alerts)
      .set({ acknowledgedAt: this.now(), acknowledgedBy: by })
      .where(and(eq(alerts.ticketId, ticketId), eq(alerts.code, code), isNull(alerts.acknowledgedAt)))
      .returning({ id: alerts.id })
      .all();
    for (const r of rows) this.bus.emit('alert.acknowledged', { id: r.id, by });
    return rows.length;
  }

  /** Unacknowledged alerts last pushed at or before `before`. */
  unacknowledgedSince(before: number, limit = 200): AlertRow[] {
    return this.db.select().from(alerts).where(and(isNull(alerts.acknowledgedAt), lte(alerts.lastPushedAt, before))).orderBy(alerts.id).limit(limit).all();
  }

  /** Records a repeat push (and the e-mail, when sent with it). */
  repushed(id: number, at: number, emailed: boolean): AlertView | undefined {
    const [row] = this.db
      .update(alerts)
      .set({ pushCount: sql`${alerts.pushCount} + 1`, lastPushedAt: at, ...(emailed ? { emailedAt: at } : {}) })
      .where(eq(alerts.id, id))
      .returning()
      .all();
    return row ? this.view(row) : undefined;
  }

  private view(row: AlertRow): AlertView {
    return this.views([row])[0];
  }

  private views(rows: AlertRow[]): AlertView[] {
    const ids = [...new Set(rows.map((r) => r.ticketId).filter((id): id is number => id != null))];
    const numbers = new Map(
      ids.length ? this.db.select({ id: tickets.id, number: tickets.number }).from(tickets).where(sql`${tickets.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`).all().map((r) => [r.id, r.number]) : [],
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      ticketId: r.ticketId,
      ticketNumber: r.ticketId != null ? (numbers.get(r.ticketId) ?? null) : null,
      callId: r.callId,
      summary: r.summary,
      data: r.data ?? null,
      createdAt: iso(r.createdAt)!,
      pushCount: r.pushCount,
      lastPushedAt: iso(r.lastPushedAt)!,
      emailedAt: iso(r.emailedAt),
      acknowledged: r.acknowledgedAt != null,
      acknowledgedAt: iso(r.acknowledgedAt),
      acknowledgedBy: r.acknowledgedBy,
      ackNote: r.ackNote,
    }));
  }
}
