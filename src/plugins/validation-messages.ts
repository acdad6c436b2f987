// Validation errors in the words of the people who read them: the field (as the request
// names it), what is wrong, and the values allowed when there is a list. The response
// keeps `error: 'bad_request'` for programs, with `field` (and `allowed`) beside the message.
import type { ErrorObject } from 'ajv';

type Issue = ErrorObject & { parentSchema?: { anyOf?: Array<{ const?: unknown }>; description?: string; enum?: unknown[] } };

const TYPE: Record<string, string> = { string: '文字', integer: '整数', number: '数字', boolean: '布尔值（true 或 false）', object: '对象', array: '数组', null: 'null' };
const PART: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

export interface Explained {
  message: string;
  field: string;
  allowed?: unknown[];
}

/** The one issue to tell (ajv's last: an anyOf comes after its branches) in Chinese. */
export function explainValidation(issues: readonly Issue[], part: string | undefined): Explained {
  const e = issues[issues.length - 1];
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty ?? '') : '';
  const field = missing ? (path ? `${path}.${missing}` : missing) : path || (PART[part ?? ''] ?? part ?? '请求');
  const allowed = allowedValues(e);
  const p = e.params as Record<string, unknown>;
  const words = ((): string => {
    switch (e.keyword) {
      case 'required':
        return `缺少必填字段 ${field}`;
      case 'additionalProperties':
        // the name as JSON text: a broken one (a lone surrogate, a control character) is shown escaped
        return `${PART[part ?? ''] ?? '请求'}中有不认识的字段名 ${path ? `${path}.` : ''}${JSON.stringify(String(p.additionalProperty)).slice(1, -1).slice(0, 60)}`;
      case 'type':
        return `${field} 应为${TYPE[String(p.type)] ?? String(p.type)}`;
      case 'minLength':
        return Number(p.limit) <= 1 ? `${field} 不能为空` : `${field} 至少 ${String(p.limit)} 个字符`;
      case 'maxLength':
        return `${field} 最多 ${String(p.limit)} 个字符`;
      case 'minimum':
      case 'exclusiveMinimum':
        return `${field} 不能小于${e.keyword === 'exclusiveMinimum' ? '或等于' : ''} ${String(p.limit)}`;
      case 'maximum':
      case 'exclusiveMaximum':
        return `${field} 不能大于${e.keyword === 'exclusiveMaximum' ? '或等于' : ''} ${String(p.limit)}`;
      case 'minItems':
        return `${field} 至少 ${String(p.limit)} 项`;
      case 'maxItems':
        return `${field} 最多 ${String(p.limit)} 项`;
      case 'uniqueItems':
        return `${field} 中有重复的项`;
      case 'pattern':
        return `${field} 格式不对${e.parentSchema?.description ? `（应为 ${e.parentSchema.description}）` : ''}`;
      case 'format':
        return `${field} 不是有效的 ${String(p.format)}`;
      case 'enum':
      case 'const':
      case 'anyOf':
        return allowed ? `${field} 只能是：${allowed.map(String).join('、')}` : `${field} 不符合允许的格式`;
      default:
        return `${field} 无效（${e.message ?? e.keyword}）`;
    }
  })();
  return { message: words, field, ...(allowed ? { allowed } : {}) };
}

/** the values a field may take: an enum, a const, or a union of consts */
function allowedValues(e: Issue): unknown[] | undefined {
  const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
  if (e.keyword === 'enum' && p.allowedValues) return p.allowedValues;
  if (e.keyword === 'const') return [p.allowedValue];
  const anyOf = e.parentSchema?.anyOf;
  if (e.keyword === 'anyOf' && anyOf?.length && anyOf.every((s) => s && 'const' in s)) return anyOf.map((s) => s.const);
  return undefined;
}
