import { and, count, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../shared/errors.js';
import { editError, KB_AUTHORS, KB_TRANSITIONS, transitionError, type KbAction } from './lifecycle.js';
import { kbEntries, kbEntryEvents, kbEntryVersions, type KbCategory, type KbStatus, type KbType } from './schema.js';
import type { KbSearchIndex } from './search-index.js';

export type Entry = typeof kbEntries.$inferSelect;
export type EntryVersion = typeof kbEntryVersions.$inferSelect;
export type EntryEvent = typeof kbEntryEvents.$inferSelect;

/** What an author writes; the rest of an entry is the system's. */
export interface EntryInput {
  type: KbType;
  category: KbCategory;
  title: string;
  body: string;
  keywords?: string[];
  /** 相似问法: how citizens ask for it */
  questions?: string[];
  effectiveFrom?: string | null;
  effectiveUntil?: string | null;
  sourceDepartment?: string | null;
  ref?: string | null;
}

export interface EntryFilter {
  status?: KbStatus;
  type?: KbType;
  category?: KbCategory;
  sourceDepartment?: string;
  limit?: number;
  offset?: number;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Content = Omit<Entry, 'id' | 'status' | 'version' | 'createdBy' | 'createdAt' | 'updatedAt' | 'publishedAt'>;

/**
 * Knowledge-base entries: writing, versions, publish states, bulk import. Every
 * write keeps the search index in step inside its own transaction.
 */
export class EntryService {
  constructor(
    private readonly db: Db,
    private readonly index: KbSearchIndex,
    private readonly now: () => number,
  ) {}

  get(id: number): Entry | undefined {
    return this.db.select().from(kbEntries).where(eq(kbEntries.id, id)).get();
  }

  mustGet(id: number): Entry {
    const entry = this.get(id);
    if (!entry) throw notFound('知识库条目');
    return entry;
  }

  list(filter: EntryFilter, scope?: SQL): { items: Entry[]; total: number } {
    const where = and(
      filter.status ? eq(kbEntries.status, filter.status) : undefined,
      filter.type ? eq(kbEntries.type, filter.type) : undefined,
      filter.category ? eq(kbEntries.category, filter.category) : undefined,
      filter.sourceDepartment ? eq(kbEntries.sourceDepartment, filter.sourceDepartment) : undefined,
      scope,
    );
    const items = this.db
      .select()
      .from(kbEntries)
      .where(where)
      .orderBy(desc(kbEntries.updatedAt), desc(kbEntries.id))
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0)
      .all();
    const [{ total }] = this.db.select({ total: count() }).from(kbEntries).where(where).all();
    return { items, total };
  }

  versions(id: number): EntryVersion[] {
    return this.db.select().from(kbEntryVersions).where(eq(kbEntryVersions.entryId, id)).orderBy(kbEntryVersions.version).all();
  }

  events(id: number): EntryEvent[] {
    return this.db.select().from(kbEntryEvents).where(eq(kbEntryEvents.entryId, id)).orderBy(kbEntryEvents.id).all();
  }

  /** A new draft. */
  create(input: EntryInput, actor: Actor): Entry {
    const content = authorContent(input, actor);
    return this.db.transaction((tx) => this.insert(tx, content, actor, 'draft', 'created'));
  }

  /**
   * Several entries at once, all or nothing, each arriving as submitted (a
   * department's bulk update awaiting an admin). Errors name the entry's position.
   */
  importEntries(inputs: EntryInput[], actor: Actor): Entry[] {
    const contents = inputs.map((input, i) => {
      try {
        return authorContent(input, actor);
      } catch (err) {
        if (err instanceof HttpError) throw new HttpError(err.statusCode, err.code, `entries[${i}]: ${err.message}`);
        throw err;
      }
    });
    const refs = contents.map((c) => c.ref).filter((r): r is string => !!r);
    const repeated = refs.filter((r, i) => refs.indexOf(r) !== i);
    if (repeated.length) throw badRequest(`ref：导入中有重复的编号：${[...new Set(repeated)].join('、')}`);
    return this.db.transaction((tx) => contents.map((c) => this.insert(tx, c, actor, 'submitted', 'imported')));
  }

  /** Changes an entry's content: a new version, re-indexed. `expectedVersion` guards against a lost update. */
  edit(id: number, changes: Partial<EntryInput>, actor: Actor, expectedVersion?: number, note?: string | null): Entry {
    return this.db.transaction((tx) => {
      const before = tx.select().from(kbEntries).where(eq(kbEntries.id, id)).get();
      if (!before) throw notFound('知识库条目');
      const refused = editError(actor, before);
      if (refused) throw refused;
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw conflict(`条目已是第 ${before.version} 版，不是第 ${expectedVersion} 版：请重新载入后再编辑`);
      }
      const merged = checkContent({ ...before, ...definedOnly(changes) });
      if (actor.role === 'department' && merged.sourceDepartment !== before.sourceDepartment) {
        throw forbidden('部门不能把本部门的条目转给其他部门');
      }
      const version = before.version + 1;
      const [row] = tx
        .update(kbEntries)
        .set({ ...merged, version, updatedAt: this.now() })
        .where(eq(kbEntries.id, id))
        .returning()
        .all();
      this.recordVersion(tx, row, actor, note ?? null);
      tx.insert(kbEntryEvents)
        .values({ entryId: id, at: row.updatedAt, actor: actor.name, actorRole: actor.role, action: 'edited', fromStatus: before.status, toStatus: row.status, version, reason: note ?? null })
        .run();
      this.index.put(row);
      return row;
    });
  }

  /** Moves an entry between publish states (see lifecycle.ts); refused moves change nothing. */
  transition(id: number, action: KbAction, actor: Actor, reason?: string | null): Entry {
    return this.db.transaction((tx) => {
      const before = tx.select().from(kbEntries).where(eq(kbEntries.id, id)).get();
      if (!before) throw notFound('知识库条目');
      const refused = transitionError(actor, before, action, reason);
      if (refused) throw refused;
      const at = this.now();
      const to = KB_TRANSITIONS[action].to;
      const [row] = tx
        .update(kbEntries)
        .set({ status: to, updatedAt: at, ...(to === 'published' ? { publishedAt: at } : {}) })
        .where(and(eq(kbEntries.id, id), eq(kbEntries.status, before.status)))
        .returning()
        .all();
      this.index.put(row);
      tx.insert(kbEntryEvents)
        .values({ entryId: id, at, actor: actor.name, actorRole: actor.role, action, fromStatus: before.status, toStatus: to, version: before.version, reason: reason?.trim() || null })
        .run();
      return row;
    });
  }

  /** Entries that exist, by id; the ids that don't. */
  existing(ids: readonly number[]): { found: Entry[]; missing: number[] } {
    const found = ids.length ? this.db.select().from(kbEntries).where(inArray(kbEntries.id, [...ids])).all() : [];
    const have = new Set(found.map((e) => e.id));
    return { found, missing: ids.filter((id) => !have.has(id)) };
  }

  /**
   * Writes an entry straight into a state, for the demo seed (published entries).
   * Skips it when its ref is already there, so seeding twice adds nothing.
   */
  seed(input: EntryInput & { ref: string }, status: KbStatus, actor: Actor): Entry | null {
    if (this.db.select({ id: kbEntries.id }).from(kbEntries).where(eq(kbEntries.ref, input.ref)).get()) return null;
    return this.db.transaction((tx) => this.insert(tx, checkContent(contentOf(input)), actor, status, 'seeded'));
  }

  private insert(tx: Tx, content: Content, actor: Actor, status: KbStatus, action: string): Entry {
    const at = this.now();
    if (content.ref && tx.select({ id: kbEntries.id }).from(kbEntries).where(eq(kbEntries.ref, content.ref)).get()) {
      throw conflict(`ref：编号为 ${content.ref} 的条目已存在`);
    }
    const [row] = tx
      .insert(kbEntries)
      .values({ ...content, status, version: 1, createdBy: actor.name, createdAt: at, updatedAt: at, publishedAt: status === 'published' ? at : null })
      .returning()
      .all();
    this.recordVersion(tx, row, actor, null);
    tx.insert(kbEntryEvents)
      .values({ entryId: row.id, at, actor: actor.name, actorRole: actor.role, action, fromStatus: null, toStatus: status, version: 1 })
      .run();
    this.index.put(row);
    return row;
  }

  private recordVersion(tx: Tx, e: Entry, actor: Actor, note: string | null): void {
    tx.insert(kbEntryVersions)
      .values({
        entryId: e.id,
        version: e.version,
        ...entryContent(e),
        editedBy: actor.name,
        editedByRole: actor.role,
        editedAt: e.updatedAt,
        note,
      })
      .run();
  }
}

