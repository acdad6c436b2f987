import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { iso, shanghaiInstant } from '../shared/time.js';
import { Day, IdParams } from './http-schemas.js';
import type { OnlineQuestionRow } from './online-questions.js';
import type { PhrasingProposal } from './phrasings.js';
import { ONLINE_OUTCOMES, PHRASING_STATUSES } from './schema.js';

const tags = ['knowledge base'];
const Outcome = Type.Enum(ONLINE_OUTCOMES, { description: 'answered | suggested (choices offered) | unanswered | out_of_scope (pointed to 12345)' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const OnlineQuestionSchema = Type.Object({
  id: Type.Integer(),
  question: Type.String(),
  askedAt: Type.String({ format: 'date-time' }),
  outcome: Outcome,
  confidence: Type.Number(),
  entryId: Nullable(Type.Integer()),
  entryIds: Type.Array(Type.Integer(), { description: 'every entry offered, best first' }),
  answered: Type.Boolean({ description: 'the knowledge base answered it (outcome answered)' }),
  ticketId: Nullable(Type.Integer()),
  linkedEntryId: Nullable(Type.Integer()),
  linkedBy: Nullable(Type.String()),
});
const questionView = (q: OnlineQuestionRow) => ({ ...q, askedAt: iso(q.askedAt)!, confidence: q.confidence / 100, answered: q.outcome === 'answered' });

const ProposalSchema = Type.Object({
  id: Type.Integer(),
  entryId: Type.Integer(),
  question: Type.String(),
  ticketId: Nullable(Type.Integer()),
  onlineQuestionId: Nullable(Type.Integer()),
  proposedBy: Type.String(),
  proposedAt: Type.String({ format: 'date-time' }),
  status: Type.Enum(PHRASING_STATUSES),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  acceptedVersion: Nullable(Type.Integer()),
});
const proposalView = (p: PhrasingProposal) => ({ ...p, proposedAt: iso(p.proposedAt)!, decidedAt: iso(p.decidedAt) });

/** Online questions as staff see them, and the KB review of phrasings learnt from the desk. */
const learningRoutes: FastifyPluginAsyncTypebox= async (app) => {
  const { kb } = app.services;
  const staff = app.requireRole('operator', 'supervisor', 'admin', 'inspector');

  app.get(
    '/api/kb/online-questions',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'Questions asked online, newest first (the gaps: outcome=unanswered or suggested)',
        querystring: Type.Object(
          { outcome: Type.Optional(Outcome), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(OnlineQuestionSchema) }) },
      },
    },
    async (req) => ({ items: kb.online.list({ outcome: req.query.outcome, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }).map(questionView) }),
  );

  app.get(
    '/api/kb/online-questions/counts',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'How many online questions were answered, offered choices, unanswered or out of scope (pointed to 12345)',
        querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false }),
        response: { 200: Type.Object({ answered: Type.Integer(), suggested: Type.Integer(), unanswered: Type.Integer(), out_of_scope: Type.Integer() }) },
      },
    },
    async (req) => kb.online.counts({ from: req.query.from ? shanghaiInstant(req.query.from) : undefined, to: req.query.to ? shanghaiInstant(req.query.to) + 86_400_000 : undefined }),
  );

  app.post(
    '/api/kb/online-questions/:id/link',
    {
      preHandler: app.requireRole('operator', 'supervisor', 'admin'),
      schema: {
        tags,
        summary: 'Say which published entry answers an online question: the question is proposed as a phrasing of it',
        params: IdParams,
        body: Type.Object({ entryId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ proposal: Nullable(ProposalSchema) }) },
      },
    },
    async (req) => {
      const p = kb.linkOnlineQuestion(req.params.id, req.body.entryId, req.actor);
      return { proposal: p ? proposalView(p) : null };
    },
  );

  app.get(
    '/api/kb/phrasings',
    {
      preHandler: app.requireRole('admin', 'supervisor', 'department'),
      schema: {
        tags,
        summary: 'Proposed phrasings (相似问法) learnt from the desk, for the KB review',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(PHRASING_STATUSES)), entryId: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ProposalSchema) }) },
      },
    },
    async (req) => ({ items: kb.phrasings.list({ status: req.query.status, entryId: req.query.entryId, limit: req.query.limit ?? 100 }).map(proposalView) }),
  );

  for (const decision of ['accept', 'reject'] as const) {
    app.post(
      `/api/kb/phrasings/:id/${decision}`,
      {
        preHandler: app.requireRole('admin'),
        schema: {
          tags,
          summary: decision === 'accept' ? "Accept a proposed phrasing: it joins the entry's questions in a new version (admin)" : 'Turn a proposed phrasing down (admin)',
          params: IdParams,
          response: { 200: ProposalSchema },
        },
      },
      async (req) => proposalView(kb.phrasings.decide(req.params.id, decision === 'accept', req.actor)),
    );
  }
};

export default learningRoutes;
