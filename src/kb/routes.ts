import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KnowledgeBase } from './services.js';
import entryRoutes from './entry-routes.js';
import searchRoutes from './search-routes.js';
import synonymRoutes from './synonym-routes.js';
import transferRoutes from './transfer-routes.js';
import linkRoutes from './link-routes.js';
import learningRoutes from './learning-routes.js';

/** The knowledge base's HTTP API: one KnowledgeBase shared by its route groups. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const kb = new KnowledgeBase(app.services.db, app.services.tickets, app.services.now);
  await app.register(entryRoutes, { kb });
  await app.register(searchRoutes, { kb });
  await app.register(synonymRoutes, { kb });
  await app.register(transferRoutes, { kb });
  await app.register(linkRoutes, { kb });
  await app.register(learningRoutes, { kb });
};

export default routes;