/** What an author writes in an entry: kept in each version, and what an export carries. */
export function entryContent(e: Entry) {
  return {
    type: e.type,
    category: e.category,
    title: e.title,
    body: e.body,
    keywords: e.keywords,
    questions: e.questions,
    effectiveFrom: e.effectiveFrom,
    effectiveUntil: e.effectiveUntil,
    sourceDepartment: e.sourceDepartment,
  };
}

/** Entries a department may see besides published ones: its own. */
export function departmentScope(actor: Actor): SQL | undefined {
  if (actor.role !== 'department') return undefined;
  return actor.departmentId ? or(eq(kbEntries.status, 'published'), eq(kbEntries.sourceDepartment, actor.departmentId)) : eq(kbEntries.status, 'published');
}

/** An author's input checked, with the department fixed for department authors. */
function authorContent(input: EntryInput, actor: Actor): Content {
  if (!KB_AUTHORS.includes(actor.role)) throw forbidden(`撰写条目需要以下角色之一：${KB_AUTHORS.join('、')}`);
  const content = checkContent(contentOf(input));
  if (actor.role === 'department') {
    if (!actor.departmentId) throw forbidden('您的账号没有所属部门');
    if (content.sourceDepartment && content.sourceDepartment !== actor.departmentId) {
      throw forbidden('部门只能以本部门名义撰写条目');
    }
    content.sourceDepartment = actor.departmentId;
  }
  return content;
}

