import fp from 'fastify-plugin';
import { AriClient } from '../ari/index.js';
import { loadCallflow } from './callflow-config.js';
import { CallService } from './call-service.js';
import { FallbackCallImporter } from './cdr-import.js';
import { ListenIn } from './listen-in.js';
import { CallNotifier } from './notifier.js';
import { CallRepository } from './repository.js';
import { wireCallEvents } from './stasis.js';
import { SeatPhoneLine } from '../seats/phone-line.js';
import { AuditLog } from '../auth/audit.js';
import { AriRecordingStore } from '../recordings/store.js';

/**
 * Telephony: connects to Asterisk once the app is ready and keeps the call handling in
 * step with it. After every (re)connection calls are rebuilt from Asterisk, and calls
 * that reached the native fallback queue meanwhile are imported from the CDRs. Fills
 * the services container's call slots (`liveCalls`, `callControl`, `ari`, `listenIn`).
 */
export default fp(
  async (app) => {
    const s = app.services;
    const log = app.log.child({ part: 'calls' });
    // a bad IVR or queue file stops the start here, naming the bad node
    const callflow = loadCallflow({ ivr: process.env.IVR_CONFIG, queues: process.env.QUEUES_CONFIG });
    const ari = new AriClient({ ...s.config.ari, log, onRequest: (...a) => s.metrics.ariRequest(...a), onEvent: (type) => s.metrics.ariEvent(type) });
    const calls = new CallService({
      ari: ari.rest,
      tickets: s.tickets,
      seats: s.seats,
      repo: new CallRepository(s.db),
      notifier: new CallNotifier(s.bus, s.now),
      log,
      now: s.now,
      callflow,
      businessHours: s.config.businessHours,
      onDesk: (seatId) => s.deskPresence.onDesk(seatId),
    });
    const listenIn = new ListenIn(ari.rest, log, s.now);
    // the seat-state service number: the seats feature's logic, reached through this app's events
    const auditLog = new AuditLog(s.db);
    const seatLine = new SeatPhoneLine({ ari: ari.rest, seats: s.seats, audit: (...a) => s.users.audit(...a), countAudits: (...a) => auditLog.countSince(...a), log, now: s.now });
    s.ari = ari;
    s.callflow = callflow;
    s.liveCalls = calls.query;
    s.callControl = calls;
    s.listenIn = listenIn;
    // recordings are served and deleted by name through ARI (src/recordings/store.ts says why)
    s.recordingStore = new AriRecordingStore(ari.rest);
    // the seats feature only says a seat is ready; calls listen (seats never call up into calls)
    s.bus.on('seat.changed', (e) => {
      if (e.state === 'ready') calls.seatReady();
    });
    // nothing to listen to once the seat has left the call
    s.bus.on('call.changed', (e) => {
      if (e.to === 'ended' || e.from === 'connected') listenIn.callEnded(e.callId);
    });
    wireCallEvents(ari, calls, listenIn, seatLine);

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
      await calls.resync();
      await seatLine.resync().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not resume seat-state phone lines'));
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
      seatLine.shutdown();
      await ari.stop();
      calls.shutdown();
    });
  },
  { name: 'calls' },
);
