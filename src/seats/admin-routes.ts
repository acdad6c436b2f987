import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest } from '../shared/errors.js';
import { seatView } from './routes.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 32, pattern: '^[\\w-]+$' }), { maxItems: 20 });
const Dial = Type.String({ minLength: 3, maxLength: 128, pattern: '^(PJSIP|SIP|IAX2|Local)/\\S+$', description: 'what Asterisk dials, e.g. PJSIP/1001 or PJSIP/021…@street-gw' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The seat roster an admin keeps: POST /api/seats, PATCH /api/seats/:id (name, dial, street, skills). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { seats, registry } = app.services;
  const admin = app.requireRole('admin');
  const SeatOut = Type.Object({}, { additionalProperties: true });

  const streetOf = (street: string | null | undefined) => (street ? registry.activeStreet(street, 'street') : null);

  app.post(
    '/api/seats',
    {
      preHandler: admin,
      schema: {
        tags: ['seats'],
        summary: 'Register a seat (admin): a center seat or a street/town remote seat',
        body: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.-]+$' }), name: Text(64), kind: Type.Union([Type.Literal('center'), Type.Literal('street')]), dial: Dial, street: Type.Optional(Nullable(Text(64))), skills: Type.Optional(Skills) },
          { additionalProperties: false },
        ),
        response: { 201: SeatOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const street = streetOf(b.street);
      if (b.kind === 'street' && !street) throw badRequest('street: 街镇远程坐席必须指定街镇');
      const seat = seats.create({ id: b.id, name: b.name, kind: b.kind, dial: b.dial, street: street?.id ?? null, district: street?.district ?? null, skills: b.skills ?? (b.kind === 'street' ? ['community_life'] : ['general']) });
      return reply.status(201).send(seatView(seat));
    },
  );

  app.patch(
    '/api/seats/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['seats'],
        summary: "Change a seat's name, dial string, street or skills (admin)",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object({ name: Type.Optional(Text(64)), dial: Type.Optional(Dial), street: Type.Optional(Nullable(Text(64))), skills: Type.Optional(Skills) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: SeatOut },
      },
    },
    async (req) => {
      const { street, ...rest } = req.body;
      const changes: Parameters<typeof seats.edit>[1] = { ...rest };
      if (street !== undefined) {
        const s = streetOf(street);
        changes.street = s?.id ?? null;
        changes.district = s?.district ?? null;
      }
      return seatView(seats.edit(req.params.id, changes));
    },
  );
};

export default routes;
