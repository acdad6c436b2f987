import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** /health: the process answers. /ready: it can take calls (ARI connected). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { public: true }, schema: { tags: ['ops'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        response: {
          200: Type.Object({ ari: Type.String(), db: Type.String(), warnings: Type.Array(Type.String()) }, { additionalProperties: true }),
          503: Type.Object({ ari: Type.String(), db: Type.String(), warnings: Type.Array(Type.String()) }, { additionalProperties: true }),
        },
      },
    },
    async (_req, reply) => {
      const ari = app.services.ari?.connected ? 'connected' : 'disconnected';
      let db = 'ok';
      try {
        app.services.db.$client.prepare('select 1').get();
      } catch {
        db = 'error';
      }
      const warnings = app.services.readinessWarnings();
      const body = { ari, db, warnings };
      return reply.status(ari === 'connected' && db === 'ok' ? 200 : 503).send(body);
    },
  );
};

export default routes;