function contentOf(input: EntryInput): Content {
  return {
    ref: input.ref ?? null,
    type: input.type,
    category: input.category,
    title: input.title,
    body: input.body,
    keywords: input.keywords ?? [],
    questions: input.questions ?? [],
    effectiveFrom: input.effectiveFrom ?? null,
    effectiveUntil: input.effectiveUntil ?? null,
    sourceDepartment: input.sourceDepartment ?? null,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isRealDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** What the JSON schema cannot say: blank text, real calendar days, dates in order. */
function checkContent<T extends Content>(c: T): Content {
  const title = c.title.trim();
  const body = c.body.trim();
  if (!title) throw badRequest('title（标题）不能为空');
  if (!body) throw badRequest('body（正文）不能为空');
  for (const [name, day] of [['effectiveFrom', c.effectiveFrom], ['effectiveUntil', c.effectiveUntil]] as const) {
    if (day !== null && !isRealDay(day)) throw badRequest(`${name} 不是有效的日期（YYYY-MM-DD）：${day}`);
  }
  if (c.effectiveFrom && c.effectiveUntil && c.effectiveFrom > c.effectiveUntil) {
    throw badRequest(`effectiveFrom（${c.effectiveFrom}）晚于 effectiveUntil（${c.effectiveUntil}）`);
  }
  const keywords = [...new Set(c.keywords.map((k) => k.trim()).filter(Boolean))];
  const questions = [...new Set(c.questions.map((k) => k.trim()).filter(Boolean))];
  return {
    ref: c.ref?.trim() || null,
    type: c.type,
    category: c.category,
    title,
    body,
    keywords,
    questions,
    effectiveFrom: c.effectiveFrom,
    effectiveUntil: c.effectiveUntil,
    sourceDepartment: c.sourceDepartment?.trim() || null,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
