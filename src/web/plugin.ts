import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { KIND_LABEL, SATISFACTION_LABEL, SOURCE_LABEL, STATUS_LABEL, UNCLASSIFIED_LABEL } from '../stats/labels.js';

/** web/ at the repo root: from src/web (tsx) and from dist/web (built) alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The pages, plain HTML/CSS/JS modules with no build step: GET /wallboard (supervisors'
 * big screen), GET /desk (a seat's desk), GET /desk/admin and /desk/admin/calendar (the
 * admin's registries and holiday notices), GET /stats (statistics, the printable report) and
 * GET /ask (citizens' online answering), their assets under /web/. The pages are public: they log in through POST /api/auth/login and
 * send the token with every API call and websocket.
 */
const web: FastifyPluginAsync = async (app) => {
  // encapsulated (no fastify-plugin): its reply.sendFile does not clash with swagger-ui's
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/web/', index: false, cacheControl: true, maxAge: 0 });
  const page = (file: string) => async (_req: unknown, reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(file);
  };
  app.get('/wallboard', { config: { public: true }, schema: { hide: true } }, page('wallboard.html'));
  app.get('/desk', { config: { public: true }, schema: { hide: true } }, page('desk.html'));
  app.get('/desk/admin/calendar', { config: { public: true }, schema: { hide: true } }, page('admin-calendar.html'));
  // the desk's registry pages for admins (#13): departments, streets, users, seats
  app.get('/desk/admin', { config: { public: true }, schema: { hide: true } }, page('admin.html'));
  // the supervisor's statistics, and the printable evaluation report (departments and streets log in there too)
  app.get('/stats', { config: { public: true }, schema: { hide: true } }, page('stats.html'));
  app.get('/stats/report', { config: { public: true }, schema: { hide: true } }, page('report.html'));
  // quality inspection (质检) and any ticket's recording, for the quality role and supervisors
  app.get('/quality', { config: { public: true }, schema: { hide: true } }, page('quality.html'));
  // citizens' online answering: no login; the page and its two APIs are rate limited
  app.get('/ask', { config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { hide: true } }, page('ask.html'));

  // the words the pages print for tickets' codes: one dictionary, the reports' (src/stats/labels.ts)
  const words = Type.Record(Type.String(), Type.String());
  app.get(
    '/api/labels',
    {
      config: { public: true },
      schema: {
        tags: ['pages'],
        summary: 'Chinese names of ticket kinds, statuses, sources and satisfaction, as the pages show them',
        response: { 200: Type.Object({ kinds: words, unclassified: Type.String(), statuses: words, sources: words, satisfaction: words }) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-cache');
      return { kinds: KIND_LABEL, unclassified: UNCLASSIFIED_LABEL, statuses: STATUS_LABEL, sources: SOURCE_LABEL, satisfaction: SATISFACTION_LABEL };
    },
  );
};

export default web;
