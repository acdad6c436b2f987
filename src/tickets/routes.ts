import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError, badRequest, notFound } from '../shared/errors.js';
import { shanghaiInstant } from '../shared/time.js';
import { auditLog } from '../auth/schema.js';
import type { Actor } from '../shared/actor.js';
import { SEARCH_TOTAL_CAP, TOTAL_CAP } from './services.js';
import { MAX_QUERY_PIECES, matchExpression, queryPieces } from './search-terms.js';
import { callView, canSee, eventView, searchesInClear, seesCallerInClear, ticketScope, ticketView } from './views.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TicketSchema = Type.Object(
  {
    id: Type.Integer(),
    number: Type.String({ description: '962200-YYYYMMDD-NNNNNN' }),
    source: Type.String(),
    kind: Nullable(Type.String()),
    status: Type.String(),
    category: Nullable(Type.String()),
    subcategory: Nullable(Type.String()),
    callerNumber: Nullable(Type.String()),
    callerName: Nullable(Type.String()),
    callerMasked: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);

const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?)?$', description: 'YYYY-MM-DD (a Shanghai day) or an ISO date-time' });

/** YYYY-MM-DD is a whole Shanghai day: `from` its start, `to` its end. */
function parseBound(value: string | undefined, end: boolean): number | undefined {
  if (!value) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? shanghaiInstant(value) + (end ? 86_400_000 : 0) : Date.parse(value);
  if (!Number.isFinite(t)) throw badRequest(`不是有效的日期：${value}`);
  return t;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { tickets, users, calls, db } = app.services;

  /**
   * The list's caller_unmasked audit rows, one per ticket as UserService.audit writes
   * them, in one INSERT: a supervisor's page is 50 rows, and 50 single inserts were
   * most of the page's cost (~5 ms). (A batch form of UserService.audit would do.)
   */
  const auditPage = (actor: Actor, ticketIds: number[]) => {
    if (!ticketIds.length) return;
    const at = Date.now();
    db.insert(auditLog)
      .values(ticketIds.map((ticketId) => ({ at, userId: actor.userId ?? null, username: actor.name, action: 'caller_unmasked', ticketId, detail: 'list' })))
      .run();
  };

  app.get(
    '/api/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Tickets, newest first, that the caller of the API may see',
        querystring: Type.Object(
          {
            number: Type.Optional(Type.String({ pattern: '^962200-\\d{8}-\\d{6}$', description: 'the ticket number 962200-YYYYMMDD-NNNNNN, exactly' })),
            callerNumber: Type.Optional(Type.String({ maxLength: 32 })),
            kind: Type.Optional(Type.Union(['immediate', 'routed', 'supervised', 'emergency', 'collaborative'].map((k) => Type.Literal(k)))),
            status: Type.Optional(Type.String({ maxLength: 32 })),
            source: Type.Optional(Type.Union(['phone', 'email', 'online', '12345', 'manual'].map((k) => Type.Literal(k)))),
            category: Type.Optional(Type.String({ maxLength: 64 })),
            overdue: Type.Optional(Type.Boolean({ description: 'past a lifecycle deadline' })),
            needsCallback: Type.Optional(Type.Boolean({ description: 'waiting for a callback (abandoned call, spot-check draw)' })),
            parentTicketId: Type.Optional(Type.Integer({ minimum: 1, description: 'supervisions of this ticket' })),
            from: Type.Optional(DateParam),
            to: Type.Optional(DateParam),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'words in the title, content, address or replies; Chinese words of two characters or more match as written, every word must be there. Matched against what the viewer may read (masked text unless they see every ticket they list in clear). With it the list is newest first by ticket id' })),
            open: Type.Optional(Type.Boolean({ description: 'true: unfinished tickets (not closed or returned), with `counts`; false: finished ones' })),
            mine: Type.Optional(Type.Boolean({ description: "true: the tickets the viewer works (assigned to them or their seat): the desk's 我的工单" })),
            sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('deadline')], { description: 'newest (default), or deadline: overdue first, then the nearest deadline (dueAt; none last), then the oldest. deadline is for unfinished tickets (open=true)' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(TicketSchema),
            total: Type.Integer({ description: `tickets that match, counted up to ${TOTAL_CAP} (${SEARCH_TOTAL_CAP} with q); when more match it is a lower bound (${TOTAL_CAP}, or offset + items past that) and the response has the header X-Total-Capped: true` }),
            counts: Type.Optional(
              Type.Object(
                {
                  byStatus: Type.Record(Type.String(), Type.Integer()),
                  overdue: Type.Integer(),
                  total: Type.Integer(),
                },
                { description: 'with open=true: the unfinished tickets of the same filter, whatever their status, per status, and how many are overdue (not capped)' },
              ),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      // a look-up by exact number tells whether a number called, even to a masked viewer:
      // limited per user and audited (who looked for which number, and what it found)
      if (q.callerNumber) app.callerProbes.take(req.actor);
      if (q.q !== undefined) {
        if (matchExpression(q.q) === null) throw new HttpError(400, 'bad_request', 'q（检索词）须含有汉字、字母或数字', { field: 'q' });
        if (queryPieces(q.q) > MAX_QUERY_PIECES) throw new HttpError(400, 'bad_request', `q（检索词）最多 ${MAX_QUERY_PIECES} 个词`, { field: 'q' });
      }
      if (q.sort === 'deadline' && q.open === false) throw new HttpError(400, 'bad_request', 'sort=deadline（按期限排序）只用于未办结的工单：请用 open=true', { field: 'sort', allowed: ['newest', 'deadline'] });
      const filter = {
        number: q.number,
        callerNumber: q.callerNumber,
        kind: q.kind,
        status: q.status,
        source: q.source,
        category: q.category,
        overdue: q.overdue,
        needsCallback: q.needsCallback,
        parentTicketId: q.parentTicketId,
        from: parseBound(q.from, false),
        to: parseBound(q.to, true),
        scope: ticketScope(req.actor),
        q: q.q,
        text: searchesInClear(req.actor) ? ('all' as const) : ('masked' as const),
        open: q.open,
        assignedTo: q.mine ? { userId: req.actor.userId, seatId: req.actor.seatId ?? undefined } : undefined,
        sort: q.sort,
        limit: q.limit,
        offset: q.offset,
      };
      const { items, total, totalCapped } = tickets.list(filter);
      const unmasked: number[] = [];
      const views = items.map((t) => {
        const clear = seesCallerInClear(req.actor, t);
        if (clear && t.callerNumber && req.actor.role !== 'system') unmasked.push(t.id);
        return ticketView(t, clear);
      });
      auditPage(req.actor, unmasked);
      if (q.callerNumber) users.audit(req.actor, 'caller_search', null, JSON.stringify({ callerNumber: q.callerNumber, found: total, tickets: items.slice(0, 20).map((t) => t.id) }));
      if (totalCapped) reply.header('x-total-capped', 'true');
      return q.open === true ? { items: views, total, counts: tickets.openCounts(filter) } : { items: views, total };
    },
  );

  app.get(
    '/api/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'One ticket with its history and its call',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Intersect([TicketSchema, Type.Object({ events: Type.Array(Type.Object({}, { additionalProperties: true })), call: Nullable(Type.Object({}, { additionalProperties: true })) })]),
        },
      },
    },
    async (req) => {
      const t = tickets.get(req.params.id);
      // a ticket outside your scope does not exist for you, not even by id
      if (!t || !canSee(req.actor, t)) throw notFound('工单');
      const call = calls.byTicket(t.id);
      const clear = seesCallerInClear(req.actor, t, call);
      if (clear && (t.callerNumber || t.callerName)) users.audit(req.actor, 'caller_unmasked', t.id, 'detail');
      return { ...ticketView(t, clear), events: tickets.events(t.id).map((e) => eventView(e, clear)), call: callView(call, clear) };
    },
  );
};

export default routes;
