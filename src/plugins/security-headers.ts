import fp from 'fastify-plugin';

/**
 * The pages load only their own files: no inline script or style (web/*.html keep
 * theirs in web/js and web/css), no framing, no sniffing, no referrer to other sites.
 * Five fixed headers written here rather than @fastify/helmet: its CSP would have to be
 * switched off again route by route for swagger-ui's inline bootstrap on /docs.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
// swagger-ui's page has inline script and style of its own
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export default fp(
  async (app) => {
    app.addHook('onSend', async (req, reply) => {
      const url = req.routeOptions.url ?? '';
      // a route may set a stricter one of its own (attachments: sandboxed, nothing loads)
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', url.startsWith('/docs') ? DOCS_CSP : PAGE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cross-origin-opener-policy', 'same-origin');
      if ((url.startsWith('/api') || url.startsWith('/ws')) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security-headers' },
);
