import parseRange from 'range-parser';
import type { FastifyReply } from 'fastify';
import type { StoredAudio } from './store.js';

/**
 * Sends audio with byte ranges, so a browser's player can seek: `Range: bytes=a-b` →
 * 206 with Content-Range; past the end → 416; no or unreadable Range (or several
 * ranges, which players do not ask for) → the whole file, 200. Accept-Ranges always.
 */
export function sendAudio(reply: FastifyReply, audio: StoredAudio, range: string | undefined): FastifyReply {
  const size = audio.body.length;
  reply.header('accept-ranges', 'bytes').header('content-type', audio.contentType).header('cache-control', 'private, no-store');
  if (range) {
    const ranges = parseRange(size, range, { combine: true });
    if (ranges === -1) {
      return reply
        .code(416)
        .header('content-range', `bytes */${size}`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ field: 'range', error: 'range_not_satisfiable', message: `请求的范围超出录音长度（${size} 字节）` }));
    }
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      const { start, end } = ranges[0];
      return reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`).header('content-length', end - start + 1).send(audio.body.subarray(start, end + 1));
    }
  }
  return reply.code(200).header('content-length', size).send(audio.body);
}

/** The range a request asked for, as the audit records it. */
export const rangeText = (range: string | undefined) => (range && range.length <= 100 ? range : range ? `${range.slice(0, 100)}…` : null);
