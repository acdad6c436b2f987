import fp from 'fastify-plugin';
import type { Socket } from 'node:net';

/** ms a client has to send a request's head (at most the whole request's time). */
export const HEADERS_TIMEOUT_MS = 15_000;
/** node checks the two timeouts this often (set where app.ts creates the server) */
export const checkingInterval = (requestTimeoutMs: number) => Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 4)));
/** All open connections, whoever holds them. */
const MAX_CONNECTIONS = 10_000;

/**
 * Bounds on the HTTP listener: a slow body or a slow head times out, and one client
 * address cannot hold more than `perClient` connections (the rest are closed as they
 * arrive). Websockets count while open.
 */
export default fp(
  async (app, opts: { perClient: number; requestTimeoutMs: number }) => {
    const server = app.server;
    server.requestTimeout = opts.requestTimeoutMs;
    server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, opts.requestTimeoutMs);
    server.maxConnections = MAX_CONNECTIONS;
    const open = new Map<string, number>();
    server.on('connection', (socket: Socket) => {
      const who = socket.remoteAddress ?? '?';
      const n = (open.get(who) ?? 0) + 1;
      if (n > opts.perClient) {
        socket.destroy();
        return;
      }
      open.set(who, n);
      socket.once('close', () => {
        const left = (open.get(who) ?? 1) - 1;
        if (left <= 0) open.delete(who);
        else open.set(who, left);
      });
    });
  },
  { name: 'connections' },
);
