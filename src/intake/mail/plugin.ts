import type { FastifyPluginAsync } from 'fastify';
import { SmtpListener } from './smtp-listener.js';

/** Opens the SMTP listener with the app and closes it with the app. */
const mailListener: FastifyPluginAsync = async (app) => {
  const { config } = app.services;
  if (!config.smtp.enabled) return;

  const listener = new SmtpListener(
    { ...config.smtp, connectionsPerClient: config.limits.smtpConnectionsPerClient },
    async (raw, envelopeFrom) => {
      const outcome = await app.services.intake.mail.receive(raw, envelopeFrom);
      app.log.info({ ...outcome }, 'smtp: mail taken in');
    },
    app.log,
  );
  app.services.intake.smtp = listener;

  app.addHook('onReady', async () => {
    try {
      await listener.start();
    } catch (err) {
      // production must not run without its mail channel; a dev box, or two test apps
      // at once on the default port, may (only one of them gets the port)
      if (config.env === 'production' || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      app.log.error({ err }, `smtp: port ${config.smtp.port} in use, e-mail intake is off`);
      app.services.intake.smtp = null;
    }
  });
  app.addHook('onClose', async () => listener.stop());
};

export default mailListener;
