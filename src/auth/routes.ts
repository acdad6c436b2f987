import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../shared/errors.js';
import { LoginThrottle } from './limits.js';
import { actorOf } from './services.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  // per account, whatever the address; the route's own limit is per address
  const throttle = new LoginThrottle(app.services.now);

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a username and password for a bearer token',
        description: 'Limited per client address (10 a minute) and per account: after 5 wrong passwords each further one locks the account for twice as long (1 s … 15 min); 429 with Retry-After meanwhile.',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            token: Type.String(),
            user: Type.Object({ id: Type.Integer(), username: Type.String(), role: Type.String(), street: Type.Union([Type.String(), Type.Null()]), departmentId: Type.Union([Type.String(), Type.Null()]), seatId: Type.Union([Type.String(), Type.Null()]) }),
          }),
        },
      },
    },
    async (req) => {
      const { username, password } = req.body;
      throttle.check(username);
      const user = await app.services.users.authenticate(username, password);
      if (!user) {
        throttle.failed(username);
        throw new HttpError(401, 'bad_credentials', '用户名或密码错误');
      }
      throttle.succeeded(username);
      const token = app.signToken(actorOf(user));
      return { token, user: { id: user.id, username: user.username, role: user.role, street: user.street, departmentId: user.departmentId, seatId: user.seatId } };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: "End the user's sessions: this token and every other one of the user stop at once, open sockets are closed",
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      if (req.actor.userId !== undefined) app.services.users.revokeSessions(req.actor.userId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'Who the token belongs to' } },
    async (req) => req.actor,
  );
};

export default routes;
