import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { kbEntries, kbTicketLinks, type KbCategory, type KbStatus, type KbType } from './schema.js';

export type TicketLink = typeof kbTicketLinks.$inferSelect;

export interface TopEntry {
  entryId: number;
  title: string;
  type: KbType;
  category: KbCategory;
  status: KbStatus;
  tickets: number;
}

/** Which entries answered which tickets, and so which entries answer most. */
export class TicketLinks {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Links entries to a ticket; linking one twice keeps the first link. */
  link(ticketId: number, entryIds: readonly number[], actor: Actor): TicketLink[] {
    const at = this.now();
    this.db.transaction((tx) => {
      for (const entryId of new Set(entryIds)) {
        tx.insert(kbTicketLinks).values({ ticketId, entryId, linkedBy: actor.name, linkedAt: at }).onConflictDoNothing().run();
      }
    });
    return this.forTicket(ticketId);
  }

  forTicket(ticketId: number): TicketLink[] {
    return this.db.select().from(kbTicketLinks).where(eq(kbTicketLinks.ticketId, ticketId)).orderBy(kbTicketLinks.id).all();
  }

  /** Entries by the number of tickets they answered, linked within [from, to) when given. */
  topEntries(opts: { limit: number; from?: number; to?: number }): TopEntry[] {
    const tickets = count(kbTicketLinks.ticketId);
    return this.db
      .select({ entryId: kbEntries.id, title: kbEntries.title, type: kbEntries.type, category: kbEntries.category, status: kbEntries.status, tickets })
      .from(kbTicketLinks)
      .innerJoin(kbEntries, eq(kbEntries.id, kbTicketLinks.entryId))
      .where(and(opts.from !== undefined ? gte(kbTicketLinks.linkedAt, opts.from) : undefined, opts.to !== undefined ? lt(kbTicketLinks.linkedAt, opts.to) : undefined))
      .groupBy(kbEntries.id)
      .orderBy(desc(tickets), kbEntries.id)
      .limit(opts.limit)
      .all();
  }
}
