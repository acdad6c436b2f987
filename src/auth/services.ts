import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { auditLog, users } from './schema.js';
import { hashPassword, verifyPassword } from './password.js';

export type User = typeof users.$inferSelect;
export type Role = Exclude<Actor['role'], 'system'>;
export const ROLES: readonly Role[] = ['operator', 'street_seat', 'department', 'supervisor', 'inspector', 'admin', 'integration'];

// verified against when the username is unknown, so timing doesn't reveal which names exist
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class UserService {
  constructor(private readonly db: Db) {}

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
        set: { passwordHash, role: input.role, street: input.street ?? null, departmentId: input.departmentId ?? null, seatId: input.seatId ?? null, active: true },
      })
      .returning()
      .get();
  }

  get(id: number): User | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  async authenticate(username: string, password: string): Promise<User | null> {
    const user = this.db.select().from(users).where(eq(users.username, username)).get();
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user && user.active ? user : null;
  }

  audit(actor: Actor, action: string, ticketId: number | null, detail?: string): void {
    this.db.insert(auditLog).values({ at: Date.now(), userId: actor.userId ?? null, username: actor.name, action, ticketId, detail: detail ?? null }).run();
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
