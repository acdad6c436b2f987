import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name'),
    /** scrypt$N$r$p$salt$hash */
    passwordHash: text('password_hash').notNull(),
    /** operator | street_seat | department | supervisor | inspector | admin | integration */
    role: text('role').notNull(),
    street: text('street'),
    departmentId: text('department_id'),
    seatId: text('seat_id'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** carried in every token; bumped on disable, delete, re-role or logout, so older tokens stop at once */
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username)],
);

/** Every read of an unmasked caller number or name (DESIGN §6). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id'),
    username: text('username'),
    action: text('action').notNull(),
    ticketId: integer('ticket_id'),
    detail: text('detail'),
  },
  (t) => [index('audit_ticket_idx').on(t.ticketId), index('audit_at_idx').on(t.at), index('audit_user_at_idx').on(t.userId, t.at)],
);
