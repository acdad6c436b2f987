// The admin's side of user accounts (第四条: every unit's people): list, create, change
// role/unit/seat, disable, reset the password. Log-in and tokens stay in src/auth.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { hashPassword } from '../auth/password.js';
import { users } from '../auth/schema.js';
import type { Role } from '../auth/services.js';
import { conflict, notFound } from '../shared/errors.js';

export type UserRow = typeof users.$inferSelect;

export interface UserFields {
  displayName?: string | null;
  role?: Role;
  departmentId?: string | null;
  street?: string | null;
  seatId?: string | null;
  active?: boolean;
}

export class UserAdmin {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    /** ends a user's sessions at once (UserService.revokeSessions): tokens and open sockets */
    private readonly revokeSessions: (userId: number) => void = () => undefined,
  ) {}

  list(f: { role?: string; active?: boolean } = {}): UserRow[] {
    return this.db
      .select()
      .from(users)
      .orderBy(asc(users.id))
      .all()
      .filter((u) => (f.role === undefined || u.role === f.role) && (f.active === undefined || u.active === f.active));
  }

  get(id: number): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  async create(input: UserFields & { username: string; password: string; role: Role }): Promise<UserRow> {
    if (this.db.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get()) throw conflict(`username: 用户名 ${input.username} 已存在`);
    const passwordHash = await hashPassword(input.password);
    return this.db
      .insert(users)
      .values({
        username: input.username,
        passwordHash,
        role: input.role,
        displayName: input.displayName ?? input.username,
        departmentId: input.departmentId ?? null,
        street: input.street ?? null,
        seatId: input.seatId ?? null,
        active: input.active ?? true,
        createdAt: this.now(),
      })
      .returning()
      .get();
  }

  async update(id: number, changes: UserFields & { password?: string }): Promise<UserRow> {
    const before = this.get(id);
    if (!before) throw notFound('用户');
    const { password, ...fields } = changes;
    const set: Partial<UserRow> = { ...fields };
    if (password !== undefined) set.passwordHash = await hashPassword(password);
    if (!Object.keys(set).length) return before;
    const row = this.db.update(users).set(set).where(eq(users.id, id)).returning().get();
    // what a token says (role, unit, seat) or allows no longer holds: its sessions end now
    const access = (['role', 'departmentId', 'street', 'seatId'] as const).some((f) => f in fields && fields[f] !== before[f]);
    if (access || (fields.active === false && before.active) || password !== undefined) this.revokeSessions(id);
    return this.get(id) ?? row;
  }
}
