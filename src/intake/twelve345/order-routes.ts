import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { badRequest, HttpError } from '../../shared/errors.js';
import { TicketSchema } from '../../tickets/routes.js';
import { ticketView } from '../../tickets/views.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';
import { recordUrge } from './urge.js';

const instant = (description = 'ISO 8601 with a time zone') => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$', description });
const Optional = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

const OrderBody = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$', description: "12345's order id; a repeat returns the same ticket" }),
    // at least one digit: "   " or "()" is no number
    callerNumber: Type.String({ minLength: 1, maxLength: 32, pattern: '^[+*#() -]*[0-9][0-9+*#() -]*$' }),
    content: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }),
    callerName: Optional(64),
    category: Optional(64),
    address: Optional(500),
    street: Optional(64),
    receivedAt: Type.Optional(Type.Union([instant(), Type.Null()])),
    dueAt: Type.Optional(Type.Union([instant("12345's own deadline for the order (ISO 8601); the ticket's orderDueAt"), Type.Null()])),
  },
  // 12345 may send more than this; what is not listed is ignored
  { additionalProperties: true },
);

const unauthorized = () => new HttpError(401, 'unauthorized', '缺少或错误的签名（X-Signature）');

/**
 * 12345's JSON is checked as sent, without the app's type coercion: `"orderId": 1234…`
 * as a number is rounded past 2^53 (two orders would share one id, and the second be
 * answered as a repeat of the first), and `"content": true` is no order text.
 */
const strictValidator = ({ schema, httpPart }: { schema: unknown; httpPart?: string }) => (data: unknown) => {
  if (Value.Check(schema as TSchema, data)) return { value: data };
  const first = [...Value.Errors(schema as TSchema, data)][0] as { instancePath?: string; message?: string } | undefined;
  const field = `${httpPart ?? 'body'}${first?.instancePath ?? ''}`;
  return { error: new HttpError(400, 'bad_request', `${field} 无效：${first?.message ?? '不符合要求'}`, { field: field.replace(/^body\/?/, '').replaceAll('/', '.') || 'body' }) };
};

/**
 * POST /api/integrations/12345/orders (DESIGN §7). Public, because it is authenticated
 * by the signature over the raw body: this plugin is encapsulated so its body parser,
 * which keeps and checks the raw bytes, applies to this route alone.
 */
const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { secret } = app.services.config.integration12345;
  const signed = new WeakSet<FastifyRequest>();

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (req, raw, done) => {
    // the signature comes first: an unsigned request learns nothing, not even that its JSON is bad
    if (!verifySignature(secret, raw as Buffer, req.headers[SIGNATURE_HEADER])) return done(unauthorized(), undefined);
    signed.add(req);
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
      return done(new HttpError(415, 'unsupported_media_type', '请以 application/json 发送'), undefined);
    }
    try {
      done(null, JSON.parse((raw as Buffer).toString('utf8')));
    } catch {
      done(badRequest('body 不是有效的 JSON'), undefined);
    }
  });
  // a request without a body never reaches the parser
  app.addHook('preValidation', async (req) => {
    if (signed.has(req)) return;
    if (verifySignature(secret, Buffer.alloc(0), req.headers[SIGNATURE_HEADER])) throw badRequest(req.url.endsWith('/urge') ? 'body: 催办需要 JSON 内容 { reason }' : 'an order is required');
    throw unauthorized();
  });

  app.post(
    '/api/integrations/12345/orders',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      validatorCompiler: strictValidator,
      schema: {
        tags: ['integrations'],
        summary: 'A work order transferred from 12345 (signed, idempotent by orderId)',
        headers: Type.Object({ 'x-signature': Type.String({ description: 'hex HMAC-SHA256 of the raw body, secret INTEGRATION_12345_SECRET' }) }),
        body: OrderBody,
        response: { 200: TicketSchema, 201: TicketSchema },
      },
    },
    async (req, reply) => {
      const o = req.body;
      if (o.dueAt && !Number.isFinite(Date.parse(o.dueAt))) throw badRequest(`body/dueAt 不是有效的时间：${o.dueAt}`);
      const { ticket, created } = app.services.intake.orders.accept({
        orderId: o.orderId,
        callerNumber: o.callerNumber.trim(),
        content: o.content,
        callerName: o.callerName ?? undefined,
        category: o.category ?? undefined,
        address: o.address ?? undefined,
        street: o.street ?? undefined,
        receivedAt: o.receivedAt ?? undefined,
        dueAt: o.dueAt ?? undefined,
      });
      // 12345 sent these details itself: it gets them back in clear
      return reply.status(created ? 201 : 200).send(ticketView(ticket, true));
    },
  );

  app.post(
    '/api/integrations/12345/orders/:orderId/urge',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      validatorCompiler: strictValidator,
      schema: {
        tags: ['integrations'],
        summary: '12345 urges (催办) an order it transferred (signed like an order): recorded, flagged, the holder alerted',
        headers: Type.Object({ 'x-signature': Type.String({ description: 'hex HMAC-SHA256 of the raw body, secret INTEGRATION_12345_SECRET' }) }),
        params: Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$' }) }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'what 12345 says (市民催促…)' }) }, { additionalProperties: true }),
        response: { 200: Type.Object({ ticketId: Type.Integer(), ticketNumber: Type.String(), status: Type.String(), urgeCount: Type.Integer() }) },
      },
    },
    async (req) => {
      const { tickets, bus, now } = app.services;
      const t = recordUrge(tickets, bus, now, req.params.orderId, req.body.reason.trim());
      return { ticketId: t.id, ticketNumber: t.number, status: t.status, urgeCount: t.urgeCount };
    },
  );
};

export default orderRoutes;
