import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES, type Role } from '../auth/services.js';
import { badRequest, notFound } from '../shared/errors.js';
import { iso } from '../shared/time.js';
import { DEPARTMENT_KINDS, STREET_KINDS } from './schema.js';
import { departmentKindText, type Department, type Street } from './services.js';
import type { UserFields, UserRow } from './user-admin.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.:-]+$', description: 'letters, digits, _ . : -' });
const Name = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const body = (props: Parameters<typeof Type.Object>[0], extra: object = {}) => Type.Object(props, { additionalProperties: false, ...extra });

const DepartmentOut = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), kindText: Type.String(), district: Nullable(Type.String()), active: Type.Boolean(), updatedAt: Type.String() });
const StreetOut = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), district: Type.String(), active: Type.Boolean(), updatedAt: Type.String() });
const UserOut = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  role: Type.String(),
  departmentId: Nullable(Type.String()),
  street: Nullable(Type.String()),
  seatId: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String(),
});

const departmentView = (d: Department) => ({ id: d.id, name: d.name, kind: d.kind, kindText: departmentKindText(d.kind), district: d.district, active: d.active, updatedAt: iso(d.updatedAt)! });
const streetView = (s: Street) => ({ id: s.id, name: s.name, kind: s.kind, district: s.district, active: s.active, updatedAt: iso(s.updatedAt)! });
// never the password hash
const userView = (u: UserRow) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, departmentId: u.departmentId, street: u.street, seatId: u.seatId, active: u.active, createdAt: iso(u.createdAt)! });

const Password = Type.String({ minLength: 8, maxLength: 200, description: 'at least 8 characters' });
const UserUnitFields = {
  displayName: Type.Optional(Nullable(Name(64))),
  departmentId: Type.Optional(Nullable(Id)),
  street: Type.Optional(Nullable(Id)),
  seatId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
};

/**
 * Registries an admin keeps (DESIGN §7): GET /api/departments, /api/streets (every signed-in
 * user: the desk routes to them), GET /api/users (admin); POST and PATCH for the admin.
 * A registry row is never deleted: it is disabled (`active: false`), so old tickets keep their unit.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, userAdmin, seats } = app.services;
  const admin = app.requireRole('admin');

  app.get(
    '/api/departments',
    {
      schema: {
        tags: ['registries'],
        summary: 'Departments tickets may be routed to (市局处室, 区县民政局, 市局办公室, outside bodies)',
        querystring: Type.Object({ kind: Type.Optional(literals(DEPARTMENT_KINDS)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DepartmentOut) }) },
      },
    },
    async (req) => ({ items: registry.listDepartments(req.query).map(departmentView) }),
  );

  app.post(
    '/api/departments',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: 'Register a department (admin)',
        body: body({ id: Id, name: Name(64), kind: literals(DEPARTMENT_KINDS), district: Type.Optional(Nullable(Name(64))), active: Type.Optional(Type.Boolean()) }),
        response: { 201: DepartmentOut },
      },
    },
    async (req, reply) => reply.status(201).send(departmentView(registry.createDepartment(req.body as Parameters<typeof registry.createDepartment>[0]))),
  );

  app.patch(
    '/api/departments/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: "Change a department's name, kind or district, or disable it (admin)",
        params: Type.Object({ id: Id }),
        body: body({ name: Type.Optional(Name(64)), kind: Type.Optional(literals(DEPARTMENT_KINDS)), district: Type.Optional(Nullable(Name(64))), active: Type.Optional(Type.Boolean()) }, { minProperties: 1 }),
        response: { 200: DepartmentOut },
      },
    },
    async (req) => departmentView(registry.updateDepartment(req.params.id, req.body as Parameters<typeof registry.updateDepartment>[1])),
  );

  app.get(
    '/api/streets',
    {
      schema: {
        tags: ['registries'],
        summary: 'Streets and towns (街道/镇) with their district',
        querystring: Type.Object({ district: Type.Optional(Type.String({ maxLength: 64 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(StreetOut) }) },
      },
    },
    async (req) => ({ items: registry.listStreets(req.query).map(streetView) }),
  );

  app.post(
    '/api/streets',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: 'Register a street or town (admin)',
        body: body({ id: Id, name: Name(64), kind: literals(STREET_KINDS), district: Name(64), active: Type.Optional(Type.Boolean()) }),
        response: { 201: StreetOut },
      },
    },
    async (req, reply) => reply.status(201).send(streetView(registry.createStreet(req.body as Parameters<typeof registry.createStreet>[0]))),
  );

  app.patch(
    '/api/streets/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: "Change a street's name, kind or district, or disable it (admin)",
        params: Type.Object({ id: Id }),
        body: body({ name: Type.Optional(Name(64)), kind: Type.Optional(literals(STREET_KINDS)), district: Type.Optional(Name(64)), active: Type.Optional(Type.Boolean()) }, { minProperties: 1 }),
        response: { 200: StreetOut },
      },
    },
    async (req) => streetView(registry.updateStreet(req.params.id, req.body as Parameters<typeof registry.updateStreet>[1])),
  );

  /** The unit fields of a user must name registered units and fit the role; 400 naming the field otherwise. */
  const checkUnits = (role: Role, u: UserFields) => {
    if (u.departmentId) registry.activeDepartment(u.departmentId, 'departmentId');
    if (u.street) registry.activeStreet(u.street, 'street');
    if (u.seatId && !seats.get(u.seatId)) throw badRequest(`seatId: 没有编号为 ${u.seatId} 的坐席`);
    if (role === 'department' && !u.departmentId) throw badRequest('departmentId: 部门用户必须指定所属部门');
    if (role === 'street_seat' && !u.street) throw badRequest('street: 街镇坐席必须指定所属街镇');
  };

  app.get(
    '/api/users',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: 'User accounts (admin)',
        querystring: Type.Object({ role: Type.Optional(literals(ROLES)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(UserOut) }) },
      },
    },
    async (req) => ({ items: userAdmin.list(req.query).map(userView) }),
  );

  app.post(
    '/api/users',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: 'Create a user account with its role, unit and seat (admin)',
        body: body({ username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.@-]+$' }), password: Password, role: literals(ROLES), ...UserUnitFields }),
        response: { 201: UserOut },
      },
    },
    async (req, reply) => {
      const b = req.body as unknown as UserFields & { username: string; password: string; role: Role };
      checkUnits(b.role, b);
      return reply.status(201).send(userView(await userAdmin.create(b)));
    },
  );

  app.patch(
    '/api/users/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['registries'],
        summary: "Disable or enable a user (`active`; a disabled user's tokens stop working at once), reset the password, change role, unit or seat (admin)",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: body({ active: Type.Optional(Type.Boolean()), password: Type.Optional(Password), role: Type.Optional(literals(ROLES)), ...UserUnitFields }, { minProperties: 1 }),
        response: { 200: UserOut },
      },
    },
    async (req) => {
      const before = userAdmin.get(req.params.id);
      if (!before) throw notFound('用户');
      const b = req.body as unknown as UserFields & { password?: string };
      if (b.active === false && before.id === req.actor.userId) throw badRequest('active: 不能停用自己的账号');
      const role = b.role ?? (before.role as Role);
      checkUnits(role, {
        departmentId: b.departmentId !== undefined ? b.departmentId : before.departmentId,
        street: b.street !== undefined ? b.street : before.street,
        seatId: b.seatId !== undefined ? b.seatId : before.seatId,
      });
      return userView(await userAdmin.update(before.id, b));
    },
  );
};

export default routes;
