import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../shared/errors.js';
import { loadCallflow, type Callflow } from './callflow-config.js';
import { NO_CALLS } from './query.js';
import { queueStats } from './queue-stats.js';
import type { TransferTarget } from './transfer.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/queues',
    {
      schema: {
        tags: ['calls'],
        summary: 'Live stats per queue: waiting, longest wait, seats by state, today\'s offered/answered/abandoned, service level, ASA',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String() }, { additionalProperties: true })) }) },
      },
    },
    async () => ({ items: queueStats(app.services) }),
  );

  // queue and menu names for the pages, from the call flow files (the pages copy no dictionaries)
  let fallbackCallflow: Callflow | null = null;
  app.get(
    '/api/callflow/labels',
    {
      config: { public: true },
      schema: {
        tags: ['calls'],
        summary: 'Names of the queues and IVR menus, as the pages show them',
        response: { 200: Type.Object({ queues: Type.Record(Type.String(), Type.String()), menus: Type.Record(Type.String(), Type.String()) }) },
      },
    },
    async () => {
      const flow = app.services.callflow ?? (fallbackCallflow ??= loadCallflow());
      return {
        queues: Object.fromEntries(Object.entries(flow.queues.queues).map(([id, q]) => [id, q.name])),
        menus: Object.fromEntries(Object.entries(flow.ivr.menus).map(([id, m]) => [id, m.label ?? id])),
      };
    },
  );

  app.post(
    '/api/calls/:id/transfer',
    {
      schema: {
        tags: ['calls'],
        summary: 'Move a live call to a seat (e.g. a street seat), an outside number, or another queue',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        body: Type.Union([
          Type.Object({ seatId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
          Type.Object({ number: Type.String({ pattern: '^[0-9]{3,20}$' }) }, { additionalProperties: false }),
          Type.Object({ queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        ]),
        response: { 202: Type.Object({ status: Type.Literal('transferring') }) },
      },
    },
    async (req, reply) => {
      if (!['operator', 'street_seat', 'supervisor'].includes(req.actor.role)) throw forbidden();
      const s = app.services;
      if (s.liveCalls === NO_CALLS) throw new HttpError(503, 'no_telephony', '话务系统未运行');
      const call = s.liveCalls.get(req.params.id);
      if (!call) throw notFound('通话');
      const body = req.body as TransferTarget;
      if ('queue' in body && !s.callflow?.queues.queues[body.queue]) throw badRequest(`queue：没有队列「${body.queue}」`);
      if ('seatId' in body && !s.seats.get(body.seatId)) throw badRequest(`seatId：没有坐席「${body.seatId}」`);
      // only the seat on the call (or a supervisor) moves it
      if (req.actor.role !== 'supervisor' && call.seatId !== req.actor.seatId) throw forbidden('这不是您的通话');
      await s.callControl.transfer(req.params.id, body);
      return reply.status(202).send({ status: 'transferring' as const });
    },
  );

  const ListeningSchema = Type.Object({ listenId: Type.String(), callId: Type.String(), snoopChannelId: Type.String(), endpoint: Type.String() });

  app.post(
    '/api/calls/:id/listen',
    {
      schema: {
        tags: ['calls'],
        summary: 'Listen in on a live call: rings the supervisor\'s phone (their own seat, or seatId) and lets them hear caller and seat, unheard',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        body: Type.Object({ seatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false }),
        response: { 202: ListeningSchema },
      },
    },
    async (req, reply) => {
      if (!['supervisor', 'admin'].includes(req.actor.role)) throw forbidden('只有主管可以监听');
      const s = app.services;
      if (!s.listenIn || s.liveCalls === NO_CALLS) throw new HttpError(503, 'no_telephony', '话务系统未运行');
      const call = s.liveCalls.get(req.params.id);
      if (!call) throw notFound('通话');
      if (call.state !== 'connected') throw conflict(`通话当前状态为 ${call.state}：坐席接听后才能监听`);
      const phoneSeat = req.body?.seatId ?? req.actor.seatId;
      if (!phoneSeat) throw badRequest('seatId：没有可振铃的话机，请指定 seatId，或为您的账号配置坐席');
      const seat = s.seats.get(phoneSeat);
      if (!seat) throw badRequest(`seatId：没有坐席「${phoneSeat}」`);
      if (seat.id === call.seatId) throw badRequest('seatId：该坐席正在这通电话上');
      const l = await s.listenIn.start(call.callId, seat.dial, req.actor.name);
      return reply.status(202).send({ listenId: l.id, callId: l.callId, snoopChannelId: l.snoopChannelId, endpoint: l.endpoint });
    },
  );

  app.delete(
    '/api/listen/:listenId',
    {
      schema: {
        tags: ['calls'],
        summary: 'Stop listening in',
        params: Type.Object({ listenId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      if (!['supervisor', 'admin'].includes(req.actor.role)) throw forbidden('只有主管可以监听');
      if (!app.services.listenIn?.stop(req.params.listenId)) throw notFound('监听');
      return reply.status(204).send(null);
    },
  );
};

export default routes;
