import fp from 'fastify-plugin';
import type { Socket } from 'node:net';

/** Seconds a client has to send a request's head, and the whole request with its body. */
export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** All open connections, whoever holds them. */
const MAX_CONNECTIONS = 10_000;

/**
 * Bounds on the HTTP listener: a slow body or a slow head times out, and one client
 * address cannot hold more than `perClient` connections (the rest are closed as they
 * arrive). Websockets count while open.
 */
export default fp(
  async (app, opts: { perClient: number }) => {
    const server = app.server;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
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
