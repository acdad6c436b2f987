import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Text } from '../tickets/action-schemas.js';
import { ALERT_CODES } from './schema.js';
import { maskedAlert } from './services.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String({ description: `what it is about: ${ALERT_CODES.join(' | ')}` }),
  ticketId: Nullable(Type.Integer()),
  ticketNumber: Nullable(Type.String()),
  callId: Nullable(Type.String()),
  summary: Type.String({ description: 'for people (Chinese)' }),
  data: Nullable(Type.Object({}, { additionalProperties: true })),
  createdAt: Type.String({ format: 'date-time' }),
  pushCount: Type.Integer({ description: 'times pushed to the supervisors (1 when raised)' }),
  lastPushedAt: Type.String({ format: 'date-time' }),
  emailedAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledged: Type.Boolean(),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledgedBy: Nullable(Type.String()),
  ackNote: Nullable(Type.String()),
});

/** GET /api/alerts for supervisors (and the wallboard's admins); POST /api/alerts/:id/ack by a supervisor. */
const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { alerts } = app.services;

  app.get(
    '/api/alerts',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['alerts'],
        summary: 'Stored alerts, newest first (emergencies, drafts waiting for review, 12345 urgings, overdue steps)',
        querystring: Type.Object(
          {
            acknowledged: Type.Optional(Type.Boolean({ description: 'false: only those nobody acknowledged yet' })),
            ticketId: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AlertSchema), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const page = alerts.list(req.query);
      // a citizen's number typed into a title is for supervisors in clear only (DESIGN §6)
      return req.actor.role === 'supervisor' ? page : { ...page, items: page.items.map(maskedAlert) };
    },
  );

  app.post(
    '/api/alerts/:id/ack',
    {
      preHandler: app.requireRole('supervisor'),
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
      schema: {
        tags: ['alerts'],
        summary: 'A supervisor acknowledges an alert: it stops being pushed again',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ note: Type.Optional(Text(500)) }, { additionalProperties: false }),
        response: { 200: AlertSchema },
      },
    },
    async (req) => alerts.acknowledge(req.params.id, req.actor, req.body.note),
  );
};

export default alertRoutes;
