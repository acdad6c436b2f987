import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { departments, streets, type DepartmentKind } from './schema.js';

export type Department = typeof departments.$inferSelect;
export type Street = typeof streets.$inferSelect;
export type NewDepartment = Pick<Department, 'id' | 'name' | 'kind'> & { district?: string | null; active?: boolean };
export type NewStreet = Pick<Street, 'id' | 'name' | 'kind' | 'district'> & { active?: boolean };

const DEPARTMENT_KIND_TEXT: Record<DepartmentKind, string> = {
  bureau_division: '市局处室',
  district_bureau: '区县民政局',
  bureau_office: '市局办公室',
  outside: '外部协同单位',
};
export const departmentKindText = (k: string) => DEPARTMENT_KIND_TEXT[k as DepartmentKind] ?? k;

/** Departments and streets/towns: the only units a ticket may be routed to. All SQL of the registry is here. */
export class RegistryService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  listDepartments(f: { kind?: string; active?: boolean } = {}): Department[] {
    return this.db
      .select()
      .from(departments)
      .orderBy(asc(departments.kind), asc(departments.id))
      .all()
      .filter((d) => (f.kind === undefined || d.kind === f.kind) && (f.active === undefined || d.active === f.active));
  }

  department(id: string): Department | undefined {
    return this.db.select().from(departments).where(eq(departments.id, id)).get();
  }

  createDepartment(d: NewDepartment): Department {
    if (this.department(d.id)) throw conflict(`部门编号 ${d.id} 已存在`);
    const at = this.now();
    return this.db.insert(departments).values({ ...d, district: d.district ?? null, active: d.active ?? true, createdAt: at, updatedAt: at }).returning().get();
  }

  updateDepartment(id: string, changes: Partial<Omit<NewDepartment, 'id'>>): Department {
    if (!this.department(id)) throw notFound('部门');
    return this.db.update(departments).set({ ...changes, updatedAt: this.now() }).where(eq(departments.id, id)).returning().get();
  }

  /** Seeds and imports: insert or bring up to date. */
  upsertDepartment(d: NewDepartment): void {
    const at = this.now();
    const row = { ...d, district: d.district ?? null, active: d.active ?? true };
    this.db.insert(departments).values({ ...row, createdAt: at, updatedAt: at }).onConflictDoUpdate({ target: departments.id, set: { ...row, updatedAt: at } }).run();
  }

  listStreets(f: { district?: string; active?: boolean } = {}): Street[] {
    return this.db
      .select()
      .from(streets)
      .orderBy(asc(streets.district), asc(streets.id))
      .all()
      .filter((s) => (f.district === undefined || s.district === f.district) && (f.active === undefined || s.active === f.active));
  }

  street(id: string): Street | undefined {
    return this.db.select().from(streets).where(eq(streets.id, id)).get();
  }

  createStreet(s: NewStreet): Street {
    if (this.street(s.id)) throw conflict(`街镇编号 ${s.id} 已存在`);
    const at = this.now();
    return this.db.insert(streets).values({ ...s, active: s.active ?? true, createdAt: at, updatedAt: at }).returning().get();
  }

  updateStreet(id: string, changes: Partial<Omit<NewStreet, 'id'>>): Street {
    if (!this.street(id)) throw notFound('街镇');
    return this.db.update(streets).set({ ...changes, updatedAt: this.now() }).where(eq(streets.id, id)).returning().get();
  }

  upsertStreet(s: NewStreet): void {
    const at = this.now();
    const row = { ...s, active: s.active ?? true };
    this.db.insert(streets).values({ ...row, createdAt: at, updatedAt: at }).onConflictDoUpdate({ target: streets.id, set: { ...row, updatedAt: at } }).run();
  }

  /** An active department by id, or a 400 naming the field and the id. */
  activeDepartment(id: string, field = 'departmentId'): Department {
    const d = this.department(id);
    if (!d) throw badRequest(`${field}: 没有编号为 ${id} 的部门`);
    if (!d.active) throw badRequest(`${field}: 部门 ${d.name}（${id}）已停用`);
    return d;
  }

  /** An active street/town by id, or a 400 naming the field and the id. */
  activeStreet(id: string, field = 'street'): Street {
    const s = this.street(id);
    if (!s) throw badRequest(`${field}: 没有编号为 ${id} 的街镇`);
    if (!s.active) throw badRequest(`${field}: 街镇 ${s.name}（${id}）已停用`);
    return s;
  }

  /** The bureau office (市局办公室) that coordinates across departments, if one is registered and active. */
  bureauOffice(): Department | undefined {
    return this.listDepartments({ kind: 'bureau_office', active: true })[0];
  }

  /** A unit's name for messages and pages: the department's or the street's, else the id. */
  unitName(kind: 'department' | 'street', id: string | null): string | null {
    if (!id) return null;
    return (kind === 'department' ? this.department(id)?.name : this.street(id)?.name) ?? id;
  }
}
