import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import entryRoutes from './entry-routes.js';
import searchRoutes from './search-routes.js';
import synonymRoutes from './synonym-routes.js';
import transferRoutes from './transfer-routes.js';
import linkRoutes from './link-routes.js';
import learningRoutes from './learning-routes.js';

/** The knowledge base's HTTP API: its route groups share `app.services.kb`. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(entryRoutes);
  await app.register(searchRoutes);
  await app.register(synonymRoutes);
  await app.register(transferRoutes);
  await app.register(linkRoutes);
  await app.register(learningRoutes);
};

export default routes;
