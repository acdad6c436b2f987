import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// Placeholder: this feature's HTTP routes go here.
const routes: FastifyPluginAsyncTypebox = async () => {};

export default routes;
