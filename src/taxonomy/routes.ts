// GET /api/categories (everyone signed in: desks, reports) and the admin's changes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const tags = ['categories'];
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$', description: 'a stable code stored on tickets' });
const Label = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' });
const Sub = Type.Object({ id: Type.String(), label: Type.String(), position: Type.Integer(), active: Type.Boolean() });
const Node = Type.Object({ id: Type.String(), label: Type.String(), position: Type.Integer(), active: Type.Boolean(), subcategories: Type.Array(Sub) });
const Row = Type.Object({ id: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), label: Type.String(), position: Type.Integer(), active: Type.Boolean() });
const view = (r: { id: string; parentId: string | null; label: string; position: number; active: boolean }) => ({ id: r.id, parentId: r.parentId, label: r.label, position: r.position, active: r.active });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { taxonomy } = app.services;

  app.get(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'The ticket categories and their subcategories (第十三条), with Chinese labels',
        querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Node) }) },
      },
    },
    async (req) => ({ items: taxonomy.tree(req.query.includeInactive ?? false) }),
  );

  app.post(
    '/api/categories',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        summary: 'Add a category, or a subcategory (parentId) (admin)',
        body: Type.Object({ id: Id, label: Label, parentId: Type.Optional(Id), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })) }, { additionalProperties: false }),
        response: { 201: Row },
      },
    },
    async (req, reply) => reply.status(201).send(view(taxonomy.create(req.body))),
  );

  app.patch(
    '/api/categories/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        summary: 'Relabel, reorder or retire (active: false) a category or subcategory (admin); tickets keep their code',
        params: Type.Object({ id: Id }),
        body: Type.Object({ label: Type.Optional(Label), active: Type.Optional(Type.Boolean()), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Row },
      },
    },
    async (req) => view(taxonomy.update(req.params.id, req.body)),
  );
};

export default routes;
