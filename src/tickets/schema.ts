import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are epoch milliseconds (UTC); the API renders them as ISO 8601.

export interface CoHandler {
  departmentId: string;
  /** the part it recorded, once it has */
  part: string | null;
  partAt: number | null;
}

export interface ExtensionRequest {
  days: number;
  unit: 'working' | 'calendar';
  reason: string;
  at: number;
  by: string;
}

/** what `coalesce(due_at, …)` puts a ticket without a deadline at: after every real one */
export const NO_DEADLINE = Number.MAX_SAFE_INTEGER;
/** unfinished tickets, as a literal so the partial index below and the queries that use it say the same */
export const OPEN_TICKETS = `"tickets"."status" NOT IN ('closed', 'returned')`;

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 962200-YYYYMMDD-NNNNNN, the day in Asia/Shanghai */
    number: text('number').notNull(),
    source: text('source', { enum: ['phone', 'email', 'online', '12345', 'manual'] }).notNull(),
    /** immediate | routed | supervised | emergency | collaborative; null until classified */
    kind: text('kind'),
    status: text('status').notNull().default('open'),
    category: text('category'),
    subcategory: text('subcategory'),
    callerNumber: text('caller_number'),
    callerName: text('caller_name'),
    callerEmail: text('caller_email'),
    address: text('address'),
    street: text('street'),
    district: text('district'),
    title: text('title'),
    content: text('content'),
    /** who works it now */
    assignedSeatId: text('assigned_seat_id'),
    assignedUserId: integer('assigned_user_id'),
    departmentId: text('department_id'),
    assignedStreet: text('assigned_street'),
    needsCallback: integer('needs_callback', { mode: 'boolean' }).notNull().default(false),
    /** 12345's order id for transferred orders; unique so a repeat finds the same ticket */
    externalOrderId: text('external_order_id'),
    parentTicketId: integer('parent_ticket_id'),
    dueAt: integer('due_at'),
    routeDueAt: integer('route_due_at'),
    contactDueAt: integer('contact_due_at'),
    resolveDueAt: integer('resolve_due_at'),
    // a deadline counted over a year with no holiday notice yet (暂定); cleared when the notice is loaded
    dueAtProvisional: integer('due_at_provisional', { mode: 'boolean' }).notNull().default(false),
    routeDueAtProvisional: integer('route_due_at_provisional', { mode: 'boolean' }).notNull().default(false),
    contactDueAtProvisional: integer('contact_due_at_provisional', { mode: 'boolean' }).notNull().default(false),
    resolveDueAtProvisional: integer('resolve_due_at_provisional', { mode: 'boolean' }).notNull().default(false),
    overdue: integer('overdue', { mode: 'boolean' }).notNull().default(false),
    reply: text('reply'),
    draftReply: text('draft_reply'),
    result: text('result'),
    satisfaction: text('satisfaction'),
    flaggedForSupervisor: integer('flagged_for_supervisor', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
    version: integer('version').notNull().default(1),
    // lifecycle (lifecycle.ts): when each routed step happened, for deadline compliance
    routedAt: integer('routed_at'),
    contactedAt: integer('contacted_at'),
    resolvedAt: integer('resolved_at'),
    /** times a department or street sent it back unworked; 2+ opens supervision */
    bounceCount: integer('bounce_count').notNull().default(0),
    // #13 (第三、十五、十八条)
    /** 12345's own deadline for its order; the earlier of it and ours governs the sweep */
    orderDueAt: integer('order_due_at'),
    /** who routed it last: that operator (or a supervisor) may recall it */
    routedByUserId: integer('routed_by_user_id'),
    /** co-handling departments (协办) of a cross-department case; departmentId is the lead (牵头) */
    coHandlers: text('co_handlers', { mode: 'json' }).$type<CoHandler[]>().notNull().default([]),
    /** a request to the bureau office (市局办公室) to coordinate, and its answer */
    coordinationDepartmentId: text('coordination_department_id'),
    coordinationReason: text('coordination_reason'),
    coordinationRequestedAt: integer('coordination_requested_at'),
    coordinationAnswer: text('coordination_answer'),
    coordinationAnsweredAt: integer('coordination_answered_at'),
    /** a statutory or promised limit replacing the 10 working days to answer */
    limitDays: integer('limit_days'),
    limitUnit: text('limit_unit', { enum: ['working', 'calendar'] }),
    limitBasis: text('limit_basis'),
    /** a handler's pending request for more time, until a supervisor grants or refuses it */
    extensionRequest: text('extension_request', { mode: 'json' }).$type<ExtensionRequest | null>(),
    extensionCount: integer('extension_count').notNull().default(0),
    /** 12345's urgings (催办) */
    urgeCount: integer('urge_count').notNull().default(0),
    urgedAt: integer('urged_at'),
    /** the operator who took this closed ticket's spot-check callback (抽查回访); they see the number */
    callbackUserId: integer('callback_user_id'),
    // #14 (第十四、十六、十七条)
    /** who wrote the draft reply under review: they (or a supervisor) give it once approved */
    draftedByUserId: integer('drafted_by_user_id'),
    /** times the department was sent back to rework after an unsatisfied callback */
    reworkCount: integer('rework_count').notNull().default(0),
    /** on a supervision (督办): why it was opened (manual | overdue | bounced | unsatisfied | leader_instruction) */
    supervisionReason: text('supervision_reason'),
    /** on a supervision for a leader's instruction (领导批示): who instructed */
    instructedBy: text('instructed_by'),
    /** the bureau office's own deadline to answer a request (emergency or coordination) */
    coordinationDueAt: integer('coordination_due_at'),
  },
  (t) => [
    uniqueIndex('tickets_number_uq').on(t.number),
    uniqueIndex('tickets_external_order_uq').on(t.externalOrderId),
    // The list is newest first (created_at desc, id desc): each filter it is used with has
    // an index that ends in created_at (the rowid follows implicitly), so a page is read
    // in order and stops after `limit` rows instead of sorting every match; the capped
    // `total` (services.ts) is counted from the same index without touching the table.
    index('tickets_caller_created_idx').on(t.callerNumber, t.createdAt),
    index('tickets_created_idx').on(t.createdAt),
    index('tickets_status_created_idx').on(t.status, t.createdAt),
    index('tickets_kind_created_idx').on(t.kind, t.createdAt),
    index('tickets_kind_status_created_idx').on(t.kind, t.status, t.createdAt),
    // the statistics of a period (src/stats) read only these columns of the tickets created
    // in it: covered here, a month of 80,000 tickets is read from this index alone, never
    // from the table's rows with their texts
    index('tickets_stats_idx').on(
      t.createdAt, t.kind, t.category, t.subcategory, t.source, t.status, t.updatedAt, t.departmentId, t.assignedStreet,
      t.routeDueAt, t.routedAt, t.contactDueAt, t.contactedAt, t.resolveDueAt, t.resolvedAt, t.dueAt, t.closedAt, t.overdue, t.satisfaction,
    ),
    // the desk's inbox (?open=true&sort=deadline): unfinished tickets only, overdue first,
    // then the nearest deadline (none last), so a page is read in order from this index
    index('tickets_open_deadline_idx')
      .on(sql`${t.overdue} DESC`, sql`coalesce(${t.dueAt}, ${sql.raw(String(NO_DEADLINE))})`)
      .where(sql.raw(OPEN_TICKETS)),
    // … and its counts per status (and of the viewer's own, ?mine=true), from this index alone
    index('tickets_open_status_idx').on(t.status, t.overdue, t.assignedUserId, t.assignedSeatId).where(sql.raw(OPEN_TICKETS)),
  ],
);

