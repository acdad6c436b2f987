// The units work is routed to (第四、十、十五、十八条): departments and streets/towns, kept by an admin.
// Re-exported by src/db/tables.ts. Times are epoch milliseconds (UTC).
import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

export const DEPARTMENT_KINDS = ['bureau_division', 'district_bureau', 'bureau_office', 'outside'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/**
 * A unit that receives routed tickets: a division of the city bureau (市局处室), a district
 * civil-affairs bureau (区县民政局), the bureau office (市局办公室, which coordinates), or an
 * outside body the center works with (协同单位). The id is what tickets and users store.
 */
export const departments = sqliteTable('departments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: DEPARTMENT_KINDS }).notNull(),
  /** the district of a district bureau */
  district: text('district'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const STREET_KINDS = ['street', 'town'] as const;

/** A street (街道) or town (镇) with its district; community-life tickets go to its remote seat. */
export const streets = sqliteTable('streets', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: STREET_KINDS }).notNull(),
  district: text('district').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
