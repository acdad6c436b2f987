// Statistics API (第十九、二十一条; DESIGN §5): ticket counts, hot topics, deadline
// compliance, call KPIs, calls per hour and the daily report as CSV. Read-only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../auth/services.js';
import { dailyReportRows } from '../jobs/daily-report.js';
import { shanghaiDate } from '../shared/time.js';
import { KINDS } from '../tickets/lifecycle.js';
import { CALL_GROUPINGS, callKpis, callsPerHour, SERVICE_LEVEL_SECONDS } from './call-kpis.js';
import { dailyReportCsv } from './csv.js';
import { deadlineCompliance } from './deadlines.js';
import { hotTopics, RISING_MIN_COUNT, RISING_MIN_GROWTH } from './hot-topics.js';
import { checkDay, Day, DAY_MS, parsePeriod, PeriodQuery } from './period.js';
import { countTickets } from './ticket-counts.js';

/** who may read statistics: the centre's supervisors, admins and the inspection office */
export const STATS_ROLES: readonly Role[] = ['supervisor', 'admin', 'inspector'];
const SOURCES = ['phone', 'email', 'online', '12345', 'manual'] as const;

const tags = ['stats'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const PeriodOut = { from: Type.String(), to: Type.String() };

const TopicSchema = Type.Object({
  category: Nullable(Type.String()),
  subcategory: Type.String(),
  count: Count,
  previousCount: Count,
  change: Type.Integer({ description: 'count − previousCount' }),
  ratio: Type.Union([Type.Number(), Type.Null()], { description: 'count ÷ previousCount; null when there were none before' }),
});
const ComplianceFields = {
  due: Type.Integer({ minimum: 0, description: 'tickets whose deadline falls in the period' }),
  onTime: Type.Integer({ minimum: 0, description: 'resolved (or closed) by the deadline' }),
  late: Type.Integer({ minimum: 0, description: 'resolved (or closed) after the deadline' }),
  overdue: Type.Integer({ minimum: 0, description: 'not finished, deadline passed' }),
  pending: Type.Integer({ minimum: 0, description: 'not finished, deadline still ahead' }),
  onTimeRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'onTime ÷ (onTime + late + overdue)' }),
};
const KpiFields = {
  offered: Count,
  answered: Type.Integer({ minimum: 0, description: 'a seat picked up' }),
  abandoned: Count,
  voicemail: Count,
  callback: Count,
  asaSeconds: Type.Union([Type.Number(), Type.Null()], { description: 'mean wait of answered calls' }),
  ahtSeconds: Type.Union([Type.Number(), Type.Null()], { description: 'mean talk time of answered calls' }),
  serviceLevel: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: `answered within ${SERVICE_LEVEL_SECONDS} s ÷ answered` }),
};

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services;
  // before validation, so a caller without the role learns nothing from a 400
  app.addHook('preValidation', app.requireRole(...STATS_ROLES));

  app.get(
    '/api/stats/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets created in a period counted by kind × category × status (now) × source',
        querystring: Type.Object(
          { ...PeriodQuery, kind: Type.Optional(Type.Enum([...KINDS])), source: Type.Optional(Type.Enum([...SOURCES])) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...PeriodOut,
            total: Count,
            rows: Type.Array(Type.Object({ kind: Nullable(Type.String()), category: Nullable(Type.String()), status: Type.String(), source: Type.String(), count: Count })),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      const rows = countTickets(db, { start: p.start, end: p.end, kind: req.query.kind, source: req.query.source });
      return { from: p.from, to: p.to, total: rows.reduce((n, r) => n + r.count, 0), rows };
    },
  );

  app.get(
    '/api/stats/hot-topics',
    {
      schema: {
        tags,
        summary: `Top subcategories in a period, and rising ones: ≥ ${RISING_MIN_COUNT} tickets and ≥ +${RISING_MIN_GROWTH * 100}% over the previous period of the same length`,
        querystring: Type.Object({ ...PeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...PeriodOut,
            previousFrom: Type.String(),
            previousTo: Type.String(),
            total: Type.Integer({ minimum: 0, description: 'tickets with a subcategory in the period' }),
            rule: Type.Object({ minCount: Count, minGrowth: Type.Number() }),
            top: Type.Array(TopicSchema),
            rising: Type.Array(TopicSchema),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      return { from: p.from, to: p.to, rule: { minCount: RISING_MIN_COUNT, minGrowth: RISING_MIN_GROWTH }, ...hotTopics(db, p, req.query.limit ?? 10) };
    },
  );

  app.get(
    '/api/stats/deadlines',
    {
      schema: {
        tags,
        summary: 'Deadline compliance of tickets due in a period, per department and per street',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...PeriodOut,
            total: Type.Object(ComplianceFields),
            departments: Type.Array(Type.Object({ departmentId: Type.String(), ...ComplianceFields })),
            streets: Type.Array(Type.Object({ street: Type.String(), ...ComplianceFields })),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      return { from: p.from, to: p.to, ...deadlineCompliance(db, p, app.services.now()) };
    },
  );

  app.get(
    '/api/stats/calls',
    {
      schema: {
        tags,
        summary: 'Call KPIs per queue, seat or Shanghai day: offered, answered, abandoned, ASA, AHT, service level, voicemail, callback',
        querystring: Type.Object(
          { ...PeriodQuery, by: Type.Optional(Type.Enum([...CALL_GROUPINGS], { default: 'day', description: 'queue | seat | day' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...PeriodOut,
            by: Type.String(),
            serviceLevelSeconds: Type.Integer(),
            total: Type.Object(KpiFields),
            rows: Type.Array(Type.Object({ key: Type.Union([Type.String(), Type.Null()], { description: 'queue id, seat id or YYYY-MM-DD; null: no queue / no seat' }), ...KpiFields })),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      const by = req.query.by ?? 'day';
      return { from: p.from, to: p.to, by, serviceLevelSeconds: SERVICE_LEVEL_SECONDS, ...callKpis(db, p, by) };
    },
  );

  app.get(
    '/api/stats/calls-per-hour',
    {
      schema: {
        tags,
        summary: 'Calls per Shanghai hour of one day (default today): always 24 rows, hour 0..23',
        querystring: Type.Object({ day: Type.Optional(Day) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            day: Type.String(),
            hours: Type.Array(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), offered: Count, answered: Count, abandoned: Count }), { minItems: 24, maxItems: 24 }),
          }),
        },
      },
    },
    async (req) => {
      const day = req.query.day ?? shanghaiDate(app.services.now());
      return { day, hours: callsPerHour(db, checkDay('day', day)) };
    },
  );

  app.get(
    '/api/stats/daily-report.csv',
    {
      schema: {
        tags,
        summary: 'The daily report as CSV (UTF-8 with BOM): tickets created on a Shanghai day (default yesterday) by kind, category, status at the end of that day, source',
        querystring: Type.Object({ day: Type.Optional(Day) }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: { description: 'day,kind,category,status,source,count', content: { 'text/csv': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const day = req.query.day ?? shanghaiDate(app.services.now() - DAY_MS);
      checkDay('day', day);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="962200-daily-report-${day}.csv"`)
        .send(dailyReportCsv(day, dailyReportRows(db, day)));
    },
  );
};

export default routes;
