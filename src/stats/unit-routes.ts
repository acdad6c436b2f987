// Satisfaction and the evaluation (第二十一条 通报评价). The centre's supervisors, admins
// and inspection office read every unit; a department or street reads its own unit's
// figures and report (its rank among the others, never their figures).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Role } from '../auth/services.js';
import { badRequest, forbidden } from '../shared/errors.js';
import { evaluation, SCORE_WEIGHTS, type UnitEvaluation } from './evaluation.js';
import { parsePeriod, PeriodQuery } from './period.js';
import { evaluationCsv } from './report-csv.js';
import { STATS_ROLES } from './routes.js';
import { CHANNELS, SATISFACTION_GROUPINGS, satisfaction, type UnitScope } from './satisfaction.js';

const UNIT_ROLES: readonly Role[] = ['department', 'street_seat'];
const tags = ['stats'];
const Count = Type.Integer({ minimum: 0 });
const Ratio = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);

const TallyFields = {
  satisfied: Count,
  fair: Count,
  unsatisfied: Count,
  total: Type.Integer({ minimum: 0, description: 'sample size: ratings counted' }),
  rate: Type.Union([Ratio], { description: 'satisfied ÷ total (满意率)' }),
  acceptableRate: Type.Union([Ratio], { description: '(satisfied + fair) ÷ total' }),
};
const Tally = Type.Object(TallyFields);
const Channels = Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Tally])));
const Timeliness = Type.Object({ due: Count, onTime: Count, late: Count, overdue: Count, pending: Count, onTimeRate: Ratio, limitDays: Count });
const Evaluation = Type.Object({
  unitKind: Type.String(),
  unit: Type.String(),
  unitLabel: Type.String(),
  tickets: Count,
  routing: Type.Object({ due: Count, onTime: Count, late: Count, onTimeRate: Ratio, limitDays: Count }),
  contact: Timeliness,
  answer: Timeliness,
  overdue: Count,
  supervised: Count,
  bounces: Count,
  extensions: Count,
  satisfaction: Tally,
  score: Nullable(Type.Number()),
  rank: Count,
  rankOf: Count,
});
const UnitFilter = {
  unitKind: Type.Optional(Type.Union([Type.Literal('department'), Type.Literal('street')])),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.:-]+$', description: 'a department id or a street id' })),
};

/** A department's or street's own unit; the centre's roles read every unit (or the one they name). */
function scopeOf(req: FastifyRequest, asked: { unitKind?: 'department' | 'street'; unit?: string }): UnitScope | undefined {
  const a = req.actor;
  let own: UnitScope | undefined;
  if (a.role === 'department') {
    if (!a.departmentId) throw forbidden('该账号未关联部门');
    own = { unitKind: 'department', unit: a.departmentId };
  } else if (a.role === 'street_seat') {
    if (!a.street) throw forbidden('该账号未关联街镇');
    own = { unitKind: 'street', unit: a.street };
  }
  if (asked.unit !== undefined && !asked.unitKind) throw badRequest('unit 需要同时给出 unitKind');
  const named = asked.unitKind && asked.unit ? { unitKind: asked.unitKind, unit: asked.unit } : undefined;
  if (own && named && (named.unitKind !== own.unitKind || named.unit !== own.unit)) throw forbidden('只能查看本单位的统计');
  return own ?? named;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, taxonomy } = app.services;
  app.addHook('preValidation', app.requireRole(...STATS_ROLES, ...UNIT_ROLES));

  app.get(
    '/api/stats/satisfaction',
    {
      schema: {
        tags,
        summary: 'Citizens\u2019 ratings given in a period (callback, spot-check callback, IVR) per unit, seat or category, per channel and together; the spot-check draw\u2019s size and response rate',
        querystring: Type.Object(
          { ...PeriodQuery, by: Type.Optional(Type.Enum([...SATISFACTION_GROUPINGS], { default: 'unit', description: 'unit (department / street / center) | seat | category' })), ...UnitFilter },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            by: Type.String(),
            total: Tally,
            channels: Channels,
            spotCheck: Type.Object({ drawn: Count, responded: Count, responseRate: Ratio }),
            items: Type.Array(Type.Object({ unitKind: Type.String(), unit: Nullable(Type.String()), unitLabel: Type.String(), ...TallyFields, channels: Channels })),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      const by = req.query.by ?? 'unit';
      return { from: p.from, to: p.to, by, ...satisfaction(db, taxonomy, p, by, scopeOf(req, req.query)) };
    },
  );

  const evaluate = (req: FastifyRequest, q: { from: string; to?: string; unitKind?: 'department' | 'street'; unit?: string }) => {
    const p = parsePeriod(q.from, q.to);
    const scope = scopeOf(req, q);
    const e = evaluation(db, taxonomy, p, app.services.now(), scope);
    return { p, e };
  };
  const EvalQuery = Type.Object({ ...PeriodQuery, ...UnitFilter }, { additionalProperties: false });

  app.get(
    '/api/stats/evaluation',
    {
      schema: {
        tags,
        summary: '通报评价 per department and street: routing (2 WD), contact (3 WD), answer (10 WD or own limit) on time, overdue, supervised, bounces, extensions, satisfaction, score and rank',
        querystring: EvalQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            asOf: Type.String({ format: 'date-time' }),
            scoreWeights: Type.Object({ answer: Type.Number(), contact: Type.Number(), satisfaction: Type.Number() }),
            departments: Type.Array(Evaluation),
            streets: Type.Array(Evaluation),
          }),
        },
      },
    },
    async (req) => {
      const { p, e } = evaluate(req, req.query);
      return { from: p.from, to: p.to, asOf: new Date(e.asOf).toISOString(), scoreWeights: { ...SCORE_WEIGHTS }, departments: e.departments, streets: e.streets };
    },
  );

  app.get(
    '/api/stats/evaluation.csv',
    {
      schema: {
        tags,
        summary: 'The evaluation as CSV (UTF-8 with BOM, Chinese headers): departments by rank, then streets',
        querystring: EvalQuery,
        produces: ['text/csv'],
        response: { 200: { description: 'one row per unit', content: { 'text/csv': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const { p, e } = evaluate(req, req.query);
      const units: UnitEvaluation[] = [...e.departments, ...e.streets];
      const name = `962200-evaluation-${p.from}-${p.to}${req.query.unit ? `-${req.query.unit.replace(/[^\w.-]/g, '_')}` : ''}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(evaluationCsv(units));
    },
  );
};

export default routes;
