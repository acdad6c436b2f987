// The taxonomy: reading it (kept in memory, it is small and read on every classify and
// report), checking a ticket's category and subcategory, and the admin's changes.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { categories } from './schema.js';
import { SEED_TAXONOMY } from './seed.js';

export type CategoryRow = typeof categories.$inferSelect;

export interface CategoryNode {
  id: string;
  label: string;
  position: number;
  active: boolean;
  subcategories: Array<{ id: string; label: string; position: number; active: boolean }>;
}

export class TaxonomyService {
  private cache?: CategoryRow[];

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes 第十三条's tree into an empty table (a fresh database); never touches an edited one. */
  seedIfEmpty(): void {
    const n = this.db.get<{ n: number }>(sql`select count(*) as n from ${categories}`)?.n ?? 0;
    if (n > 0) return;
    const at = this.now();
    this.db.transaction((tx) => {
      SEED_TAXONOMY.forEach((c, i) => {
        tx.insert(categories).values({ id: c.id, parentId: null, label: c.label, position: i, updatedAt: at }).run();
        (c.subcategories ?? []).forEach((s, j) => tx.insert(categories).values({ id: s.id, parentId: c.id, label: s.label, position: j, updatedAt: at }).run());
      });
    });
    this.cache = undefined;
  }

  private rows(): CategoryRow[] {
    return (this.cache ??= this.db.select().from(categories).orderBy(asc(categories.position), asc(categories.id)).all());
  }

  /** The tree; retired ones only when asked. */
  tree(includeInactive = false): CategoryNode[] {
    const rows = this.rows().filter((r) => includeInactive || r.active);
    return rows
      .filter((r) => r.parentId === null)
      .map((c) => ({
        id: c.id,
        label: c.label,
        position: c.position,
        active: c.active,
        subcategories: rows.filter((s) => s.parentId === c.id).map((s) => ({ id: s.id, label: s.label, position: s.position, active: s.active })),
      }));
  }

  get(id: string): CategoryRow | undefined {
    return this.rows().find((r) => r.id === id);
  }

  /** The label of a category or subcategory id; an id it does not know (old free text) as it is. */
  label(id: string | null | undefined): string | null {
    if (id === null || id === undefined) return null;
    return this.get(id)?.label ?? id;
  }

  /**
   * A 400 unless `category` is an active category and `subcategory` an active subcategory
   * of it (or of `current`, the ticket's category, when only the subcategory is given).
   */
  check(category: string | null | undefined, subcategory: string | null | undefined, current?: string | null): void {
    if (category !== undefined && category !== null) {
      const c = this.get(category);
      if (!c || c.parentId !== null || !c.active) throw badRequest(`category 不是有效的类别：${category}（见 GET /api/categories）`);
    }
    if (subcategory !== undefined && subcategory !== null) {
      const parent = category ?? current;
      const s = this.get(subcategory);
      if (!parent) throw badRequest('subcategory 需要先有类别（category）');
      if (!s || s.parentId !== parent || !s.active) throw badRequest(`subcategory 不是类别 ${this.label(parent)} 下的有效子类：${subcategory}`);
    }
  }

  create(input: { id: string; label: string; parentId?: string | null; position?: number }): CategoryRow {
    if (this.get(input.id)) throw conflict(`编号 ${input.id} 已存在`);
    if (input.parentId) {
      const p = this.get(input.parentId);
      if (!p || p.parentId !== null) throw badRequest(`parentId 不是一个类别：${input.parentId}`);
    }
    const siblings = this.rows().filter((r) => r.parentId === (input.parentId ?? null));
    const position = input.position ?? siblings.reduce((m, r) => Math.max(m, r.position + 1), 0);
    const [row] = this.db.insert(categories).values({ id: input.id, parentId: input.parentId ?? null, label: input.label, position, updatedAt: this.now() }).returning().all();
    this.cache = undefined;
    return row;
  }

  update(id: string, changes: { label?: string; active?: boolean; position?: number }): CategoryRow {
    if (!this.get(id)) throw notFound('分类');
    const [row] = this.db.update(categories).set({ ...changes, updatedAt: this.now() }).where(eq(categories.id, id)).returning().all();
    this.cache = undefined;
    return row;
  }
}
