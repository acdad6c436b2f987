import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordOnlineQuestion } from '../answering/online-log.js';
import { KbCategorySchema, KbTypeSchema, SearchItemSchema } from './http-schemas.js';
import { readerOf } from './reader.js';
import type { KnowledgeBase } from './services.js';

/** Searching the knowledge base and citizens' online smart answering; both open to citizens. */
const searchRoutes: FastifyPluginAsyncTypebox<{ kb: KnowledgeBase }> = async (app, { kb }) => {
  app.get(
    '/api/kb/search',
    {
      config: { public: true, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags: ['knowledge base'],
        summary: 'Search entries in Chinese or other text (citizens: published, in effect)',
        querystring: Type.Object(
          {
            q: Type.String({ maxLength: 200, description: 'words to find; 2-character Chinese words such as 低保 match' }),
            type: Type.Optional(KbTypeSchema),
            category: Type.Optional(KbCategorySchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
            includeDrafts: Type.Optional(Type.Boolean({ default: false, description: 'staff only: also unpublished or out-of-effect entries' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(SearchItemSchema), match: Type.Union([Type.Literal('all'), Type.Literal('some')]) }) },
      },
    },
    async (req) => kb.search(req.query, await readerOf(req)),
  );

  app.post(
    '/api/answer',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['knowledge base'],
        summary: "Online smart answering: the best published entries, or a ticket when none answers",
        security: [],
        body: Type.Object(
          {
            question: Type.String({ minLength: 1, maxLength: 500 }),
            name: Type.Optional(Type.String({ maxLength: 50 })),
            phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            answered: Type.Boolean(),
            confidence: Type.Number({ minimum: 0, maximum: 1 }),
            entries: Type.Array(
              Type.Object({ id: Type.Integer(), title: Type.String(), snippet: Type.String(), type: KbTypeSchema, category: KbCategorySchema, confidence: Type.Number({ minimum: 0, maximum: 1 }) }),
            ),
            ticket: Type.Union([Type.Object({ id: Type.Integer(), number: Type.String() }), Type.Null()]),
            message: Type.String(),
          }),
        },
      },
    },
    async (req) => {
      const answer = kb.answer(req.body);
      // every question counts in the statistics (GET /api/stats/online); the answer goes out regardless
      try {
        recordOnlineQuestion(app.services.db, { at: app.services.now(), question: req.body.question, answered: answer.answered, confidence: answer.confidence, entryIds: answer.entries.map((e) => e.id), ticketId: answer.ticket?.id ?? null });
      } catch (err) {
        req.log.error({ err }, 'online question not recorded');
      }
      return answer;
    },
  );
};

export default searchRoutes;
