// Statistics API (第十九、二十一条; DESIGN §5): ticket counts, hot topics, deadline
// compliance, call KPIs, calls per hour, online answering, the daily and monthly report
// as CSV. Read-only (but for the hot-term day cache). Satisfaction and the evaluation,
// which departments and streets read too, are in unit-routes.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../auth/services.js';
import { shanghaiDate } from '../shared/time.js';
import { KINDS } from '../tickets/lifecycle.js';
import { CALL_GROUPINGS, callKpis, callsPerHour, SERVICE_LEVEL_SECONDS } from './call-kpis.js';
import { deadlineCompliance } from './deadlines.js';
import { TICKET_REPORT_HEADER } from './report-csv.js';
import { hotTopics, RISING_MIN_COUNT, RISING_MIN_GROWTH } from './hot-topics.js';
import { checkDay, Day, DAY_MS, parsePeriod, PeriodQuery } from './period.js';
import { focusTerms, forgetTicketDay, hotTerms } from './hot-terms.js';
import { onlineFigures } from './online.js';
import { recordRatings } from './ratings.js';
import { ticketReportCsv } from './report-csv.js';
import { ticketFigures } from './ticket-counts.js';
import { MonthQuery, parseMonth } from './period.js';

/** who may read statistics: the centre's supervisors, admins and the inspection office */
export const STATS_ROLES: readonly Role[] = ['supervisor', 'admin', 'inspector'];
const SOURCES = ['phone', 'email', 'online', '12345', 'manual'] as const;

