import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/index.js';
import type { Actor } from '../../src/shared/actor.js';

type Wanted = Partial<Actor> & { role: Actor['role'] };

/**
 * The user row behind a test's token (tokens are good only for a user that exists,
 * is active and has the token's version). A user of that name keeps its id and takes
 * the actor's role and scope; otherwise the row is made, with the actor's id when that
 * id is free. The actor returned is the row's.
 */
export function ensureUser(db: Db, wanted: Wanted & { name: string }): Actor {
  const c = db.$client;
  const byName = c.prepare('SELECT id FROM users WHERE username = ?').get(wanted.name) as { id: number } | undefined;
  const fields = { role: wanted.role, street: wanted.street ?? null, department_id: wanted.departmentId ?? null, seat_id: wanted.seatId ?? null };
  let id: number;
  if (byName) {
    id = byName.id;
    // re-scoping keeps the version: a test changing a user's scope this way is setting it up
    c.prepare('UPDATE users SET role = @role, street = @street, department_id = @department_id, seat_id = @seat_id, active = 1 WHERE id = @id').run({ ...fields, id });
  } else {
    const idFree = wanted.userId !== undefined && !c.prepare('SELECT 1 FROM users WHERE id = ?').get(wanted.userId);
    const row = c
      .prepare(`INSERT INTO users (${idFree ? 'id, ' : ''}username, display_name, password_hash, role, street, department_id, seat_id, active, created_at)
                VALUES (${idFree ? '@id, ' : ''}@name, @name, 'test-only: no password', @role, @street, @department_id, @seat_id, 1, @at) RETURNING id`)
      .get({ ...fields, id: wanted.userId, name: wanted.name, at: Date.now() }) as { id: number };
    id = row.id;
  }
  return { name: wanted.name, role: wanted.role, userId: id, street: fields.street, departmentId: fields.department_id, seatId: fields.seat_id };
}

/** A bearer token for the actor, its user row made first. */
export function signFor(app: FastifyInstance, wanted: Wanted & { name: string }, opts?: { expiresIn?: string | number }): string {
  return app.signToken(ensureUser(app.services.db, wanted), opts);
}
