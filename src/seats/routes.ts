import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { forbidden, notFound } from '../shared/errors.js';
import { iso } from '../shared/time.js';
import { MANUAL_STATES, type SeatRow } from './services.js';

const SeatSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  street: Type.Union([Type.String(), Type.Null()]),
  district: Type.Union([Type.String(), Type.Null()]),
  skills: Type.Array(Type.String()),
  state: Type.String(),
  /** a person's words (小休, 培训…) */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** manual, or missed_in_row when the server took the seat off the queue */
  reasonCode: Type.Union([Type.Literal('manual'), Type.Literal('missed_in_row'), Type.Null()]),
  /** not_ready once the current call is over, when asked for during it */
  afterCall: Type.Union([Type.Literal('not_ready'), Type.Null()]),
  afterCallReason: Type.Union([Type.String(), Type.Null()]),
  since: Type.String(),
  missedInRow: Type.Integer(),
  /** the far end must press 1 after a whisper before the caller is put through */
  screening: Type.Boolean(),
  /** whether a PIN for the seat-state phone line is set (never the PIN itself) */
  hasPin: Type.Boolean(),
});

export function seatView(s: SeatRow) {
  return { id: s.id, name: s.name, kind: s.kind, street: s.street, district: s.district, skills: s.skills, state: s.state, reason: s.stateReason, reasonCode: s.reasonCode, afterCall: s.afterCall, afterCallReason: s.afterCallReason, since: iso(s.stateSince)!, missedInRow: s.missedInRow, screening: s.screening, hasPin: !!s.pinHash };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { seats } = app.services;

  app.get(
    '/api/seats',
    { schema: { tags: ['seats'], summary: 'Every seat and its state', response: { 200: Type.Object({ items: Type.Array(SeatSchema) }) } } },
    async (req) => {
      // a street seat sees its own street's seats only
      const all = seats.list();
      const items = req.actor.role === 'street_seat' ? all.filter((s) => s.street === req.actor.street) : all;
      return { items: items.map(seatView) };
    },
  );

  app.post(
    '/api/seats/:id/state',
    {
      schema: {
        tags: ['seats'],
        summary: 'Set a seat ready, not ready (with a reason) or logged out',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          { state: Type.Union(MANUAL_STATES.map((s) => Type.Literal(s))), reason: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: SeatSchema },
      },
    },
    async (req) => {
      const { id } = req.params;
      const seat = seats.get(id);
      if (!seat) throw notFound('坐席');
      // your own seat, or a supervisor/admin managing the floor
      const own = req.actor.seatId === id;
      if (!own && !['supervisor', 'admin', 'operator'].includes(req.actor.role)) throw forbidden('您只能更改自己的坐席');
      if (!own && req.actor.role === 'operator') throw forbidden('话务员只能更改自己的坐席');
      const updated = seats.inOneCommit(() => {
        const u = seats.setManual(id, req.body.state, req.body.reason ?? null);
        // the same audit as the seat-state phone line (seats/phone-line.ts)
        app.services.users.audit(req.actor, 'seat_state', null, `${id}: ${seat.state} → ${req.body.state}（坐席台）`);
        return u;
      });
      return seatView(updated);
    },
  );
};

export default routes;
