import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../shared/actor.js';
import { notFound } from '../shared/errors.js';
import { departmentScope, type Entry } from './entries.js';
import {
  EditEntryBody,
  EntrySchema,
  EventSchema,
  IdParams,
  KbActionSchema,
  KbCategorySchema,
  KbStatusSchema,
  KbTypeSchema,
  NewEntryBody,
  VersionSchema,
  entryView,
  eventView,
  versionView,
} from './http-schemas.js';
import { readerOf } from './reader.js';

const tags = ['knowledge base'];

/** Entries: writing them, their versions, and moving them draft → submitted → published → withdrawn. */
const entryRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
  /** Citizens see an entry only while it is published and in effect; departments their own in any state. */
  const mayRead = (reader: Actor | null, e: Entry): boolean => {
    if (!reader) {
      const today = kb.today();
      return e.status === 'published' && (!e.effectiveFrom || e.effectiveFrom <= today) && (!e.effectiveUntil || e.effectiveUntil >= today);
    }
    if (reader.role === 'department') return e.status === 'published' || e.sourceDepartment === reader.departmentId;
    return true;
  };
  const readable = (reader: Actor | null, id: number): Entry => {
    const e = kb.entries.get(id);
    // an entry you may not read does not exist for you
    if (!e || !mayRead(reader, e)) throw notFound('知识库条目');
    return e;
  };

  app.get(
    '/api/kb/entries',
    {
      schema: {
        tags,
        summary: 'Entries, latest change first (departments: published ones and their own)',
        querystring: Type.Object(
          {
            status: Type.Optional(KbStatusSchema),
            type: Type.Optional(KbTypeSchema),
            category: Type.Optional(KbCategorySchema),
            sourceDepartment: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(EntrySchema), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { items, total } = kb.entries.list(req.query, departmentScope(req.actor));
      return { items: items.map(entryView), total };
    },
  );

  app.get(
    '/api/kb/entries/:id',
    {
      config: { public: true, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: { tags, summary: 'One entry (public while published and in effect)', params: IdParams, response: { 200: EntrySchema } },
    },
    async (req) => entryView(readable(await readerOf(req), req.params.id)),
  );

  app.get(
    '/api/kb/entries/:id/versions',
    { schema: { tags, summary: 'Every version of an entry, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(VersionSchema) }) } } },
    async (req) => {
      readable(req.actor, req.params.id);
      return { items: kb.entries.versions(req.params.id).map(versionView) };
    },
  );

  app.get(
    '/api/kb/entries/:id/events',
    { schema: { tags, summary: "An entry's history of states", params: IdParams, response: { 200: Type.Object({ items: Type.Array(EventSchema) }) } } },
    async (req) => {
      readable(req.actor, req.params.id);
      return { items: kb.entries.events(req.params.id).map(eventView) };
    },
  );

  app.post(
    '/api/kb/entries',
    { schema: { tags, summary: 'Write a new entry (a draft); departments and admins', body: NewEntryBody, response: { 201: EntrySchema } } },
    async (req, reply) => reply.status(201).send(entryView(kb.entries.create(req.body, req.actor))),
  );

  app.patch(
    '/api/kb/entries/:id',
    { schema: { tags, summary: "Edit an entry's content: a new version", params: IdParams, body: EditEntryBody, response: { 200: EntrySchema } } },
    async (req) => {
      const { expectedVersion, note, ...changes } = req.body;
      return entryView(kb.entries.edit(req.params.id, changes, req.actor, expectedVersion, note));
    },
  );

  app.post(
    '/api/kb/entries/:id/:action',
    {
      // the body is optional: only return and withdraw need a reason
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        tags,
        summary: 'Move an entry: submit (department/admin), publish, return (admin, reason), withdraw (reason), reopen',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: KbActionSchema }),
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: EntrySchema },
      },
    },
    async (req) => entryView(kb.entries.transition(req.params.id, req.params.action, req.actor, req.body.reason)),
  );
};

export default entryRoutes;
