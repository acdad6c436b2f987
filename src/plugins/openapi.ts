import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI from the routes' JSON schemas, browsable at /docs when DOCS_ENABLED. */
export default fp(
  async (app, opts: { ui?: boolean }) => {
    await app.register(swagger, {
      openapi: {
        info: { title: '962200 hotline server', version: '0.1.0', description: "Shanghai 962200 community-service hotline: calls, tickets, seats, statistics." },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
    });
    // DOCS_ENABLED (default: on except in production); the document itself is app.swagger()
    if (opts.ui !== false) await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  },
  { name: 'openapi' },
);
