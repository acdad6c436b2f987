import fp from 'fastify-plugin';
import { badRequest } from '../shared/errors.js';

// lone UTF-16 surrogates: not text, and SQLite would store them as replacement characters
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// control characters other than tab, line feed and carriage return
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// format characters (zero-width space, joiners, bidi marks…) and blank-looking fillers
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\u180E]/u;
const INVISIBLE_OR_BLANK = /[\s\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\u180E]/gu;
const DATE_START = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

/** Why a string is not acceptable input, or null. `name` is the field's last path part. */
export function textProblem(s: string, name = 'value'): string | null {
  if (LONE_SURROGATE.test(s)) return '含有无效的 Unicode 字符';
  if (CONTROL.test(s)) return '含有控制字符';
  if (INVISIBLE.test(s) && s.replace(INVISIBLE_OR_BLANK, '') === '') return '只含不可见字符';
  const d = DATE_START.exec(s);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const date = new Date(Date.UTC(y, m - 1, day));
    // the English half is what the statistics API has always said (its clients match on it)
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== day) return `不是有效的日期（${name} is not a calendar day: ${s.slice(0, 40)}）`;
    if (s.length > 10 && !Number.isFinite(Date.parse(s))) return `不是有效的日期时间（${name} is not a date-time: ${s.slice(0, 40)}）`;
  }
  return null;
}

/** Why a number is not acceptable input (not finite, or an integer past what SQLite and JS both hold exactly). */
export function numberProblem(n: number): string | null {
  if (!Number.isFinite(n)) return '不是有限的数字';
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return '超出允许的整数范围';
  return null;
}

/** The first unacceptable value in a request part, as `part.path: why`. */
export function findProblem(value: unknown, path: string, depth = 0, budget = { nodes: 20_000 }): string | null {
  if (--budget.nodes < 0 || depth > 32) return `${path}: 结构过深或过大`;
  if (typeof value === 'string') {
    const p = textProblem(value, path.slice(path.lastIndexOf('/') + 1));
    return p ? `${path} ${p}` : null;
  }
  if (typeof value === 'number') {
    const p = numberProblem(value);
    return p ? `${path} ${p}` : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findProblem(value[i], `${path}/${i}`, depth + 1, budget);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const kp = textProblem(k);
      if (kp) return `${path} 的字段名${kp}`;
      const p = findProblem(v, `${path}/${k}`, depth + 1, budget);
      if (p) return p;
    }
  }
  return null;
}

/**
 * Every string and number a route takes is checked for what the database and the
 * people reading it can take, after the route's schema (so values are already coerced):
 * invalid Unicode, control characters, invisible-only text, impossible dates,
 * integers past 2^53. A clear 400 naming the field, before any handler runs.
 */
export default fp(
  async (app) => {
    app.addHook('preHandler', async (req) => {
      const problem = findProblem(req.params, 'params') ?? findProblem(req.query, 'querystring') ?? findProblem(req.body, 'body');
      if (problem) throw badRequest(problem);
    });
  },
  { name: 'input-checks' },
);
