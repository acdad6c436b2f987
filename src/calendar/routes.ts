import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../shared/errors.js';
import { parseBusinessHours } from './business-hours.js';
import { calendarOutlook, provisionalYearWarnings } from './readiness.js';
import { CalendarYearSchema } from './year-file.js';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Year = Type.Integer({ minimum: 1000, maximum: 9999 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const tags = ['calendar'];

const YearView = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('official'), Type.Literal('provisional')], { description: 'official: a loaded State Council notice; provisional: the statutory rule' }),
  holidays: Type.Array(IsoDate, { description: 'every day off (放假、补假)' }),
  workdays: Type.Array(IsoDate, { description: 'every 调休 make-up workday' }),
  periods: Type.Array(Type.Object({ name: NullableString, from: IsoDate, to: IsoDate, days: Type.Integer() })),
  makeUpWorkdays: Type.Array(Type.Object({ date: IsoDate, name: NullableString })),
  title: NullableString,
  documentNumber: NullableString,
  loadedBy: NullableString,
  loadedAt: NullableString,
});

const DayStatus = Type.Object({
  date: IsoDate,
  working: Type.Boolean(),
  reason: Type.Union([Type.Literal('workday'), Type.Literal('weekend'), Type.Literal('holiday'), Type.Literal('make_up_workday')]),
  holiday: NullableString,
  provisional: Type.Boolean(),
});

/** The working-day calendar over HTTP: any logged-in role may ask; an admin loads notices. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const calendars = app.services.calendar;
  // Check everything at start-up: a bad BUSINESS_HOURS stops the server here.
  parseBusinessHours(app.services.config.businessHours);
  const warnings = () => provisionalYearWarnings(calendars.calendar(), app.services.now());
  for (const warning of warnings()) app.log.warn(warning);
  app.services.addReadinessWarning(warnings);

  app.get(
    '/api/calendar',
    { schema: { tags, summary: 'Years with a loaded holiday notice', response: { 200: Type.Object({ years: Type.Array(Type.Integer()) }) } } },
    async () => ({ years: calendars.calendar().years() }),
  );

  app.get(
    '/api/calendar/status',
    {
      schema: {
        tags,
        summary: 'Years deadlines reach now that have no notice yet (the pages show a banner)',
        response: { 200: Type.Object({ provisionalYears: Type.Array(Type.Integer()), message: Type.String() }) },
      },
    },
    async () => calendarOutlook(calendars.calendar(), app.services.now()),
  );

  app.get(
    '/api/calendar/add-working-days',
    {
      schema: {
        tags,
        summary: 'The Nth working day after a date (the start day never counts: 期间开始之日不计算在内)',
        querystring: Type.Object({ from: IsoDate, days: Type.Integer({ minimum: 0, maximum: 3660 }) }),
        response: { 200: Type.Object({ date: IsoDate, provisional: Type.Boolean({ description: 'a day counted lies in a year with no notice loaded (暂定)' }) }) },
      },
    },
    async (req) => calendars.calendar().walkWorkingDays(req.query.from, req.query.days),
  );

  app.get(
    '/api/calendar/working-day',
    { schema: { tags, summary: 'Is a date a working day, and why', querystring: Type.Object({ date: IsoDate }), response: { 200: DayStatus } } },
    async (req) => calendars.calendar().dayStatus(req.query.date),
  );

  app.get(
    '/api/calendar/years/:year',
    {
      schema: {
        tags,
        summary: "A year's days off and make-up workdays: its notice, or the statutory rule's provisional days",
        params: Type.Object({ year: Year }),
        response: { 200: YearView },
      },
    },
    async (req) => {
      const year = calendars.describe(req.params.year);
      if (!year) throw notFound(`${req.params.year}年的日历`);
      return year;
    },
  );

  app.put(
    '/api/calendar/years/:year',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        summary: "Load a year's State Council holiday notice (admin); open deadlines over changed days are counted again",
        params: Type.Object({ year: Type.Integer({ minimum: 1901, maximum: 2099 }) }),
        body: Type.Object(
          {
            holidays: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 366, description: 'every day off, YYYY-MM-DD' }),
            workdays: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 366, description: 'every 调休 make-up workday (a Saturday or Sunday), YYYY-MM-DD' }),
            title: Type.Optional(Type.String({ maxLength: 200 })),
            documentNumber: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Intersect([YearView, Type.Object({ ticketsRecomputed: Type.Integer() })]) },
      },
    },
    async (req) => {
      const loaded = calendars.loadNotice(req.params.year, req.body, req.actor);
      req.log.info({ year: req.params.year, by: req.actor.name, ticketsRecomputed: loaded.ticketsRecomputed }, 'holiday notice loaded');
      return { ...loaded.year, ticketsRecomputed: loaded.ticketsRecomputed };
    },
  );

  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags,
        summary: "A loaded year's notice in the calendar/<year>.json shape (holiday ranges and the notice they come from)",
        params: Type.Object({ year: Year }),
        response: { 200: CalendarYearSchema },
      },
    },
    async (req) => {
      const doc = calendars.document(req.params.year);
      if (!doc) throw notFound(`${req.params.year}年的节假日通知（尚未载入）`);
      return doc;
    },
  );
};

export default routes;
