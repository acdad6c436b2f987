import fp from 'fastify-plugin';
import { AriClient } from '../ari/index.js';
import { importFallbackCalls } from './cdr-import.js';
import { CallService } from './services.js';
import { wireCallEvents } from './stasis.js';

/**
 * Connects to Asterisk once the app is ready and keeps the call handling in step with
 * it: after every (re)connection, calls are resynchronised and calls that reached
 * the native fallback queue meanwhile are imported from the CDRs.
 */
export default fp(
  async (app) => {
    const s = app.services;
    const log = app.log.child({ part: 'calls' });
    const ari = new AriClient({ ...s.config.ari, log });
    const callService = new CallService(s.db, s.tickets, s.bus, ari.rest, log, s.now);
    s.ari = ari;
    s.callService = callService;
    wireCallEvents(ari, callService);

    ari.onReady(async () => {
      await callService.resync();
      const imported = await importFallbackCalls(s.config.cdrPath, s.tickets, s.calls);
      if (imported) log.info({ imported }, 'calls from the fallback queue became tickets');
    });

    app.addHook('onReady', async () => ari.start());
    app.addHook('preClose', async () => {
      await ari.stop();
      callService.shutdown();
    });
  },
  { name: 'calls' },
);
