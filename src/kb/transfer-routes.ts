import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { KB_AUTHORS } from './lifecycle.js';
import { ImportBody, ImportEntry, KbCategorySchema, KbStatusSchema, KbTypeSchema } from './http-schemas.js';
import { entryContent, type Entry } from './entries.js';
import type { Role } from '../auth/services.js';

const tags = ['knowledge base'];
const EXPORT_LIMIT = 100_000;

/** The JSON a department sends back in bulk: what it writes, plus id/status/version for reference. */
function exported(e: Entry) {
  return {
    id: e.id,
    ref: e.ref,
    ...entryContent(e),
    status: e.status,
    version: e.version,
  };
}

/** Bulk exchange of entries as JSON, so departments can submit many at once. */
const transferRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
  const authors = app.requireRole(...(KB_AUTHORS as Role[]));

  app.post(
    '/api/kb/import',
    {
      preHandler: authors,
      schema: {
        tags,
        summary: 'Import entries (all or nothing); they arrive as submitted, awaiting an admin',
        body: ImportBody,
        response: { 201: Type.Object({ created: Type.Integer(), ids: Type.Array(Type.Integer()) }) },
      },
    },
    async (req, reply) => {
      const entries = kb.entries.importEntries(req.body.entries, req.actor);
      return reply.status(201).send({ created: entries.length, ids: entries.map((e) => e.id) });
    },
  );

  app.get(
    '/api/kb/export',
    {
      preHandler: authors,
      schema: {
        tags,
        summary: 'Export entries as JSON that /api/kb/import takes back (departments: their own)',
        querystring: Type.Object(
          { status: Type.Optional(KbStatusSchema), type: Type.Optional(KbTypeSchema), category: Type.Optional(KbCategorySchema) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ format: Type.Literal('hotline-kb/1'), exportedAt: Type.String({ format: 'date-time' }), entries: Type.Array(ImportEntry) }) },
      },
    },
    async (req) => {
      const own = req.actor.role === 'department' ? { sourceDepartment: req.actor.departmentId ?? '\u0000' } : {};
      const { items } = kb.entries.list({ ...req.query, ...own, limit: EXPORT_LIMIT });
      return { format: 'hotline-kb/1' as const, exportedAt: new Date(app.services.now()).toISOString(), entries: items.map(exported) };
    },
  );
};

export default transferRoutes;
