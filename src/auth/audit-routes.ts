import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { maskData } from '../shared/masking.js';
import { shanghaiInstant } from '../shared/time.js';
import { AuditLog } from './audit.js';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, a Shanghai day (inclusive)' });

/**
 * GET /api/audit: who read which caller's data in clear or looked up a number, when and
 * from where (list, detail, call pop, an action). For supervisors and inspectors; reading
 * it is itself audited. The inspector sees the looked-up numbers masked, like everywhere.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = new AuditLog(app.services.db);
  app.get(
    '/api/audit',
    {
      preHandler: app.requireRole('supervisor', 'inspector'),
      schema: {
        tags: ['audit'],
        summary: 'The audit of unmasked reads and caller-number look-ups, newest first',
        querystring: Type.Object(
          {
            userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 })),
            username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            ticketId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
            action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_]+$' })),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                at: Type.String({ format: 'date-time' }),
                userId: Type.Union([Type.Integer(), Type.Null()]),
                username: Type.Union([Type.String(), Type.Null()]),
                action: Type.String({ description: 'caller_unmasked | caller_search | caller_search_refused | audit_read' }),
                ticketId: Type.Union([Type.Integer(), Type.Null()]),
                detail: Type.Union([Type.String(), Type.Null()], { description: 'where it was read (list, detail, call pop, an action) or what was looked up' }),
              }),
            ),
            total: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const from = q.from ? shanghaiInstant(q.from) : undefined;
      const to = q.to ? shanghaiInstant(q.to) + 86_400_000 : undefined;
      const page = audit.list({ ...q, from, to, limit: q.limit ?? 100, offset: q.offset ?? 0 });
      app.services.users.audit(req.actor, 'audit_read', q.ticketId ?? null, JSON.stringify(q));
      const clear = req.actor.role === 'supervisor';
      return {
        items: page.items.map((r) => ({
          ...r,
          at: new Date(r.at).toISOString(),
          detail: clear || !r.detail ? r.detail : maskedDetail(r.detail),
        })),
        total: page.total,
      };
    },
  );
};

function maskedDetail(detail: string): string {
  try {
    return JSON.stringify(maskData(JSON.parse(detail)));
  } catch {
    return detail;
  }
}

export default routes;
