import type { FastifyRequest } from 'fastify';
import type { Actor } from '../shared/actor.js';

/**
 * Who reads a public knowledge-base route: a citizen (null) or, when a bearer token
 * comes along, that member of staff. A bad token is refused rather than taken for
 * a citizen, so staff notice.
 */
export async function readerOf(req: FastifyRequest): Promise<Actor | null> {
  if (req.actor) return req.actor;
  // headerActor refuses a bad, expired or revoked token with 401
  return req.server.headerActor(req);
}
