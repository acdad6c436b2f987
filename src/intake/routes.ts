import fp from 'fastify-plugin';
import mailListener from './mail/plugin.js';
import outboxLoop from './twelve345/outbox-plugin.js';
import orderRoutes from './twelve345/order-routes.js';
import attachmentRoutes from './mail/attachment-routes.js';

/** Intake's running parts: the SMTP listener, 12345's order routes and the outbox loop (the services live in `services.intake`). */
export default fp(
  async (app) => {
    await app.register(mailListener);
    await app.register(orderRoutes);
    await app.register(outboxLoop);
    await app.register(attachmentRoutes);
  },
  { name: 'intake' },
);
