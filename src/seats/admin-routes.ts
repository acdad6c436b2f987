import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hashPassword } from '../auth/password.js';
import { badRequest } from '../shared/errors.js';
import { seatView } from './routes.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 32, pattern: '^[\\w-]+$' }), { maxItems: 20 });
const Dial = Type.String({ minLength: 3, maxLength: 128, pattern: '^(PJSIP|SIP|IAX2|Local)/\\S+$', description: 'what Asterisk dials, e.g. PJSIP/1001 or PJSIP/021…@street-gw' });
/** the seat-state phone line's PIN: digits only, stored hashed */
const Pin = Type.String({ pattern: '^[0-9]{4,8}$', description: '4–8 digits for the seat-state phone line (stored hashed)' });
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
          { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.-]+$' }), name: Text(64), kind: Type.Union([Type.Literal('center'), Type.Literal('street')]), dial: Dial, street: Type.Optional(Nullable(Text(64))), skills: Type.Optional(Skills), screening: Type.Optional(Type.Boolean()), pin: Type.Optional(Pin) },
          { additionalProperties: false },
        ),
        response: { 201: SeatOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const street = streetOf(b.street);
      if (b.kind === 'street' && !street) throw badRequest('street: 街镇远程坐席必须指定街镇');
      let seat = seats.create({ id: b.id, name: b.name, kind: b.kind, dial: b.dial, street: street?.id ?? null, district: street?.district ?? null, skills: b.skills ?? (b.kind === 'street' ? ['community_life'] : ['general']), ...(b.screening !== undefined ? { screening: b.screening } : {}) });
      if (b.pin) seat = seats.edit(seat.id, { pinHash: await hashPassword(b.pin) });
      return reply.status(201).send(seatView(seat));
    },
  );

  app.patch(
    '/api/seats/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['seats'],
        summary: "Change a seat's name, dial string, street, skills, screening or phone-line PIN (admin)",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object({ name: Type.Optional(Text(64)), dial: Type.Optional(Dial), street: Type.Optional(Nullable(Text(64))), skills: Type.Optional(Skills), screening: Type.Optional(Type.Boolean()), pin: Type.Optional(Nullable(Pin)) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: SeatOut },
      },
    },
    async (req) => {
      const { street, pin, ...rest } = req.body;
      const changes: Parameters<typeof seats.edit>[1] = { ...rest };
      // null removes the PIN: the phone line then refuses the seat
      if (pin !== undefined) changes.pinHash = pin === null ? null : await hashPassword(pin);
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
