import type { FastifyRequest } from 'fastify';
import type { Actor } from '../shared/actor.js';
import { HttpError } from '../shared/errors.js';

/**
 * Who reads a public knowledge-base route: a citizen (null) or, when a bearer token
 * comes along, that member of staff. A bad token is refused rather than taken for
 * a citizen, so staff notice.
 */
export async function readerOf(req: FastifyRequest): Promise<Actor | null> {
  if (req.actor) return req.actor;
  if (!req.headers.authorization) return null;
  try {
    await req.jwtVerify();
  } catch {
    throw new HttpError(401, 'unauthorized', 'the bearer token is not valid');
  }
  const c = req.user;
  return { name: c.username, role: c.role, userId: c.sub, street: c.street, departmentId: c.departmentId, seatId: c.seatId };
}
