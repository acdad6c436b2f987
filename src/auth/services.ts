import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import type { HotlineBus } from '../shared/bus.js';
import { auditLog, users } from './schema.js';
import { hashPassword, verifyPassword } from './password.js';

export type User = typeof users.$inferSelect;
export type Role = Exclude<Actor['role'], 'system'>;
export const ROLES: readonly Role[] = ['operator', 'street_seat', 'department', 'supervisor', 'inspector', 'admin', 'integration', 'quality'];

// verified against when the username is unknown, so timing doesn't reveal which names exist
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class UserService {
  constructor(
    private readonly db: Db,
    private readonly bus?: HotlineBus,
  ) {}

  // read on every authenticated request and socket message: prepared once
  private byIdStatement?: ReturnType<UserService['prepareById']>;
  private prepareById() {
    return this.db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
  }

  async create(input: { username: string; password: string; role: Role; displayName?: string; street?: string | null; departmentId?: string | null; seatId?: string | null }): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    return this.db
      .insert(users)
      .values({
        username: input.username,
        passwordHash,
        role: input.role,
        displayName: input.displayName ?? input.username,
        street: input.street ?? null,
        departmentId: input.departmentId ?? null,
        seatId: input.seatId ?? null,
        createdAt: Date.now(),
      })
      .onConflictDoUpdate({
        target: users.username,
        // re-creating a user (a re-seed) may change what it may do: its old tokens end
        set: { passwordHash, role: input.role, street: input.street ?? null, departmentId: input.departmentId ?? null, seatId: input.seatId ?? null, active: true, tokenVersion: sql`${users.tokenVersion} + 1` },
      })
      .returning()
      .get();
  }

  get(id: number): User | undefined {
    return (this.byIdStatement ??= this.prepareById()).get({ id });
  }

  /**
   * Ends every session of the user at once: tokens carry the version they were signed
   * with, and each request and socket message compares it with this one. Call it on
   * disabling, deleting, re-roling (or re-scoping) a user and on logout; open sockets
   * of the user are closed too (the `sessions.revoked` event).
   */
  revokeSessions(userId: number): void {
    this.db.update(users).set({ tokenVersion: sql`${users.tokenVersion} + 1` }).where(eq(users.id, userId)).run();
    this.bus?.emit('sessions.revoked', { userId });
  }

  /** Disables or re-enables a user; disabling ends its sessions. */
  setActive(userId: number, active: boolean): User | undefined {
    const row = this.db.update(users).set({ active, tokenVersion: sql`${users.tokenVersion} + 1` }).where(eq(users.id, userId)).returning().get();
    if (row) this.bus?.emit('sessions.revoked', { userId });
    return row;
  }

  /** Changes what a user may do and see; its sessions end (the next login carries the new role). */
  changeRole(userId: number, change: { role?: Role; street?: string | null; departmentId?: string | null; seatId?: string | null }): User | undefined {
    const row = this.db.update(users).set({ ...change, tokenVersion: sql`${users.tokenVersion} + 1` }).where(eq(users.id, userId)).returning().get();
    if (row) this.bus?.emit('sessions.revoked', { userId });
    return row;
  }

  /** Deletes a user; a token of a user that no longer exists is refused. */
  remove(userId: number): boolean {
    const gone = this.db.delete(users).where(eq(users.id, userId)).returning({ id: users.id }).all().length > 0;
    if (gone) this.bus?.emit('sessions.revoked', { userId });
    return gone;
  }

  async authenticate(username: string, password: string): Promise<User | null> {
    const user = this.db.select().from(users).where(eq(users.username, username)).get();
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user && user.active ? user : null;
  }

  // one per seat-state change and ticket step: prepared once, not rebuilt by drizzle each time
  private auditStatement?: ReturnType<UserService['prepareAudit']>;
  private prepareAudit() {
    const p = (name: string) => sql.placeholder(name);
    return this.db.insert(auditLog).values({ at: p('at'), userId: p('userId'), username: p('username'), action: p('action'), ticketId: p('ticketId'), detail: p('detail') }).prepare();
  }

  audit(actor: Actor, action: string, ticketId: number | null, detail?: string): void {
    this.auditStatement ??= this.prepareAudit();
    this.auditStatement.run({ at: Date.now(), userId: actor.userId ?? null, username: actor.name, action, ticketId, detail: detail ?? null });
  }
}

export function actorOf(user: User): Actor {
  return {
    name: user.username,
    role: user.role as Role,
    userId: user.id,
    street: user.street,
    departmentId: user.departmentId,
    seatId: user.seatId,
  };
}
