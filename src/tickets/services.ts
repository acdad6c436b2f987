import { and, desc, eq, gte, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { atomically, ByColumns, columnsSet, placeholders, statement } from '../db/prepared.js';
import type { HotlineBus } from '../shared/bus.js';
import type { Actor } from '../shared/actor.js';
import { shanghaiDate } from '../shared/time.js';
import { isDeadline, workingDeadline, type DayUnit, type Deadline } from '../calendar/working-days.js';
import { LIMITS } from './lifecycle.js';
import { NO_DEADLINE, OPEN_TICKETS, ticketCounters, ticketDeadlines, ticketEvents, tickets } from './schema.js';
import { SEARCHED_EVENTS, SEARCHED_FIELDS, TicketTextIndex } from './text-index.js';
import { matchExpression } from './search-terms.js';

export type Ticket = typeof tickets.$inferSelect;

/** The deadline fields; each may be set to a Deadline, which keeps what it was counted from. */
export const DUE_FIELDS = ['dueAt', 'routeDueAt', 'contactDueAt', 'resolveDueAt'] as const;
export type DueField = (typeof DUE_FIELDS)[number];
export type DueValue = number | Deadline | null;
/** Field changes of a ticket: a deadline as a Deadline (counted, recountable), an instant, or null. */
export type TicketChanges = Partial<Omit<Ticket, 'id' | 'number' | 'createdAt' | DueField>> & Partial<Record<DueField, DueValue>>;
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type TicketSource = Ticket['source'];

export interface NewTicket {
  source: TicketSource;
  kind?: string | null;
  status?: string;
  category?: string | null;
  subcategory?: string | null;
  callerNumber?: string | null;
  callerName?: string | null;
  callerEmail?: string | null;
  address?: string | null;
  street?: string | null;
  district?: string | null;
  title?: string | null;
  content?: string | null;
  externalOrderId?: string | null;
  needsCallback?: boolean;
  parentTicketId?: number | null;
  /** who works it from the start (a manual ticket's operator; a supervision's department) */
  assignedUserId?: number | null;
  departmentId?: string | null;
  assignedStreet?: string | null;
  dueAt?: DueValue;
  /** the desk's 2 working days to classify (and route); counted from receipt when left out */
  routeDueAt?: DueValue;
  orderDueAt?: number | null;
  /** a supervision's reason and, for a leader's instruction, who instructed */
  supervisionReason?: string | null;
  instructedBy?: string | null;
}

/**
 * 第十五条: the desk has 2 working days from receipt to classify a ticket and, if it is
 * routed, to route it. Every channel's ticket gets the limit here, at intake; classify
 * clears it for kinds that are not routed. A ticket opened as something else (a 督办, an
 * emergency) has no such step.
 */
function receiptRouteDeadline(input: NewTicket, at: number): DueValue {
  if (input.routeDueAt !== undefined) return input.routeDueAt;
  const awaitsDesk = (input.kind ?? null) === null || input.kind === 'routed';
  return awaitsDesk && (input.status ?? 'open') === 'open' ? workingDeadline(at, LIMITS.route) : null;
}

export interface TicketFilter {
  /** the ticket number, exactly */
  number?: string;
  callerNumber?: string;
  kind?: string;
  status?: string;
  source?: string;
  category?: string;
  overdue?: boolean;
  needsCallback?: boolean;
  parentTicketId?: number;
  /** created at or after (ms) */
  from?: number;
  /** created before (ms) */
  to?: number;
  /** restrict to what a scoped user may see */
  scope?: SQL;
  /** words in the title, content, address or replies (search-terms.ts) */
  q?: string;
  /** which text `q` is matched against: all of it, or only what a masked viewer reads */
  text?: 'all' | 'masked';
  /** unfinished (true) or finished (false) tickets */
  open?: boolean;
  /** tickets this user or seat works (assignedUserId / assignedSeatId) */
  assignedTo?: { userId?: number; seatId?: string };
  /** newest first (default), or the inbox's order: overdue first, then the nearest deadline (open tickets only) */
  sort?: 'newest' | 'deadline';
  limit?: number;
  offset?: number;
}

/** The inbox's tallies: unfinished tickets of the filter (its status aside) per status, and how many are overdue. */
export interface StatusCounts {
  byStatus: Record<string, number>;
  overdue: number;
  total: number;
}

/** the WHERE's placeholder: not a field of the row */
const ID = '$id';
/** every column of a deadline's row, all written by storeDeadlines */
const DEADLINE_FIELDS = ['ticketId', 'field', 'startAt', 'days', 'unit', 'dueAt', 'provisional', 'startDay', 'dueDay'] as const;

/** The list counts matches up to this many (see TicketService.list). */
export const TOTAL_CAP = 10_000;
/** … and a text search up to this many: a common word with a filter is counted row by row */
export const SEARCH_TOTAL_CAP = 1_000;
/** words matching this many tickets or more are common: a filter's own index drives their search */
export const COMMON_WORD = 5_000;

/**
 * The index that answers a list filter: the most selective filter's, and every one ends
 * in created_at, so a page comes out newest first and a period narrows the same range.
 * Named (INDEXED BY) rather than left to SQLite: without ANALYZE statistics its planner
 * takes every index as equally selective and picked e.g. kind's index for kind + status
 * + period, reading a year of routed tickets (1–2 s) to find a rare status; or kind's
 * over the caller's. Filters without one of these (a period alone, category, scope...)
 * are left to the planner.
 */
function listIndex(f: TicketFilter): string | null {
  if (f.number) return 'tickets_number_uq';
  if (f.callerNumber) return 'tickets_caller_created_idx';
  if (f.kind && f.status) return 'tickets_kind_status_created_idx';
  if (f.status) return 'tickets_status_created_idx';
  if (f.kind) return 'tickets_kind_created_idx';
  return null;
}

/** Creating, reading and recording the history of tickets. Lifecycle rules live in lifecycle.ts. */
export class TicketService {
  constructor(
    private readonly db: Db,
    private readonly bus: HotlineBus,
    private readonly now: () => number = Date.now,
  ) {
    this.text = new TicketTextIndex(db);
  }

  /** the text search's index, written in each create/update that changes a searched text */
  readonly text: TicketTextIndex;
  /** how many matches make words common (COMMON_WORD; a test lowers it to try both plans) */
  commonWord = COMMON_WORD;

  // what every ticket request runs, built and prepared once instead of per call
  private statements?: ReturnType<TicketService['prepare']>;
  private prepare() {
    const db = this.db;
    return {
      byId: statement<Ticket>(db, db.select().from(tickets).where(eq(tickets.id, sql.placeholder('id'))), { row: tickets }),
      byIds: db.select().from(tickets).where(sql`${tickets.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`).prepare(),
      events: db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, sql.placeholder('ticketId'))).orderBy(ticketEvents.id).prepare(),
      // the writes of every ticket created or changed (a phone call makes four): built once, only run
      nextNumber: statement<typeof ticketCounters.$inferSelect>(
        db,
        db
          .insert(ticketCounters)
          .values({ day: sql.placeholder('day'), last: 1 })
          .onConflictDoUpdate({ target: ticketCounters.day, set: { last: sql`${ticketCounters.last} + 1` } })
          .returning(),
        { row: ticketCounters },
      ),
      insert: new ByColumns((fields) =>
        statement<Ticket>(
          db,
          db
            .insert(tickets)
            .values(placeholders(fields) as unknown as typeof tickets.$inferInsert)
            .returning(),
          { row: tickets, encode: tickets },
        ),
      ),
      // the version counts up in the statement itself: a change that keeps the status
      // need read nothing first (three of a call's ticket updates are such)
      update: new ByColumns((fields) =>
        statement<Ticket>(
          db,
          db
            .update(tickets)
            .set({ ...placeholders(fields), version: sql`${tickets.version} + 1` })
            .where(eq(tickets.id, sql.placeholder(ID)))
            .returning(),
          { row: tickets, encode: tickets },
        ),
      ),
      event: new ByColumns((fields) => statement(db, db.insert(ticketEvents).values(placeholders(fields) as unknown as typeof ticketEvents.$inferInsert), { encode: ticketEvents })),
      // what a change needs of the ticket before it (not the whole row: it comes back from the update)
      stateOf: statement<Pick<Ticket, 'status'>>(
        db,
        db
          .select({ status: tickets.status })
          .from(tickets)
          .where(eq(tickets.id, sql.placeholder('id'))),
        { row: { status: tickets.status } },
      ),
      deadlines: statement<typeof ticketDeadlines.$inferSelect>(db, db.select().from(ticketDeadlines).where(eq(ticketDeadlines.ticketId, sql.placeholder('ticketId'))), { row: ticketDeadlines }),
      deadlineGone: statement(db, db.delete(ticketDeadlines).where(and(eq(ticketDeadlines.ticketId, sql.placeholder('ticketId')), eq(ticketDeadlines.field, sql.placeholder('field'))))),
      // a new ticket has no deadline rows yet (ids are never reused): a plain insert, which
      // unlike the upsert needs no statement journal (some 80 KB of temp file per call)
      deadlineNew: statement(db, db.insert(ticketDeadlines).values(placeholders(DEADLINE_FIELDS) as unknown as typeof ticketDeadlines.$inferInsert), { encode: ticketDeadlines }),
      deadlineSet: statement(
        db,
        db
          .insert(ticketDeadlines)
          .values(placeholders(DEADLINE_FIELDS) as unknown as typeof ticketDeadlines.$inferInsert)
          .onConflictDoUpdate({ target: [ticketDeadlines.ticketId, ticketDeadlines.field], set: placeholders(DEADLINE_FIELDS) }),
        { encode: ticketDeadlines },
      ),
    };
  }
  private get q() {
    return (this.statements ??= this.prepare());
  }

  /** Opens a ticket with the next number of the day; one transaction, one 'created' event. */
  create(input: NewTicket, actor: Actor, data?: unknown): Ticket {
    const at = this.now();
    const routeDueAt = receiptRouteDeadline(input, at);
    // the current step's deadline is the routing one until the ticket moves on
    const dueAt = input.dueAt !== undefined ? input.dueAt : routeDueAt;
    const ticket = atomically(this.db, () => {
      const day = shanghaiDate(at);
      const counter = this.q.nextNumber.get({ day })!;
      const number = `962200-${day.replaceAll('-', '')}-${String(counter.last).padStart(6, '0')}`;
      const values: typeof tickets.$inferInsert = {
        number,
        source: input.source,
        kind: input.kind ?? null,
        status: input.status ?? 'open',
        category: input.category ?? null,
        subcategory: input.subcategory ?? null,
        callerNumber: input.callerNumber ?? null,
        callerName: input.callerName ?? null,
        callerEmail: input.callerEmail ?? null,
        address: input.address ?? null,
        street: input.street ?? null,
        district: input.district ?? null,
        title: input.title ?? null,
        content: input.content ?? null,
        externalOrderId: input.externalOrderId ?? null,
        needsCallback: input.needsCallback ?? false,
        parentTicketId: input.parentTicketId ?? null,
        assignedUserId: input.assignedUserId ?? null,
        departmentId: input.departmentId ?? null,
        assignedStreet: input.assignedStreet ?? null,
        dueAt: isDeadline(dueAt) ? dueAt.at : (dueAt ?? null),
        dueAtProvisional: isDeadline(dueAt) && dueAt.provisional,
        routeDueAt: isDeadline(routeDueAt) ? routeDueAt.at : (routeDueAt ?? null),
        routeDueAtProvisional: isDeadline(routeDueAt) && routeDueAt.provisional,
        orderDueAt: input.orderDueAt ?? null,
        supervisionReason: input.supervisionReason ?? null,
        instructedBy: input.instructedBy ?? null,
        createdAt: at,
        updatedAt: at,
      };
      const fields = columnsSet(tickets, values);
      const row = this.q.insert.for(fields).get(values)!;
      const plan = planDeadlines({ dueAt: dueAt ?? null, routeDueAt: routeDueAt ?? null }, new Map());
      this.storeDeadlines(row.id, plan.bases, true);
      this.text.put(row, true);
      this.addEvent({ ticketId: row.id, at, actor: actor.name, actorRole: actor.role, action: 'created', toStatus: row.status, data: withProvisional(data ?? null, plan) });
      return row;
    });
    this.bus.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, source: ticket.source, kind: ticket.kind });
    return ticket;
  }

  /** The caller's street from their latest ticket that has one (community-life routing). */
  lastStreetOf(callerNumber: string): string | null {
    if (!callerNumber) return null;
    const row = this.db
      .select({ street: tickets.street })
      .from(tickets)
      .where(and(eq(tickets.callerNumber, callerNumber), isNotNull(tickets.street)))
      .orderBy(desc(tickets.createdAt))
      .limit(1)
      .get();
    return row?.street ?? null;
  }

  get(id: number): Ticket | undefined {
    return this.q.byId.get({ id });
  }

  byNumber(number: string): Ticket | undefined {
    return this.db.select().from(tickets).where(eq(tickets.number, number)).get();
  }

  byExternalOrder(orderId: string): Ticket | undefined {
    return this.db.select().from(tickets).where(eq(tickets.externalOrderId, orderId)).get();
  }

  events(ticketId: number): TicketEvent[] {
    return this.q.events.all({ ticketId });
  }

  /**
   * A page of tickets, newest first, and how many match. `total` is exact up to
   * TOTAL_CAP; past it the count stops there and `totalCapped` is true (at least that
   * many match): counting every match of a broad filter over a year of tickets (a
   * million rows, 98 % of them closed) took 10–40 ms per page, more than the page itself.
   * A page that is not full needs no count at all. The page's ids come from the filter's
   * index alone (listIndex), then the rows by primary key. With `q` the matches come from
   * the text index, newest (highest id) first; `sort: 'deadline'` reads the unfinished
   * tickets' index: overdue first, then the nearest deadline, then the oldest.
   */
  list(filter: TicketFilter): { items: Ticket[]; total: number; totalCapped: boolean } {
    const where = this.conditions(filter);
    const limit = filter.limit ?? 50;
    const offset = filter.offset ?? 0;
    const match = filter.q === undefined ? null : this.matchOf(filter);
    // no letter, digit or Han character to look for (the route refuses such a q): nothing matches
    if (match === '') return { items: [], total: 0, totalCapped: false };
    // which side drives: the text index (newest match first, each checked against the
    // filters) unless the filter has an index of its own and the words are common, when the
    // filter's index is read and each row checked against the matches instead
    const indexed = listIndex(filter) !== null || filter.from !== undefined || filter.to !== undefined;
    const textDriven = match === null || !indexed || this.fewMatches(match);
    const cap = match === null ? TOTAL_CAP : SEARCH_TOTAL_CAP;
    if (match !== null && !textDriven && filter.sort !== 'deadline') {
      // common words: when the newest matches already hold more than `cap` that pass the
      // filter (a common status, kind or a recent period), the page and the capped total
      // come from them alone; only a filter rare among the matches reads its own index
      const windowed = this.fromNewestMatches(match, where, limit, offset, cap);
      if (windowed) return windowed;
    }
    let source: SQL;
    let order: SQL;
    if (filter.sort === 'deadline') {
      // the partial index holds the unfinished tickets in exactly this order
      source = sql`${tickets} INDEXED BY tickets_open_deadline_idx`;
      order = sql`ORDER BY ${tickets.overdue} DESC, coalesce(${tickets.dueAt}, ${sql.raw(String(NO_DEADLINE))}), ${tickets.id}`;
    } else if (match !== null && !textDriven) {
      // a selective filter's index (or the period's) read newest first, each row checked
      // against the text index's matches: a rare status or kind among a common word's
      // matches would otherwise walk all of them
      source = sql`${tickets} INDEXED BY ${sql.identifier(listIndex(filter) ?? 'tickets_created_idx')}`;
      order = sql`ORDER BY ${tickets.createdAt} DESC, ${tickets.id} DESC`;
    } else if (match !== null) {
      // matches come from the text index newest first (ticket ids grow with creation), joined to the row for the filters
      source = sql`ticket_search CROSS JOIN ${tickets} ON ${tickets.id} = ticket_search.rowid`;
      order = sql`ORDER BY ticket_search.rowid DESC`;
    } else {
      const index = listIndex(filter);
      source = index ? sql`${tickets} INDEXED BY ${sql.identifier(index)}` : sql`${tickets}`;
      order = sql`ORDER BY ${tickets.createdAt} DESC, ${tickets.id} DESC`;
    }
    const textCond = match === null ? undefined : filter.sort === 'deadline' || !textDriven ? sql`${tickets.id} IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ${match})` : sql`ticket_search MATCH ${match}`;
    const all = and(where, textCond);
    const matching = all ? sql`WHERE ${all}` : sql``;
    if (match !== null && !textDriven && filter.sort !== 'deadline' && offset + limit <= cap + 1) {
      // a common word under a filter: the matches' set is built once for the page and the
      // capped total together (two queries would build it twice)
      const upTo = this.db.all<{ id: number }>(sql`SELECT ${tickets.id} AS id FROM ${source} ${matching} ${order} LIMIT ${cap + 1}`).map((r) => r.id);
      const ids = upTo.slice(offset, offset + limit);
      const byId = new Map(ids.length ? this.q.byIds.all({ ids: JSON.stringify(ids) }).map((t) => [t.id, t]) : []);
      const items = ids.map((id) => byId.get(id)).filter((t): t is Ticket => t !== undefined);
      return upTo.length > cap ? { items, total: cap, totalCapped: true } : { items, total: upTo.length, totalCapped: false };
    }
    const ids = this.db.all<{ id: number }>(sql`SELECT ${tickets.id} AS id FROM ${source} ${matching} ${order} LIMIT ${limit} OFFSET ${offset}`).map((r) => r.id);
    const byId = new Map(ids.length ? this.q.byIds.all({ ids: JSON.stringify(ids) }).map((t) => [t.id, t]) : []);
    const items = ids.map((id) => byId.get(id)).filter((t): t is Ticket => t !== undefined);
    // the last page (or the only one) tells the total by itself
    if (items.length < limit && (offset === 0 || items.length > 0)) return { items, total: offset + items.length, totalCapped: false };
    // capped even without a filter: count(*) of the whole table still walks every page of
    // its smallest index (about 1 ms at a million tickets once the cache has moved on)
    // a text search with no other condition is counted in the text index alone, without the rows
    const countFrom = match !== null && where === undefined && filter.sort !== 'deadline' ? sql`ticket_search WHERE ticket_search MATCH ${match}` : sql`${source} ${matching}`;
    const counted = this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${countFrom} LIMIT ${cap + 1})`);
    const n = counted?.n ?? 0;
    if (n <= cap) return { items, total: n, totalCapped: false };
    return { items, total: Math.max(cap, offset + items.length), totalCapped: true };
  }

  /**
   * The inbox's counts: the unfinished tickets the filter selects, whatever their status,
   * per status, and how many of them are overdue. Read from the open tickets' index.
   */
  openCounts(filter: TicketFilter): StatusCounts {
    const match = filter.q === undefined ? null : this.matchOf(filter);
    if (match === '') return { byStatus: {}, overdue: 0, total: 0 };
    const all = and(this.conditions({ ...filter, status: undefined, open: true }), match === null ? undefined : sql`${tickets.id} IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ${match})`);
    const rows = this.db.all<{ status: string; n: number; overdue: number }>(
      sql`SELECT ${tickets.status} AS status, count(*) AS n, sum(${tickets.overdue}) AS overdue FROM ${tickets} INDEXED BY tickets_open_status_idx WHERE ${all} GROUP BY 1 ORDER BY 1`,
    );
    return {
      byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      overdue: rows.reduce((a, r) => a + (r.overdue ?? 0), 0),
      total: rows.reduce((a, r) => a + r.n, 0),
    };
  }

  /**
   * A page of a common word's search from its 2 × (cap + 1) newest matches, or null when
   * fewer than cap + 1 of them pass the filter (the answer may lie beyond them).
   */
  private fromNewestMatches(match: string, where: SQL | undefined, limit: number, offset: number, cap: number): { items: Ticket[]; total: number; totalCapped: boolean } | null {
    // twice the cap: a filter passed by half the matches or more is answered from them
    const hits = sql`(SELECT rowid AS hit FROM ticket_search WHERE ticket_search MATCH ${match} ORDER BY rowid DESC LIMIT ${2 * (cap + 1)}) AS hits CROSS JOIN ${tickets} ON ${tickets.id} = hits.hit`;
    const matching = where ? sql`WHERE ${where}` : sql``;
    const n = this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${hits} ${matching} LIMIT ${cap + 1})`)?.n ?? 0;
    if (n <= cap || offset + limit > n) return null;
    const ids = this.db.all<{ id: number }>(sql`SELECT ${tickets.id} AS id FROM ${hits} ${matching} ORDER BY hits.hit DESC LIMIT ${limit} OFFSET ${offset}`).map((r) => r.id);
    const byId = new Map(ids.length ? this.q.byIds.all({ ids: JSON.stringify(ids) }).map((t) => [t.id, t]) : []);
    const items = ids.map((id) => byId.get(id)).filter((t): t is Ticket => t !== undefined);
    return { items, total: Math.max(cap, offset + items.length), totalCapped: true };
  }

  /** Do the words match fewer than COMMON_WORD tickets? (counted in the text index alone, at most that many) */
  private fewMatches(match: string): boolean {
    const r = this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ticket_search WHERE ticket_search MATCH ${match} LIMIT ${this.commonWord})`);
    return (r?.n ?? 0) < this.commonWord;
  }

  /** The FTS5 query for the filter's words, restricted to the masked text for a masked viewer ('' when there are no words). */
  private matchOf(filter: TicketFilter): string {
    const expr = matchExpression(filter.q ?? '');
    if (expr === null) return '';
    return filter.text === 'all' ? expr : `masked : (${expr})`;
  }

  private conditions(filter: TicketFilter): SQL | undefined {
    return and(
      filter.number ? eq(tickets.number, filter.number) : undefined,
      filter.callerNumber ? eq(tickets.callerNumber, filter.callerNumber) : undefined,
      filter.kind ? eq(tickets.kind, filter.kind) : undefined,
      filter.status ? eq(tickets.status, filter.status) : undefined,
      filter.source ? eq(tickets.source, filter.source as TicketSource) : undefined,
      filter.category ? eq(tickets.category, filter.category) : undefined,
      filter.overdue !== undefined ? eq(tickets.overdue, filter.overdue) : undefined,
      filter.needsCallback !== undefined ? eq(tickets.needsCallback, filter.needsCallback) : undefined,
      filter.parentTicketId !== undefined ? eq(tickets.parentTicketId, filter.parentTicketId) : undefined,
      filter.from !== undefined ? gte(tickets.createdAt, filter.from) : undefined,
      filter.to !== undefined ? lt(tickets.createdAt, filter.to) : undefined,
      // a literal, as the open tickets' partial index says it (a bound list would not match it)
      filter.open === true || filter.sort === 'deadline' ? sql.raw(OPEN_TICKETS) : filter.open === false ? sql.raw(`NOT (${OPEN_TICKETS})`) : undefined,
      filter.assignedTo ? assignedTo(filter.assignedTo) : undefined,
      filter.scope,
    );
  }

  /**
   * Changes fields of a ticket and appends the event, in one transaction. `expect`
   * guards against a concurrent change (the status it must still have).
   */
  update(
    id: number,
    changes: TicketChanges,
    event: { actor: Actor; action: string; reason?: string | null; data?: unknown },
    expectStatus?: string,
  ): Ticket {
    const at = this.now();
    const updated = atomically(this.db, () => {
      // only a change of status needs the status before it (the version counts up in the statement)
      const keepsStatus = expectStatus === undefined && !('status' in changes);
      const before = keepsStatus ? null : this.q.stateOf.get({ id });
      if (!keepsStatus && !before) throw new Error(`ticket ${id} not found`);
      if (before && expectStatus !== undefined && before.status !== expectStatus) {
        throw new Error(`ticket ${id} is ${before.status}, expected ${expectStatus}`);
      }
      const touchesDeadlines = DUE_FIELDS.some((f) => f in changes);
      const plan = touchesDeadlines ? planDeadlines(changes, this.deadlineBases(id)) : { columns: changes as Partial<Ticket>, bases: [], provisional: {} };
      const set = { ...plan.columns, updatedAt: at };
      const row = this.q.update.for(columnsSet(tickets, set)).get({ ...set, [ID]: id });
      if (!row) throw new Error(`ticket ${id} not found`);
      if (touchesDeadlines) this.storeDeadlines(id, plan.bases);
      const fromStatus = before?.status ?? row.status;
      this.addEvent({
        ticketId: id,
        at,
        actor: event.actor.name,
        actorRole: event.actor.role,
        action: event.action,
        fromStatus,
        toStatus: row.status,
        reason: event.reason ?? null,
        data: withProvisional(event.data ?? null, plan),
      });
      if (SEARCHED_FIELDS.some((f) => f in changes) || SEARCHED_EVENTS.includes(event.action)) this.text.put(row);
      return { fromStatus, row };
    });
    this.bus.emit('ticket.changed', { ticketId: id, source: updated.row.source, action: event.action, fromStatus: updated.fromStatus, toStatus: updated.row.status });
    return updated.row;
  }

  private addEvent(event: typeof ticketEvents.$inferInsert): void {
    const fields = columnsSet(ticketEvents, event);
    this.q.event.for(fields).run(event);
  }

  /** What each deadline of a ticket was counted from. */
  deadlineBases(ticketId: number): Map<DueField, Deadline> {
    const rows = this.q.deadlines.all({ ticketId });
    return new Map(rows.map((r) => [r.field as DueField, { at: r.dueAt, startAt: r.startAt, days: r.days, unit: r.unit as DayUnit, provisional: r.provisional }]));
  }

  private storeDeadlines(ticketId: number, bases: Array<[DueField, Deadline | null]>, isNew = false): void {
    for (const [field, d] of bases) {
      if (!d) {
        if (!isNew) this.q.deadlineGone.run({ ticketId, field });
        continue;
      }
      const row = { ticketId, field, startAt: d.startAt, days: d.days, unit: d.unit ?? 'working', dueAt: d.at, provisional: d.provisional, startDay: shanghaiDate(d.startAt), dueDay: shanghaiDate(d.at) };
      (isNew ? this.q.deadlineNew : this.q.deadlineSet).run(row);
    }
  }
}

/** the tickets a user or their seat works; nobody's when neither is known */
function assignedTo(who: { userId?: number; seatId?: string }): SQL {
  return or(who.userId !== undefined ? eq(tickets.assignedUserId, who.userId) : undefined, who.seatId ? eq(tickets.assignedSeatId, who.seatId) : undefined) ?? sql`0`;
}

interface DeadlinePlan {
  /** the changes as columns: instants, and each deadline's provisional flag */
  columns: Partial<Ticket>;
  /** the basis each changed deadline field now has (null: none) */
  bases: Array<[DueField, Deadline | null]>;
  /** the provisional deadlines set, for the history */
  provisional: Partial<Record<DueField, string>>;
}

/**
 * Turns deadline changes into columns and bases. A Deadline brings its own basis; an
 * instant copied from another deadline field (the current step's dueAt mirrors the
 * step's own limit) takes that field's basis; any other instant, or null, has none.
 */
function planDeadlines(changes: TicketChanges, existing: Map<DueField, Deadline>): DeadlinePlan {
  const columns: Record<string, unknown> = { ...changes };
  const known = new Map(existing);
  const bases: Array<[DueField, Deadline | null]> = [];
  const provisional: Partial<Record<DueField, string>> = {};
  const set = (f: DueField, d: Deadline | null) => {
    columns[f] = d ? d.at : (changes[f] ?? null);
    columns[`${f}Provisional`] = d?.provisional ?? false;
    bases.push([f, d]);
    if (d) known.set(f, d);
    else known.delete(f);
    if (d?.provisional) provisional[f] = new Date(d.at).toISOString();
  };
  for (const f of DUE_FIELDS) {
    const v = changes[f];
    if (isDeadline(v)) set(f, v);
  }
  for (const f of DUE_FIELDS) {
    if (!(f in changes) || isDeadline(changes[f])) continue;
    const v = changes[f];
    const source = v == null ? undefined : [...known.entries()].find(([g, d]) => g !== f && d.at === v)?.[1];
    set(f, source ?? null);
  }
  return { columns: columns as Partial<Ticket>, bases, provisional };
}

/** The history says when a deadline was counted over a provisional year (暂定). */
function withProvisional(data: unknown, plan: Pick<DeadlinePlan, 'provisional'>): unknown {
  if (!Object.keys(plan.provisional).length) return data;
  const base = data && typeof data === 'object' && !Array.isArray(data) ? data : data == null ? {} : { value: data };
  return { ...base, provisionalDeadlines: plan.provisional };
}

