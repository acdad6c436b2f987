import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, notFound } from '../shared/errors.js';
import { iso } from '../shared/time.js';
import type { QualitySample, QualityScore, QualitySheet } from './service.js';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, a Shanghai day' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' });
const Comment = Type.String({ minLength: 1, maxLength: 2000 });
const Any = Type.Object({}, { additionalProperties: true });

const sheetView = (sh: QualitySheet) => ({ id: sh.id, name: sh.name, items: sh.items, maxTotal: sh.items.reduce((n, i) => n + i.points, 0), createdAt: iso(sh.createdAt), createdBy: sh.createdBy });
const scoreView = (sc: QualityScore | null | undefined) => (sc ? { ...sc, scoredAt: iso(sc.scoredAt) } : null);
const sampleView = (x: QualitySample & { score?: QualityScore | null; ticketNumber?: string | null }) => ({
  id: x.id,
  day: x.day,
  callId: x.callId,
  ticketId: x.ticketId,
  ticketNumber: x.ticketNumber ?? null,
  seatId: x.seatId,
  rank: x.rank,
  population: x.population,
  drawnAt: iso(x.drawnAt),
  score: scoreView(x.score),
});

/**
 * Quality inspection (质检, 第二十一条 服务质量、第二十二条 持续改进): the score sheet as data,
 * the daily draw of answered calls per seat (jobs: `quality-draw`), scoring while
 * listening (the recording is played through GET /api/tickets/:id/recording), and the
 * results per seat and per month. The `quality` role and supervisors inspect; a seat
 * reads its own scores.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const q = app.services.quality;
  const inspectors = app.requireRole('quality', 'supervisor');

  app.get('/api/quality/sheet', { preHandler: app.requireRole('quality', 'supervisor', 'admin', 'operator', 'street_seat'), schema: { tags: ['quality'], summary: 'The score sheet in force (items and their points)', response: { 200: Any } } }, async () => sheetView(q.sheet()));

  app.put(
    '/api/quality/sheet',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['quality'],
        summary: 'A new version of the score sheet (scores already given keep theirs)',
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            items: Type.Array(
              Type.Object({ code: Code, label: Type.String({ minLength: 1, maxLength: 40 }), points: Type.Integer({ minimum: 1, maximum: 100 }), description: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
              { minItems: 1, maxItems: 30 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any },
      },
    },
    async (req) => sheetView(q.putSheet(req.body, req.actor)),
  );

  app.get(
    '/api/quality/samples',
    {
      preHandler: inspectors,
      schema: {
        tags: ['quality'],
        summary: 'Calls drawn for inspection, newest day first, with their scores',
        querystring: Type.Object(
          {
            day: Type.Optional(Day),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            seatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            scored: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Any), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const page = q.samples({ ...req.query, limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 });
      return { items: page.items.map(sampleView), total: page.total };
    },
  );

  app.post(
    '/api/quality/samples/:id/score',
    {
      preHandler: inspectors,
      schema: {
        tags: ['quality'],
        summary: 'Scores a drawn call on the sheet in force: every item 0…its points, with comments (again: replaces)',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 }) }),
        body: Type.Object(
          {
            items: Type.Array(Type.Object({ code: Code, points: Type.Integer({ minimum: 0, maximum: 100 }), comment: Type.Optional(Comment) }, { additionalProperties: false }), { minItems: 1, maxItems: 30 }),
            comment: Type.Optional(Comment),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any },
      },
    },
    async (req) => {
      const sample = q.sample(req.params.id);
      if (!sample) throw notFound('质检抽样');
      return { ...sampleView(sample), score: scoreView(q.score(sample.id, req.body, req.actor)) };
    },
  );

  const statsQuery = Type.Object(
    {
      from: Month,
      to: Month,
      by: Type.Optional(Type.Union([Type.Literal('seat'), Type.Literal('month'), Type.Literal('seat_month')], { default: 'seat_month' })),
      seatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  );
  const checkMonths = (from: string, to: string) => {
    if (from > to) throw badRequest(`from (${from}) 晚于 to (${to})`);
  };

  app.get(
    '/api/quality/stats',
    {
      preHandler: app.requireRole('quality', 'supervisor', 'admin'),
      schema: { tags: ['quality'], summary: 'Quality scores per seat and per month: calls scored, average percent, average points per item', querystring: statsQuery, response: { 200: Type.Object({ sheet: Any, items: Type.Array(Any) }) } },
    },
    async (req) => {
      checkMonths(req.query.from, req.query.to);
      return { sheet: sheetView(q.sheet()), items: q.stats(req.query.by ?? 'seat_month', req.query) };
    },
  );

  app.get(
    '/api/quality/mine',
    {
      preHandler: app.requireRole('operator', 'street_seat'),
      schema: {
        tags: ['quality'],
        summary: "A seat's own quality scores: each scored call with its comments, and the months' averages",
        querystring: Type.Object({ from: Month, to: Month }, { additionalProperties: false }),
        response: { 200: Type.Object({ seatId: Type.Union([Type.String(), Type.Null()]), items: Type.Array(Any), months: Type.Array(Any) }) },
      },
    },
    async (req) => {
      const { from, to } = req.query;
      checkMonths(from, to);
      const seatId = req.actor.seatId ?? null;
      if (!seatId) return { seatId, items: [], months: [] };
      const page = q.samples({ seatId, from: `${from}-01`, to: `${to}-31`, scored: true, limit: 500, offset: 0 });
      return { seatId, items: page.items.map(sampleView), months: q.stats('seat_month', { from, to, seatId }) };
    },
  );
};

export default routes;