const tags = ['stats'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const Ratio = Nullable(Type.Number({ minimum: 0 }));
const PeriodOut = { from: Type.String(), to: Type.String() };

const TopicSchema = Type.Object({
  category: Nullable(Type.String()),
  subcategory: Type.String(),
  count: Count,
  previousCount: Count,
  change: Type.Integer({ description: 'count − previousCount' }),
  ratio: Type.Union([Type.Number(), Type.Null()], { description: 'count ÷ previousCount; null when there were none before' }),
});
const TermSchema = Type.Object({
  term: Type.String(),
  count: Type.Integer({ minimum: 0, description: 'tickets and online questions of the period holding the word' }),
  tickets: Count,
  online: Count,
  previousCount: Count,
  change: Type.Integer({ description: 'count − previousCount' }),
});
const FocusSchema = Type.Object({ term: Type.String(), count: Count, overdue: Count, supervised: Count, unsatisfied: Count });
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

  // a string or null as one JSON-schema type: fast-json-stringify writes it directly, where a
  // union (anyOf) is decided per value by a validator — seconds for a month's 3,000 rows
  const Text = (description?: string) => Type.Unsafe<string | null>({ type: ['string', 'null'], ...(description ? { description } : {}) });
  const FigureRow = Type.Object({
    kind: Text(),
    kindLabel: Type.String({ description: '即办件 / 流转件 / 督办件 / 应急件 / 协同件, or 未分类' }),
    category: Text(),
    categoryLabel: Text(),
    subcategory: Text(),
    subcategoryLabel: Text(),
    source: Type.String(),
    sourceLabel: Type.String(),
    unitKind: Type.String({ description: 'department | street | center (not routed out)' }),
    unit: Text(),
    unitLabel: Type.String(),
    status: Type.String({ description: 'as of statusAsOf, from the history' }),
    statusLabel: Type.String(),
    count: Count,
  });
  const Figures = {
    statusAsOf: Type.String({ format: 'date-time', description: "the period's end, or now if that is still ahead" }),
    total: Count,
    kinds: Type.Array(Type.Object({ kind: Text(), label: Type.String(), count: Count }), { description: 'the five kinds and unclassified, zeros included' }),
    rows: Type.Array(FigureRow),
  };
  const figures = (start: number, end: number, kind?: string, source?: string) => {
    const f = ticketFigures(db, app.services.taxonomy, { start, end, now: app.services.now(), kind, source });
    return { ...f, statusAsOf: new Date(f.statusAsOf).toISOString() };
  };

  app.get(
    '/api/stats/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets created in a period by kind × category × subcategory × source × unit × status at the period end (from the history), with Chinese labels',
        querystring: Type.Object(
          { ...PeriodQuery, kind: Type.Optional(Type.Enum([...KINDS])), source: Type.Optional(Type.Enum([...SOURCES])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ...PeriodOut, ...Figures }) },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      return { from: p.from, to: p.to, ...figures(p.start, p.end, req.query.kind, req.query.source) };
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
            terms: Type.Array(TermSchema, { description: 'words of ticket content and online questions, most frequent first (热点)' }),
            risingTerms: Type.Array(TermSchema, { description: 'the words that rose most against the previous period' }),
            focus: Type.Array(FocusSchema, { description: '焦点/难点: words of the overdue, supervised or unsatisfied tickets of the period' }),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      const limit = req.query.limit ?? 10;
      return {
        from: p.from,
        to: p.to,
        rule: { minCount: RISING_MIN_COUNT, minGrowth: RISING_MIN_GROWTH },
        ...hotTopics(db, p, limit),
        ...hotTerms(db, p, app.services.now(), limit),
        focus: focusTerms(db, p, limit),
      };
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

  const csv = (reply: FastifyReply, name: string, body: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);

  app.get(
    '/api/stats/daily-report.csv',
    {
      schema: {
        tags,
        summary: 'The daily report as CSV (UTF-8 with BOM, Chinese labels): tickets created on a Shanghai day (default yesterday) by kind, category, subcategory, source, unit and status at the end of that day',
        querystring: Type.Object({ day: Type.Optional(Day) }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: { description: TICKET_REPORT_HEADER.join(','), content: { 'text/csv': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const day = req.query.day ?? shanghaiDate(app.services.now() - DAY_MS);
      const start = checkDay('day', day);
      return csv(reply, `962200-daily-report-${day}.csv`, ticketReportCsv(day, ticketFigures(db, app.services.taxonomy, { start, end: start + DAY_MS, now: app.services.now() })));
    },
  );

  app.get(
    '/api/stats/monthly-report.csv',
    {
      schema: {
        tags,
        summary: 'The monthly report as CSV (UTF-8 with BOM, Chinese labels): tickets created in a month (default last month), as the daily report, status at the month end',
        querystring: Type.Object(MonthQuery, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 200: { description: TICKET_REPORT_HEADER.join(','), content: { 'text/csv': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const p = parseMonth(req.query.month, app.services.now());
      return csv(reply, `962200-monthly-report-${p.month}.csv`, ticketReportCsv(p.month, ticketFigures(db, app.services.taxonomy, { start: p.start, end: p.end, now: app.services.now() })));
    },
  );

  app.get(
    '/api/stats/monthly-report',
    {
      schema: {
        tags,
        summary: 'The monthly report as JSON: the ticket figures of a month (default last month) with Chinese labels',
        querystring: Type.Object(MonthQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ month: Type.String(), ...PeriodOut, ...Figures }) },
      },
    },
    async (req) => {
      const p = parseMonth(req.query.month, app.services.now());
      return { month: p.month, from: p.from, to: p.to, ...figures(p.start, p.end) };
    },
  );

  app.get(
    '/api/stats/online',
    {
      schema: {
        tags,
        summary: 'Online answering in a period: questions asked, answered by the knowledge base, tickets opened, and the unanswered questions asked most (the KB gaps)',
        querystring: Type.Object({ ...PeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...PeriodOut,
            asked: Count,
            answered: Count,
            unanswered: Count,
            answerRate: Ratio,
            ticketsOpened: Count,
            topUnanswered: Type.Array(Type.Object({ question: Type.String(), count: Count, lastAt: Type.String({ format: 'date-time' }) })),
          }),
        },
      },
    },
    async (req) => {
      const p = parsePeriod(req.query.from, req.query.to);
      return { from: p.from, to: p.to, ...onlineFigures(db, p, req.query.limit ?? 10) };
    },
  );

  // ratings are counted as they are given
  recordRatings(app.services, (err) => app.log.error({ err }, 'rating not recorded for the statistics'));

  // a corrected ticket text is segmented again the next time its day is asked for
  app.services.bus.on('ticket.changed', (e) => {
    if (e.action !== 'edit') return;
    const t = app.services.tickets.get(e.ticketId);
    if (t) forgetTicketDay(db, t.createdAt);
  });
};

export default routes;
