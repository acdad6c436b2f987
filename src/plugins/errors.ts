import fp from 'fastify-plugin';
import { HttpError } from '../shared/errors.js';
import { explainValidation } from './validation-messages.js';

/** Fastify's own 4xx (body parsing), in Chinese; their codes stay as they are. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的内容类型（Content-Type）',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空，但声明为 JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求体过大',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length 与请求体长度不符',
  FST_ERR_CTP_EMPTY_TYPE: '缺少内容类型（Content-Type）',
};

/** Every error leaves as { error, message }: a clear 4xx for bad input, a bare 500 otherwise. */
export default fp(
  async (app) => {
    app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; validationContext?: string; code?: string }, req, reply) => {
      if (err instanceof HttpError) {
        const retryAfter = (err as HttpError & { retryAfter?: number }).retryAfter;
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        return reply.status(err.statusCode).send({ ...err.details, error: err.code, message: err.message });
      }
      if (Array.isArray(err.validation) && err.validation.length) {
        // the field, what is wrong with it and what it may be, in Chinese; the code stays bad_request
        return reply.status(400).send({ error: 'bad_request', ...explainValidation(err.validation, err.validationContext) });
      }
      if (err.validation) return reply.status(400).send({ error: 'bad_request', message: `请求无效：${err.message}` });
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.status(status).send({ error: err.code ?? 'bad_request', message: FRAMEWORK_MESSAGES[err.code ?? ''] ?? (status === 429 ? '请求过于频繁，请稍后再试' : `请求无效：${err.message}`) });
      }
      req.log.error({ err }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: '服务器内部错误' });
    });
    app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not_found', message: `没有这个接口：${req.method} ${req.url.split('?')[0]}` }));
  },
  { name: 'errors' },
);
