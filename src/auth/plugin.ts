import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../shared/actor.js';
import { forbidden, HttpError } from '../shared/errors.js';
import { actorOf, type Role } from './services.js';
import { SocketSessions } from './sockets.js';

interface TokenClaims {
  sub: number;
  username: string;
  role: Role;
  street: string | null;
  departmentId: string | null;
  seatId: string | null;
  /** the user's tokenVersion when it was signed */
  ver: number;
  exp?: number;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

/** A role check that says which roles it lets through, so the route matrix can read it. */
type RoleCheck = ((req: FastifyRequest) => Promise<void>) & { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** no token needed (login, health, 12345's signed push, citizens' online answering, the pages) */
    public?: boolean;
    /** set from the route's requireRole: checked right after the token, before the body is even validated */
    roles?: readonly string[];
  }
  interface FastifyInstance {
    signToken(actor: Actor, opts?: { expiresIn?: string | number }): string;
    requireRole(...roles: Role[]): RoleCheck;
    /** The actor of a bearer token, or null when it is bad, expired or its user's sessions ended. */
    tokenActor(token: string | undefined): { actor: Actor; exp: number | null } | null;
    /** The actor of the request's Authorization header; null without one; 401 for a bad one. */
    headerActor(req: FastifyRequest): Actor | null;
    /** A websocket's session: closed on expiry, on revocation, and on a message once stale. */
    sockets: SocketSessions;
    /** `METHOD /url` → whether it is public and the roles its requireRole lets through (read by test/security) */
    routeTable: Map<string, { public: boolean; roles: readonly Role[] | null }>;
  }
}

/** Public by nature of what they serve: the pages' files and the OpenAPI pages. */
const PUBLIC_PREFIXES = ['/web/', '/docs'];

const unauthorized = () => new HttpError(401, 'unauthorized', '需要有效的登录令牌（Authorization: Bearer）');

/**
 * Authentication is decided on the route the router matched, never on the raw URL (a
 * percent-encoded `/%61pi/...` matches `/api/...` and is checked like it): every route
 * needs a valid bearer token in the Authorization header unless its config says
 * `public: true`. A token is good only while its user exists, is active and still has
 * the version the token was signed with. Websockets (public at the HTTP level, as a
 * refused upgrade would hold up shutdown) check their `?token=` with tokenActor.
 */
export default fp(
  async (app, opts: { secret: string; anonymousPerMinute: number }) => {
    await app.register(jwt, { secret: opts.secret, sign: { expiresIn: '12h' } });
    const users = app.services.users;
    const routeTable = new Map<string, { public: boolean; roles: readonly Role[] | null }>();
    app.decorate('routeTable', routeTable);

    // before @fastify/rate-limit's own onRoute hook, so the limits set here are seen
    app.addHook('onRoute', (route: RouteOptions) => {
      const url = route.url ?? '';
      if (PUBLIC_PREFIXES.some((p) => url.startsWith(p)) || url === '/') route.config = { ...route.config, public: true };
      const config = route.config as { public?: boolean; rateLimit?: unknown; roles?: readonly string[] } | undefined;
      // every anonymous route is limited per client address
      // (the pages' files ten times that: a page is several files, and a room of seats may share an address)
      if (config?.public && config.rateLimit === undefined) config.rateLimit = { max: opts.anonymousPerMinute * (url.startsWith('/web/') || url.startsWith('/docs') ? 10 : 1), timeWindow: '1 minute' };
      const checks = [route.preHandler, route.preValidation].flat().filter(Boolean) as Array<Partial<RoleCheck>>;
      const roles = checks.find((c) => Array.isArray(c.roles))?.roles;
      if (roles) route.config = { ...route.config, roles };
      for (const m of [route.method].flat()) routeTable.set(`${m} ${url}`, { public: !!config?.public, roles: roles ?? null });
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: 'too_many_requests', message: `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试` }),
    });

    app.decorateRequest('actor', null as unknown as Actor);
    app.decorate('signToken', (actor: Actor, signOpts: { expiresIn?: string | number } = {}) => {
      const user = actor.userId !== undefined ? users.get(actor.userId) : undefined;
      return app.jwt.sign(
        {
          sub: actor.userId ?? 0,
          username: actor.name,
          role: actor.role as Role,
          street: actor.street ?? null,
          departmentId: actor.departmentId ?? null,
          seatId: actor.seatId ?? null,
          ver: user?.tokenVersion ?? -1,
        },
        signOpts.expiresIn !== undefined ? { expiresIn: signOpts.expiresIn } : {},
      );
    });
    app.decorate('requireRole', (...roles: Role[]) => {
      const check = async (req: FastifyRequest) => {
        if (!roles.includes(req.actor.role as Role)) throw forbidden(`需要以下角色之一：${roles.join(', ')}`);
      };
      return Object.assign(check, { roles });
    });

    const tokenActor = (token: string | undefined) => {
      if (!token) return null;
      let claims: TokenClaims;
      try {
        claims = app.jwt.verify<TokenClaims>(token);
      } catch {
        return null;
      }
      const user = typeof claims.sub === 'number' ? users.get(claims.sub) : undefined;
      // deleted, disabled, re-roled or logged out since the token was signed
      if (!user || !user.active || user.tokenVersion !== claims.ver || user.role !== claims.role || user.username !== claims.username) return null;
      return { actor: actorOf(user), exp: typeof claims.exp === 'number' ? claims.exp * 1000 : null };
    };
    app.decorate('tokenActor', tokenActor);

    app.decorate('headerActor', (req: FastifyRequest) => {
      const header = req.headers.authorization;
      if (header === undefined) return null;
      const m = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim());
      const found = m ? tokenActor(m[1]) : null;
      if (!found) throw unauthorized();
      return found.actor;
    });

    app.decorate('sockets', new SocketSessions(app.services.bus, (token) => tokenActor(token)));
    app.addHook('preClose', async () => app.sockets.closeAll());

    app.addHook('onRequest', async (req: FastifyRequest) => {
      // no route matched: the 404 handler answers, with nothing to protect
      if (req.is404) return;
      if (req.routeOptions.config?.public) return;
      const actor = app.headerActor(req);
      if (!actor) throw unauthorized();
      req.actor = actor;
      // deny by role before anything else about the request is looked at
      const roles = req.routeOptions.config?.roles;
      if (roles && !roles.includes(actor.role)) throw forbidden(`需要以下角色之一：${roles.join(', ')}`);
    });
  },
  { name: 'auth', dependencies: ['errors'] },
);
