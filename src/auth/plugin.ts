import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../shared/actor.js';
import { forbidden, HttpError } from '../shared/errors.js';
import type { Role } from './services.js';
import { userIsActive } from './active-check.js';

interface TokenClaims {
  sub: number;
  username: string;
  role: Role;
  street: string | null;
  departmentId: string | null;
  seatId: string | null;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** no token needed (login, health, 12345's signed push, citizens' online answering) */
    public?: boolean;
  }
  interface FastifyInstance {
    signToken(actor: Actor): string;
    requireRole(...roles: Role[]): (req: FastifyRequest) => Promise<void>;
    /** The actor of a websocket's `?token=`, or null when it is missing, bad or expired. */
    socketActor(token: string | undefined): Actor | null;
  }
}

const actorOf = (claims: TokenClaims): Actor => ({
  name: claims.username,
  role: claims.role,
  userId: claims.sub,
  street: claims.street,
  departmentId: claims.departmentId,
  seatId: claims.seatId,
});

/**
 * Every /api and /ws request carries a bearer token (or `?token=` for websockets)
 * unless its route says `config: { public: true }`.
 */
export default fp(
  async (app, opts: { secret: string }) => {
    await app.register(jwt, { secret: opts.secret, sign: { expiresIn: '12h' } });

    app.decorateRequest('actor', null as unknown as Actor);
    app.decorate('signToken', (actor: Actor) =>
      app.jwt.sign({
        sub: actor.userId ?? 0,
        username: actor.name,
        role: actor.role as Role,
        street: actor.street ?? null,
        departmentId: actor.departmentId ?? null,
        seatId: actor.seatId ?? null,
      }),
    );
    app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest) => {
      if (!roles.includes(req.actor.role as Role)) throw forbidden(`needs one of: ${roles.join(', ')}`);
    });

    // #13: disabled users are refused at once (see active-check.ts)
    const isActive = userIsActive(app.services.db);

    app.decorate('socketActor', (token: string | undefined) => {
      if (!token) return null;
      try {
        const actor = actorOf(app.jwt.verify<TokenClaims>(token));
        return isActive(actor.userId) ? actor : null;
      } catch {
        return null;
      }
    });

    app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
      if (req.routeOptions.config?.public) return;
      const path = req.url.split('?')[0];
      if (!path.startsWith('/api') && !path.startsWith('/ws')) return;
      let claims: TokenClaims;
      try {
        const query = req.query as { token?: string } | undefined;
        if (!req.headers.authorization && query?.token) {
          claims = app.jwt.verify<TokenClaims>(query.token);
        } else {
          claims = await req.jwtVerify<TokenClaims>();
        }
      } catch {
        throw new HttpError(401, 'unauthorized', 'a valid bearer token is required');
      }
      req.actor = actorOf(claims);
      // #13: a disabled account's tokens stop working at once
      if (!isActive(req.actor.userId)) throw new HttpError(401, 'unauthorized', '账号已停用');
    });
  },
  { name: 'auth' },
);
