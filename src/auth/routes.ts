import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../shared/errors.js';
import { actorOf } from './services.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a username and password for a bearer token',
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
      const user = await app.services.users.authenticate(req.body.username, req.body.password);
      if (!user) throw new HttpError(401, 'bad_credentials', 'wrong username or password');
      const token = app.signToken(actorOf(user));
      return { token, user: { id: user.id, username: user.username, role: user.role, street: user.street, departmentId: user.departmentId, seatId: user.seatId } };
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'Who the token belongs to' } },
    async (req) => req.actor,
  );
};

export default routes;
