import type { FastifyPluginAsync } from 'fastify';
import type { HotlineEvents } from '../../shared/bus.js';

/** After this many failures an undelivered update is reported on /ready. */
const WARN_AFTER_ATTEMPTS = 5;

/**
 * Fills the 12345 outbox as 12345 tickets change, and runs the delivery loop for
 * the life of the app.
 */
const outboxLoop: FastifyPluginAsync = async (app) => {
  const { bus, config } = app.services;
  const { outbox, delivery } = app.services.intake;

  // the bus runs this right after the ticket is written; a failure here must not fail
  // the ticket change (already done) — catchUp() at the next start queues what was missed
  const onChange = ({ ticketId, source }: HotlineEvents['ticket.changed'][0]) => {
    // most changes are of phone tickets: no query for those
    if (source !== '12345') return;
    try {
      if (outbox.enqueueLatest(ticketId)) delivery.kick();
    } catch (err) {
      app.log.error({ err, ticketId }, '12345 outbox: could not queue an update');
    }
  };

  app.services.addReadinessWarning(() => {
    const { pending, struggling, lastError } = outbox.backlog(WARN_AFTER_ATTEMPTS);
    if (pending && !config.integration12345.url) return [`12345 outbox: ${pending} updates waiting, INTEGRATION_12345_URL is not set`];
    if (struggling) return [`12345 outbox: ${struggling} updates failed ${WARN_AFTER_ATTEMPTS}+ times (${lastError ?? 'no error recorded'})`];
    return [];
  });

  app.addHook('onReady', async () => {
    const missed = outbox.catchUp();
    if (missed) app.log.warn({ missed }, '12345 outbox: queued updates missed before a restart');
    bus.on('ticket.changed', onChange);
    delivery.start();
  });
  app.addHook('onClose', async () => {
    bus.off('ticket.changed', onChange);
    await delivery.stop();
  });
};

export default outboxLoop;
