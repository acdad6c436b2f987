import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { create as contentDisposition } from 'content-disposition';
import { Type } from 'typebox';
import { HttpError, notFound } from '../../shared/errors.js';
import { canSee } from '../../tickets/views.js';

/** a content type we pass on as the browser's hint; anything odd is served as bytes */
const SAFE_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i;

const AttachmentSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  sha256: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  url: Type.String({ description: 'where to download it' }),
});

/**
 * A ticket's attachments (e-mail attachments today), for whoever may see the ticket:
 * listed, and downloaded as attachments, never shown inline (a citizen's HTML or SVG
 * must not run in our origin): Content-Disposition attachment with the RFC 5987 name,
 * nosniff, a sandboxing CSP, no caching. Each download is audited.
 */
const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;
  const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });

  const visibleTicket = (actor: Parameters<typeof canSee>[0], id: number) => {
    const t = s.tickets.get(id);
    if (!t || !canSee(actor, t)) throw notFound('工单');
    return t;
  };

  app.get(
    '/api/tickets/:id/attachments',
    {
      schema: {
        tags: ['tickets'],
        summary: "A ticket's attachments (name, content type, size)",
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(AttachmentSchema) }) },
      },
    },
    async (req) => {
      const t = visibleTicket(req.actor, req.params.id);
      return {
        items: s.intake.attachments.list(t.id).map((a) => ({
          id: a.id,
          name: a.name,
          contentType: a.contentType,
          size: a.size,
          sha256: a.sha256,
          createdAt: new Date(a.createdAt).toISOString(),
          url: `/api/tickets/${t.id}/attachments/${a.id}`,
        })),
      };
    },
  );

  app.get(
    '/api/tickets/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Download one attachment of a ticket (always as a download, never inline)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (req, reply) => {
      const t = visibleTicket(req.actor, req.params.id);
      const a = s.intake.attachments.get(t.id, req.params.attachmentId);
      if (!a) throw notFound('附件');
      const path = s.intake.attachments.pathOf(a);
      const size = await stat(path).then(
        (st) => st.size,
        () => null,
      );
      if (size === null) throw new HttpError(410, 'attachment_missing', '附件文件已不在存储中');
      s.users.audit(req.actor, 'attachment_download', t.id, `${a.id} ${a.name}`);
      return reply
        .header('content-type', SAFE_TYPE.test(a.contentType) ? a.contentType : 'application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', contentDisposition(a.name, { type: 'attachment' }))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(createReadStream(path));
    },
  );
};

export default attachmentRoutes;
