import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { iso } from '../shared/time.js';
import { IdParams, SynonymBody, SynonymGroupSchema } from './http-schemas.js';
import type { SynonymGroup } from './synonyms.js';

const tags = ['knowledge base'];
const view = (g: SynonymGroup) => ({ ...g, updatedAt: iso(g.updatedAt)! });

/**
 * The vocabulary matching reads through: groups whose first term is the formal one and
 * the rest how citizens say it (丢了 → 遗失). Anyone on staff reads, admins edit; a change
 * rebuilds the index on the next search.
 */
const synonymRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
  const adminOnly = app.requireRole('admin');

  app.get(
    '/api/kb/synonyms',
    { schema: { tags, summary: 'Vocabulary groups (first term formal, the others colloquial or other ways of saying it)', response: { 200: Type.Object({ items: Type.Array(SynonymGroupSchema) }) } } },
    async () => ({ items: kb.synonyms.list().map(view) }),
  );

  app.post(
    '/api/kb/synonyms',
    { preHandler: adminOnly, schema: { tags, summary: 'Add a vocabulary group, formal term first (admin)', body: SynonymBody, response: { 201: SynonymGroupSchema } } },
    async (req, reply) => reply.status(201).send(view(kb.synonyms.create(req.body.terms, req.actor))),
  );

  app.put(
    '/api/kb/synonyms/:id',
    { preHandler: adminOnly, schema: { tags, summary: 'Replace the terms of a synonym group (admin)', params: IdParams, body: SynonymBody, response: { 200: SynonymGroupSchema } } },
    async (req) => view(kb.synonyms.update(req.params.id, req.body.terms, req.actor)),
  );

  app.delete(
    '/api/kb/synonyms/:id',
    { preHandler: adminOnly, schema: { tags, summary: 'Delete a synonym group (admin)', params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      kb.synonyms.remove(req.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default synonymRoutes;
