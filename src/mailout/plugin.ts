import fp from 'fastify-plugin';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../shared/errors.js';
import { maskEmail, scrubText } from '../shared/masking.js';
import { canSee, seesCallerInClear } from '../tickets/views.js';
import { mailView } from './services.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const MailSchema = Type.Object({
  id: Type.Integer(),
  purpose: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  messageId: Type.String(),
  inReplyTo: Nullable(Type.String()),
  status: Type.String({ description: 'queued | retrying | sent | failed' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  failedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;
  app.get(
    '/api/tickets/:id/mails',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Mail sent (or waiting to be sent) for a ticket: replies to its citizen, with status and the last error',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ items: Type.Array(MailSchema) }) },
      },
    },
    async (req) => {
      const t = s.tickets.get(req.params.id);
      if (!t || !canSee(req.actor, t)) throw notFound('工单');
      // the citizen's address, like the rest of their data, only for whoever works the ticket
      const clear = seesCallerInClear(req.actor, t, s.calls.byTicket(t.id));
      const items = s.mailOut.outbox.forTicket(t.id).filter((m) => m.purpose === 'reply').map(mailView);
      return { items: clear ? items : items.map((m) => ({ ...m, to: maskEmail(m.to) ?? '', lastError: scrubText(m.lastError) })) };
    },
  );
};

/** The outgoing mail loop (every MAIL_OUT_POLL_MS; 0: off) and the ticket's mail list. */
export default fp(
  async (app) => {
    await app.register(routes);
    const { mailOut } = app.services;
    app.addHook('onReady', async () => {
      if (mailOut.transportKind === 'log') app.log.info('mail out: SMTP_OUT_URL is not set; replies by e-mail are written to the log, not sent');
      mailOut.start();
    });
    app.addHook('onClose', async () => mailOut.stop());
  },
  { name: 'mail-out' },
);
