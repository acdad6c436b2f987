import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { KbCategorySchema, KbTypeSchema, SearchItemSchema } from './http-schemas.js';
import { readerOf } from './reader.js';

/** Searching the knowledge base and citizens' online smart answering; both open to citizens. */
const searchRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
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

  const Answered = Type.Object({
    id: Type.Integer(),
    title: Type.String(),
    snippet: Type.String(),
    body: Type.String({ description: "the entry's text, for reading the answer" }),
    type: KbTypeSchema,
    category: KbCategorySchema,
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
  });

  app.post(
    '/api/answer',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['knowledge base'],
        summary: 'Online smart answering: the best published entry and two more to choose from; below the threshold only the choices; out of scope, 12345',
        security: [],
        body: Type.Object({ question: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            answered: Type.Boolean(),
            outcome: Type.Union([Type.Literal('answered'), Type.Literal('suggested'), Type.Literal('unanswered'), Type.Literal('out_of_scope')]),
            confidence: Type.Number({ minimum: 0, maximum: 1 }),
            entries: Type.Array(Answered),
            questionId: Type.Integer({ description: 'to leave the question as a ticket (POST /api/answer/ticket)' }),
            ticket: Type.Null({ description: 'a ticket is opened only when the citizen leaves the question' }),
            message: Type.String(),
          }),
        },
      },
    },
    async (req) => {
      // kb.answer records the question (kb_online_questions) for the statistics and the learning loop
      return kb.answer(req.body);
    },
  );

  app.post(
    '/api/answer/ticket',
    {
      config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['knowledge base'],
        summary: 'The citizen leaves an unanswered question as an online ticket, with a phone number or e-mail',
        security: [],
        body: Type.Object(
          {
            questionId: Type.Integer({ minimum: 1 }),
            name: Type.Optional(Type.String({ maxLength: 50 })),
            // checked in kb.leaveQuestion, so the 400 says in Chinese which field is wrong and how
            phone: Type.Optional(Type.String({ maxLength: 32, description: '11-digit mobile or landline with area code; phone or email is required' })),
            email: Type.Optional(Type.String({ maxLength: 200, description: 'phone or email is required' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ticket: Type.Object({ id: Type.Integer(), number: Type.String() }), message: Type.String() }) },
      },
    },
    async (req, reply) => reply.status(201).send(kb.leaveQuestion(req.body)),
  );
};

export default searchRoutes;
