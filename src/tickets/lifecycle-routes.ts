import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../shared/errors.js';
import { ACTION_BODIES, CreateTicketBody, EditTicketBody } from './action-schemas.js';
import { ACTIONS, allowedActions, type ActionInput } from './lifecycle.js';
import { TicketSchema } from './routes.js';
import type { Ticket } from './services.js';
import { canSee, seesCallerInClear, ticketView } from './views.js';
import { actOnTicket, createManualTicket, editTicket, type TicketText } from './workflow.js';

/**
 * Manual tickets, text corrections (PATCH) and every lifecycle action: POST /api/tickets/:id/actions/<action>,
 * one route per action so each has its own body schema. Refusals: 404 a ticket you
 * may not see, 403 an action not for your role, 409 one the ticket's state forbids.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  /** The ticket as this user may see it; reading a caller in clear is audited (DESIGN §6). */
  const viewFor = (req: FastifyRequest, t: Ticket, detail: string) => {
    const clear = seesCallerInClear(req.actor, t, s.calls.byTicket(t.id));
    if (clear && (t.callerNumber || t.callerName || t.callerEmail)) s.users.audit(req.actor, 'caller_unmasked', t.id, detail);
    return { ...ticketView(t, clear), allowedActions: allowedActions(t, req.actor) };
  };
  const TicketOut = Type.Intersect([TicketSchema, Type.Object({ allowedActions: Type.Array(Type.String()) })]);

  app.post(
    '/api/tickets',
    {
      preHandler: app.requireRole('operator', 'supervisor'),
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket by hand (source manual); its kind and category are classified at once if given',
        body: CreateTicketBody,
        response: { 201: TicketOut },
      },
    },
    async (req, reply) => {
      const t = createManualTicket(s, req.actor, req.body as Parameters<typeof createManualTicket>[2]);
      return reply.status(201).send(viewFor(req, t, 'create'));
    },
  );

  app.patch(
    '/api/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: "Correct a ticket's title, caller name, address or content (recorded as an `edit` event with the old text)",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: EditTicketBody,
        response: { 200: TicketOut },
      },
    },
    async (req) => viewFor(req, editTicket(s, req.params.id, req.actor, req.body as TicketText), 'edit'),
  );

  app.get(
    '/api/tickets/:id/actions',
    {
      schema: {
        tags: ['tickets'],
        summary: 'The lifecycle actions you may take on this ticket now',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ status: Type.String(), kind: Type.Union([Type.String(), Type.Null()]), actions: Type.Array(Type.String()) }) },
      },
    },
    async (req) => {
      const t = s.tickets.get(req.params.id);
      if (!t || !canSee(req.actor, t)) throw notFound('工单');
      return { status: t.status, kind: t.kind, actions: allowedActions(t, req.actor) };
    },
  );

  for (const action of ACTIONS) {
    app.post(
      `/api/tickets/:id/actions/${action}`,
      {
        // actions that need nothing may be posted without a body
        preValidation: async (req) => {
          if (req.body === undefined || req.body === null) req.body = {};
        },
        schema: {
          tags: ['ticket lifecycle'],
          summary: `Lifecycle action: ${action}`,
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          body: ACTION_BODIES[action],
          response: { 200: TicketOut },
        },
      },
      async (req) => {
        const t = actOnTicket(s, req.params.id, action, req.actor, req.body as ActionInput);
        return viewFor(req, t, action);
      },
    );
  }
};

export default routes;
