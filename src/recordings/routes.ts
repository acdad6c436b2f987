import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/services.js';
import type { CallRow } from '../calls/repository.js';
import type { Actor } from '../shared/actor.js';
import { HttpError, notFound } from '../shared/errors.js';
import { iso } from '../shared/time.js';
import { canSee } from '../tickets/views.js';
import type { Ticket } from '../tickets/services.js';
import { mayPlay } from './access.js';
import { LINK_TTL_MS, PlayLinks } from './links.js';
import { RecordingRepository, type RecordingKind } from './repository.js';
import { rangeText, sendAudio } from './serve.js';
import { callTimeline } from './timeline.js';

const KIND_PATH: Record<RecordingKind, string> = { call: 'recording', voice_message: 'voice-message' };
const KIND_LABEL: Record<RecordingKind, string> = { call: '通话录音', voice_message: '留言' };
const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });
const AUDIO = { description: 'the audio (audio/wav); 206 with Content-Range for a Range request, 416 past the end', type: 'string', format: 'binary' } as const;

/**
 * A ticket's call recording and voice message, played in the desk and the supervisor's
 * pages (第二十一条 质检, callbacks): served by the recording's name on the call row, from
 * Asterisk's stored recordings (store.ts), with byte ranges; every play audited like an
 * unmasked read (`recording_played`).
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;
  const repo = new RecordingRepository(s.db);
  const links = new PlayLinks(s.config.jwtSecret);

  /** The ticket and call behind a request, or the 404/403 that says why not. */
  const lookUp = (actor: Actor, ticketId: number): { t: Ticket; call: CallRow | undefined; may: boolean } => {
    const t = s.tickets.get(ticketId);
    if (!t || !canSee(actor, t)) throw notFound('工单');
    const call = s.calls.byTicket(t.id);
    return { t, call, may: mayPlay(actor, t, call, s.quality.isDrawn(call?.id)) };
  };
  const nameOf = (call: CallRow | undefined, kind: RecordingKind) => (kind === 'call' ? call?.recordingName : call?.voicemailName) ?? null;

  const play = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, ticketId: number, kind: RecordingKind, via: 'api' | 'player') => {
    const { t, call, may } = lookUp(actor, ticketId);
    if (!may) throw new HttpError(403, 'recording_forbidden', '只有受理或办理该工单的人员、主管，以及抽到该通话的质检员可以收听录音');
    const name = nameOf(call, kind);
    if (!name) throw new HttpError(404, 'no_recording', `该工单没有${KIND_LABEL[kind]}`);
    const removal = repo.removal(name);
    if (removal) throw new HttpError(410, 'recording_removed', `${KIND_LABEL[kind]}已于 ${iso(removal.removedAt)} 按保存期限（${removal.retentionDays} 天）删除`);
    const audio = await s.recordingStore.fetch(name, { cache: call?.endedAt != null });
    if (!audio) throw new HttpError(404, 'recording_missing', `${KIND_LABEL[kind]}文件不在录音库中`);
    s.users.audit(actor, 'recording_played', t.id, JSON.stringify({ recording: name, kind, range: rangeText(req.headers.range), via }));
    return sendAudio(reply, audio, req.headers.range);
  };

  for (const kind of ['call', 'voice_message'] as const) {
    app.get(
      `/api/tickets/:id/${KIND_PATH[kind]}`,
      {
        schema: {
          tags: ['recordings'],
          summary: kind === 'call' ? "The ticket's call recording (Range supported; each request audited)" : "The ticket's voice message left after hours (Range supported; each request audited)",
          params: Id,
          headers: Type.Object({ range: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: true }),
          response: { 200: AUDIO, 206: AUDIO },
        },
      },
      async (req, reply) => play(req, reply, req.actor, req.params.id, kind, 'api'),
    );
    app.post(
      `/api/tickets/:id/${KIND_PATH[kind]}/link`,
      {
        schema: {
          tags: ['recordings'],
          summary: `A link for the page's player to this ${kind === 'call' ? 'recording' : 'voice message'}, good for 10 minutes, for this user only`,
          params: Id,
          response: { 200: Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }) },
        },
      },
      async (req) => {
        const { call, may } = lookUp(req.actor, req.params.id);
        if (!may) throw new HttpError(403, 'recording_forbidden', '只有受理或办理该工单的人员、主管，以及抽到该通话的质检员可以收听录音');
        if (!nameOf(call, kind)) throw new HttpError(404, 'no_recording', `该工单没有${KIND_LABEL[kind]}`);
        const user = req.actor.userId !== undefined ? s.users.get(req.actor.userId) : undefined;
        if (!user) throw new HttpError(403, 'recording_forbidden', '需要登录用户');
        const exp = Date.now() + LINK_TTL_MS;
        const token = links.sign({ userId: user.id, tokenVersion: user.tokenVersion, ticketId: req.params.id, kind, exp });
        return { url: `/api/recordings/play/${token}`, expiresAt: new Date(exp).toISOString() };
      },
    );
  }

  // public at the HTTP level like the websockets: the link is the credential, checked here
  app.get(
    '/api/recordings/play/:token',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags: ['recordings'],
        summary: "The player's link (POST …/link): the audio, with Range; audited like the API",
        params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 400, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' }) }),
        headers: Type.Object({ range: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: true }),
        response: { 200: AUDIO, 206: AUDIO },
      },
    },
    async (req, reply) => {
      const claims = links.verify(req.params.token, Date.now());
      const user = claims ? s.users.get(claims.userId) : undefined;
      if (!claims || !user || !user.active || user.tokenVersion !== claims.tokenVersion) throw new HttpError(401, 'unauthorized', '播放链接无效或已过期，请重新打开录音');
      return play(req, reply, actorOf(user), claims.ticketId, claims.kind, 'player');
    },
  );

  app.get(
    '/api/tickets/:id/recordings',
    {
      schema: {
        tags: ['recordings'],
        summary: "What the ticket's player shows: its recordings (whether this user may play them, removed or not) and the call's timeline",
        params: Id,
        response: {
          200: Type.Object({
            mayPlay: Type.Boolean(),
            items: Type.Array(
              Type.Object({
                kind: Type.Union([Type.Literal('call'), Type.Literal('voice_message')]),
                label: Type.String(),
                name: Type.String(),
                /** null while the recording is kept */
                removedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
                path: Type.String({ description: 'GET it with the bearer token; the page asks POST path/link for its player' }),
              }),
            ),
            timeline: Type.Array(Type.Object({ at: Type.String(), step: Type.String(), label: Type.String(), offsetSeconds: Type.Number(), detail: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]) })),
            quality: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'the quality inspection of this call, for supervisors, the quality role and the seat that took it' }),
          }),
        },
      },
    },
    async (req) => {
      const { t, call, may } = lookUp(req.actor, req.params.id);
      const items = (['call', 'voice_message'] as const).flatMap((kind) => {
        const name = nameOf(call, kind);
        if (!name) return [];
        return [{ kind, label: KIND_LABEL[kind], name, removedAt: iso(repo.removal(name)?.removedAt), path: `/api/tickets/${t.id}/${KIND_PATH[kind]}` }];
      });
      const sample = call ? s.quality.sampleOfCall(call.id) : undefined;
      const seesQuality = ['supervisor', 'quality', 'admin'].includes(req.actor.role) || (!!req.actor.seatId && sample?.seatId === req.actor.seatId);
      const score = sample && seesQuality ? s.quality.scoreOf(sample.id) : undefined;
      return {
        mayPlay: may,
        items,
        timeline: callTimeline(call, s.tickets.events(t.id)),
        quality: sample && seesQuality ? { sampleId: sample.id, day: sample.day, seatId: sample.seatId, score: score ? { ...score, scoredAt: iso(score.scoredAt) } : null } : null,
      };
    },
  );
};

export default routes;