/** Append-only: who did what to a ticket, when and why. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    reason: text('reason'),
    data: text('data', { mode: 'json' }),
  },
  // by action and time: the statistics read a period's callbacks, bounces and extensions
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId), index('ticket_events_action_at_idx').on(t.action, t.at)],
);

/** Per-day sequence behind ticket numbers. */
export const ticketCounters = sqliteTable('ticket_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * Supervision opened automatically (overdue, bounced, unsatisfied): at most one per
 * ticket and reason, so a re-run of the sweep never opens a second.
 */
export const ticketEscalations = sqliteTable(
  'ticket_escalations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** overdue | bounced | unsatisfied */
    reason: text('reason').notNull(),
    supervisionTicketId: integer('supervision_ticket_id').notNull().references(() => tickets.id),
    at: integer('at').notNull(),
  },
  (t) => [uniqueIndex('ticket_escalations_uq').on(t.ticketId, t.reason)],
);

/**
 * What each deadline of a ticket was counted from (start, working days), so a holiday
 * notice loaded later counts it again. One row per ticket and deadline field; a field
 * set without a basis (copied from elsewhere, cleared) has none.
 */
export const ticketDeadlines = sqliteTable(
  'ticket_deadlines',
  {
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    /** dueAt | routeDueAt | contactDueAt | resolveDueAt */
    field: text('field').notNull(),
    startAt: integer('start_at').notNull(),
    days: integer('days').notNull(),
    /** working | calendar */
    unit: text('unit').notNull().default('working'),
    dueAt: integer('due_at').notNull(),
    provisional: integer('provisional', { mode: 'boolean' }).notNull(),
    /** Shanghai days of start and due, to find the deadlines a changed day falls between */
    startDay: text('start_day').notNull(),
    dueDay: text('due_day').notNull(),
  },
  (t) => [uniqueIndex('ticket_deadlines_uq').on(t.ticketId, t.field), index('ticket_deadlines_due_day_idx').on(t.dueDay)],
);
