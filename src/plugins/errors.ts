import fp from 'fastify-plugin';
import { HttpError } from '../shared/errors.js';

/** Every error leaves as { error, message }: a clear 4xx for bad input, a bare 500 otherwise. */
export default fp(
  async (app) => {
    app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
      if (err instanceof HttpError) {
        const retryAfter = (err as HttpError & { retryAfter?: number }).retryAfter;
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        return reply.status(err.statusCode).send({ ...err.details, error: err.code, message: err.message });
      }
      if (err.validation) {
        return reply.status(400).send({ error: 'bad_request', message: err.message });
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.status(status).send({ error: err.code ?? 'bad_request', message: err.message });
      }
      req.log.error({ err }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: 'internal error' });
    });
    app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
  },
  { name: 'errors' },
);
