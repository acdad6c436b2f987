import { and, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { auditLog } from './schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  userId?: number;
  username?: string;
  ticketId?: number;
  action?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

/** Reading the audit of unmasked reads and number look-ups (all its SQL). */
export class AuditLog {
  constructor(private readonly db: Db) {}

  list(f: AuditFilter): { items: AuditRow[]; total: number } {
    const where = and(
      f.userId !== undefined ? eq(auditLog.userId, f.userId) : undefined,
      f.username !== undefined ? eq(auditLog.username, f.username) : undefined,
      f.ticketId !== undefined ? eq(auditLog.ticketId, f.ticketId) : undefined,
      f.action !== undefined ? eq(auditLog.action, f.action) : undefined,
      f.from !== undefined ? gte(auditLog.at, f.from) : undefined,
      f.to !== undefined ? lt(auditLog.at, f.to) : undefined,
    );
    const items = this.db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(f.limit).offset(f.offset).all();
    const total = this.db.select({ n: sql<number>`count(*)` }).from(auditLog).where(where).get()?.n ?? 0;
    return { items, total: Number(total) };
  }

  /**
   * How many of `actions` the actor `username` has since `since`, counting only those after
   * its latest `reset` action: the seat phone line's wrong PINs since its last right one.
   */
  countSince(username: string, actions: readonly string[], since: number, reset?: string): number {
    const recent = and(gte(auditLog.at, since), eq(auditLog.username, username));
    const after = reset ? (this.db.select({ id: sql<number | null>`max(${auditLog.id})` }).from(auditLog).where(and(recent, eq(auditLog.action, reset))).get()?.id ?? 0) : 0;
    const n = this.db
      .select({ n: sql<number>`count(*)` })
      .from(auditLog)
      .where(and(recent, inArray(auditLog.action, [...actions]), gt(auditLog.id, after)))
      .get()?.n;
    return Number(n ?? 0);
  }
}
