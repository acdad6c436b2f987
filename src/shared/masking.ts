/**
 * The one masking policy for caller data (第二十三条, DESIGN §6). Every place a caller's
 * number, name, e-mail, address or own words reach someone who does not work the
 * ticket goes through these: ticket fields, history event data, socket pushes, CSV,
 * the server's log.
 */

const STAR = '*';

/**
 * A phone number keeps at most its first 3 and last 2 digits: 13800138000 →
 * 138******00, 64381234 → 643***34; shorter numbers keep less (a 5–7 digit one its
 * first and last digit, anything shorter nothing). Separators are kept.
 */
export function maskNumber(n: string | null): string | null {
  if (!n) return n;
  const digits = [...n].filter((c) => c >= '0' && c <= '9').length;
  const [head, tail] = digits >= 8 ? [3, 2] : digits >= 5 ? [1, 1] : [0, 0];
  let seen = 0;
  return [...n]
    .map((c) => {
      if (c < '0' || c > '9') return c;
      seen += 1;
      return seen <= head || seen > digits - tail ? c : STAR;
    })
    .join('');
}

/** Two-character surnames, so 欧阳娜娜 keeps 欧阳 and not a given name's first character. */
const COMPOUND_SURNAMES = new Set(
  '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 赫连 第五 司空 鲜于 闾丘 东郭 拓跋'.split(' '),
);

/** A name keeps the surname only, with a fixed `**` (the length of the given name is not told). */
export function maskName(n: string | null): string | null {
  if (!n) return n;
  const name = n.trim();
  const chars = [...name];
  if (!chars.length) return '**';
  if (/^[\p{Script=Han}·]+$/u.test(name)) {
    const two = chars.slice(0, 2).join('');
    return (chars.length > 2 && COMPOUND_SURNAMES.has(two) ? two : chars[0]) + '**';
  }
  // a Latin-script name: the family name is usually last ("Wei Chen"), or the only word
  const words = name.split(/\s+/);
  return (words.length > 1 ? `${words.at(-1)!}` : chars[0]) + ' **';
}

export function maskEmail(e: string | null): string | null {
  if (!e) return e;
  const at = e.lastIndexOf('@');
  if (at < 0) return `${[...e][0] ?? ''}***`;
  return `${[...e.slice(0, at)][0] ?? ''}***@${e.slice(at + 1)}`;
}

/** Where an address stops being the street: 徐汇区田林东路8号302室 → 徐汇区田林东路***. */
const STREET_END = /(?:街道|大道|公路|路|街|巷|弄|镇|乡|村|Road|Rd\.?|Street|St\.?|Lane|Avenue)/giu;

/** An address keeps its district and street; house, building and room numbers go. */
export function maskAddress(a: string | null): string | null {
  if (!a) return a;
  let end = -1;
  for (const m of a.matchAll(STREET_END)) {
    // the first street-level word before any number (a 弄 after a number is not a street)
    const before = a.slice(0, m.index);
    if (/\d/.test(before)) break;
    end = m.index + m[0].length;
  }
  if (end < 0) {
    const digit = a.search(/\d/);
    end = digit < 0 ? Math.min([...a].length, 6) : digit;
    end = Math.min(end, 6);
  }
  const kept = a.slice(0, end);
  return kept.length < a.length ? `${kept}***` : kept;
}

// ID cards (18 digits with a check digit, or the old 15), mobiles, landlines with or
// without the area code; bounded by non-digits so ticket numbers and times stay whole
const ID_CARD = /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])|(?<!\d)\d{15}(?!\d)/g;
const MOBILE = /(?<![\d-])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d-])/g;
const LANDLINE = /(?<![\d-])(?:\(?0\d{2,3}\)?[- ]?)?[2-9]\d{3}[- ]?\d{4}(?![\d-])/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

/**
 * Free text (content, notes, replies, mail bodies) for a masked viewer: phone and ID-card
 * numbers masked like a caller's number, e-mail addresses like a caller's e-mail.
 */
export function scrubText(text: string | null): string | null {
  if (!text) return text;
  return text
    .replace(ID_CARD, (m) => m.slice(0, 3) + STAR.repeat(m.length - 5) + m.slice(-2))
    .replace(MOBILE, (m) => maskNumber(m)!)
    .replace(LANDLINE, (m) => maskNumber(m)!)
    .replace(EMAIL, (m) => maskEmail(m)!);
}

/** Log lines: mobiles, area-coded landlines and ID cards (bare 8-digit runs are too often other things). */
export function scrubLog(text: string): string {
  return text
    .replace(ID_CARD, (m) => m.slice(0, 3) + STAR.repeat(m.length - 5) + m.slice(-2))
    .replace(MOBILE, (m) => maskNumber(m)!)
    .replace(/(?<![\d-])\(?0\d{2,3}\)?[- ]?[2-9]\d{6,7}(?![\d-])/g, (m) => maskNumber(m)!);
}

/** Query parameters whose value never goes into a log. */
const SECRET_PARAMS = new Set(['token', 'callernumber', 'phone', 'password', 'secret', 'access_token', 'email', 'calleremail']);

/** A request URL fit for the log: secret and caller parameters blanked, numbers in the path scrubbed. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  const path = scrubLog(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a broken escape: judged as written
      }
      return SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=[redacted]` : scrubLog(pair);
    })
    .join('&');
  return `${path}?${query}`;
}

/** Keys of event data that hold caller data, and how each is masked. */
const FIELD_MASKS: Record<string, (v: string) => string | null> = {
  callerNumber: maskNumber,
  phone: maskNumber,
  callerName: maskName,
  callerEmail: maskEmail,
  email: maskEmail,
  from: maskEmail,
  address: maskAddress,
};

/** History event data for a masked viewer: caller fields masked by key, every other string scrubbed. */
export function maskData(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((v) => maskData(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = Object.hasOwn(FIELD_MASKS, k) && typeof v === 'string' ? FIELD_MASKS[k](v) : maskData(v, depth + 1);
    }
    return out;
  }
  return value;
}
