import fp from 'fastify-plugin';
import alertRoutes from './routes.js';
import { escalateAlerts } from './escalation.js';

/** Alerts' routes and the check that pushes and e-mails unacknowledged ones again (every ALERT_CHECK_MS; 0: off). */
export default fp(
  async (app) => {
    await app.register(alertRoutes);
    const s = app.services;
    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      if (!s.config.alerts.checkMs) return;
      timer = setInterval(() => {
        // read each time: set to 0 at run time, the check stops (tests drive it on their own clock)
        if (!s.config.alerts.checkMs) return;
        try {
          escalateAlerts(s);
        } catch (err) {
          app.log.error({ err }, 'alerts: escalation check failed; tried again at the next check');
        }
      }, s.config.alerts.checkMs);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });
  },
  { name: 'alerts' },
);
