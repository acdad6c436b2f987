// The ticket taxonomy (第十三条): categories and their subcategories, kept by an admin.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * One row per category (parentId null) or subcategory (parentId = its category). Ids are
 * stable English codes stored on tickets; labels are what people read. Never deleted:
 * a retired one is `active = false`, so old tickets keep their label.
 */
export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    label: text('label').notNull(),
    position: integer('position').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);
