import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../shared/errors.js';
import { parseBusinessHours } from './business-hours.js';
import { missingYearWarnings } from './readiness.js';
import { hotlineCalendar } from './working-days.js';
import { CalendarYearSchema } from './year-file.js';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const tags = ['calendar'];

/** The working-day calendar over HTTP: any logged-in role may ask. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  // Check everything at start-up: a bad calendar file or BUSINESS_HOURS stops the server here.
  const calendar = hotlineCalendar();
  parseBusinessHours(app.services.config.businessHours);
  for (const warning of missingYearWarnings(calendar, app.services.now())) app.log.warn(warning);
  app.services.addReadinessWarning(() => missingYearWarnings(calendar, app.services.now()));

  app.get(
    '/api/calendar',
    { schema: { tags, summary: 'Years the calendar has data for', response: { 200: Type.Object({ years: Type.Array(Type.Integer()) }) } } },
    async () => ({ years: calendar.years() }),
  );

  app.get(
    '/api/calendar/add-working-days',
    {
      schema: {
        tags,
        summary: 'The Nth working day after a date (the start day never counts: 期间开始之日不计算在内)',
        querystring: Type.Object({ from: IsoDate, days: Type.Integer({ minimum: 0, maximum: 3660 }) }),
        response: { 200: Type.Object({ date: IsoDate }) },
      },
    },
    async (req) => ({ date: calendar.addWorkingDays(req.query.from, req.query.days) }),
  );

  app.get(
    '/api/calendar/working-day',
    {
      schema: {
        tags,
        summary: 'Is a date a working day, and why',
        querystring: Type.Object({ date: IsoDate }),
        response: {
          200: Type.Object({
            date: IsoDate,
            working: Type.Boolean(),
            reason: Type.Union([Type.Literal('workday'), Type.Literal('weekend'), Type.Literal('holiday'), Type.Literal('make_up_workday')]),
            holiday: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => calendar.dayStatus(req.query.date),
  );

  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags,
        summary: "A year's holidays, make-up workdays and the State Council notice they come from",
        params: Type.Object({ year: Type.Integer({ minimum: 1000, maximum: 9999 }) }),
        response: { 200: CalendarYearSchema },
      },
    },
    async (req) => {
      const year = calendar.year(req.params.year);
      if (!year) throw notFound(`calendar data for ${req.params.year} (calendar/${req.params.year}.json)`);
      return year;
    },
  );
};

export default routes;
