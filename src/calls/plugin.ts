import fp from 'fastify-plugin';
import { AriClient } from '../ari/index.js';
import { SeatService } from '../seats/services.js';
import { loadCallflow } from './callflow-config.js';
import { FallbackCallImporter } from './cdr-import.js';
import { ListenIn } from './listen-in.js';
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
    // a bad IVR or queue file stops the start here, naming the bad node
    const callflow = loadCallflow({ ivr: process.env.IVR_CONFIG, queues: process.env.QUEUES_CONFIG });
    const ari = new AriClient({ ...s.config.ari, log, onRequest: app.metrics.ariRequest });
    const callService = new CallService(s.db, s.tickets, s.seats, s.bus, ari.rest, log, { callflow, businessHours: s.config.businessHours }, s.now);
    s.ari = ari;
    s.callService = callService;
    s.callflow = callflow;
    const listenIn = new ListenIn(ari.rest, log, s.now);
    s.listenIn = listenIn;
    s.bus.on('call.changed', (e) => {
      if (e.phase === 'ended') listenIn.callEnded(e.callId);
    });
    wireCallEvents(ari, callService, listenIn);

    const importer = new FallbackCallImporter(s.config.cdrPath, s.tickets, s.calls);
    const importMissed = async () => {
      try {
        const opened = await importer.run();
        if (opened) log.info({ opened }, 'calls from the fallback queue became tickets');
      } catch (err) {
        log.error({ err: (err as Error).message }, 'could not import fallback calls from the CDRs');
      }
    };

    ari.onReady(async () => {
      await callService.resync();
      await importMissed();
    });
    // also poll: a fallback call's last CDR line can land just after we reconnected
    const poll = setInterval(() => void importMissed(), s.config.cdrPollMs);
    poll.unref();

    app.addHook('onReady', async () => {
      ari.start();
      await importMissed();
    });
    app.addHook('preClose', async () => {
      clearInterval(poll);
      listenIn.shutdown();
      await ari.stop();
      callService.shutdown();
    });
  },
  { name: 'calls' },
);
