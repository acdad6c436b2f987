import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { conflict, notFound } from '../shared/errors.js';
import { iso, shanghaiInstant } from '../shared/time.js';
import { canSee } from '../tickets/views.js';
import { Day, IdParams, KbCategorySchema, KbStatusSchema, KbTypeSchema, TicketLinkSchema } from './http-schemas.js';
import type { TicketLink } from './links.js';

const tags = ['knowledge base'];
const view = (l: TicketLink) => ({ ticketId: l.ticketId, entryId: l.entryId, linkedBy: l.linkedBy, linkedAt: iso(l.linkedAt)! });

/** Tickets ↔ the entries used to answer them, and which entries answer most. */
const linkRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
  const { tickets } = app.services;

  app.post(
    '/api/tickets/:id/kb-links',
    {
      preHandler: app.requireRole('operator', 'supervisor'),
      schema: {
        tags,
        summary: 'Record the published entries used to answer a ticket (operators, supervisors)',
        params: IdParams,
        body: Type.Object({ entryIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(TicketLinkSchema) }) },
      },
    },
    async (req) => {
      const ticket = tickets.get(req.params.id);
      if (!ticket || !canSee(req.actor, ticket)) throw notFound('工单');
      const { found, missing } = kb.entries.existing(req.body.entryIds);
      if (missing.length) throw notFound(`知识库条目 ${missing.join('、')}`);
      const unpublished = found.filter((e) => e.status !== 'published').map((e) => e.id);
      if (unpublished.length) throw conflict(`只有已发布的条目可以关联工单；未发布：${unpublished.join('、')}`);
      const items = kb.links.link(ticket.id, req.body.entryIds, req.actor).map(view);
      // the learning loop: how the citizen asked becomes a proposed phrasing of each entry
      const asked = ticket.source === 'online' || ticket.source === 'email' ? ticket.content : ticket.title;
      for (const entryId of new Set(req.body.entryIds)) kb.phrasings.propose(entryId, asked ?? '', { ticketId: ticket.id }, req.actor);
      return { items };
    },
  );

  app.get(
    '/api/tickets/:id/kb-links',
    { schema: { tags, summary: 'Entries used to answer a ticket', params: IdParams, response: { 200: Type.Object({ items: Type.Array(TicketLinkSchema) }) } } },
    async (req) => {
      const ticket = tickets.get(req.params.id);
      if (!ticket || !canSee(req.actor, ticket)) throw notFound('工单');
      return { items: kb.links.forTicket(ticket.id).map(view) };
    },
  );

  app.get(
    '/api/tickets/:id/kb-suggestions',
    {
      preHandler: app.requireRole('operator', 'street_seat', 'supervisor', 'admin'),
      schema: {
        tags,
        summary: "Entries that may answer a ticket, by the same matching as online answering",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), type: KbTypeSchema, category: KbCategorySchema, confidence: Type.Number() })) }) },
      },
    },
    async (req) => {
      const ticket = tickets.get(req.params.id);
      if (!ticket || !canSee(req.actor, ticket)) throw notFound('工单');
      const items = kb.suggestForTicket(`${ticket.title ?? ''}。${ticket.content ?? ''}`).map((s) => ({ id: s.entry.id, title: s.entry.title, type: s.entry.type, category: s.entry.category, confidence: s.confidence }));
      return { items };
    },
  );

  app.get(
    '/api/kb/stats/top-entries',
    {
      preHandler: app.requireRole('operator', 'supervisor', 'admin', 'inspector'),
      schema: {
        tags,
        summary: 'Entries by the number of tickets they answered',
        querystring: Type.Object(
          { from: Type.Optional(Day), to: Type.Optional(Day), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ entryId: Type.Integer(), title: Type.String(), type: KbTypeSchema, category: KbCategorySchema, status: KbStatusSchema, tickets: Type.Integer() })),
          }),
        },
      },
    },
    async (req) => {
      const { from, to, limit = 20 } = req.query;
      // whole Shanghai days: from its start, to its end
      const items = kb.links.topEntries({ limit, from: from ? shanghaiInstant(from) : undefined, to: to ? shanghaiInstant(to) + 86_400_000 : undefined });
      return { items };
    },
  );
};

export default linkRoutes;
