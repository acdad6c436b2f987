/**
 * Tokenizing Chinese for the knowledge-base index. Pure functions, no database.
 *
 * Chinese is written without spaces, so a word like 低保 cannot be found by splitting
 * on spaces, and FTS5's trigram tokenizer cannot match anything shorter than three
 * characters. Instead every run of Han characters is cut into overlapping character
 * pairs (最低生活 → 最低 低生 生活) and a query is matched as the phrase of its pairs:
 * consecutive pairs in the index mean the characters were consecutive in the text.
 * Other letters and digits form lowercased words. The result is space-separated so
 * FTS5's unicode61 tokenizer takes the tokens as they are.
 */

/** A stretch of text that is searched as a unit: Han characters, or a word of other letters/digits. */
export interface Run {
  kind: 'han' | 'word';
  text: string;
}

const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/** Full-width forms to ASCII (ＡＴＭ１２３ → atm123), then lower case. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function runs(text: string): Run[] {
  const out: Run[] = [];
  for (const m of normalize(text).matchAll(RUNS)) {
    out.push(m[1] ? { kind: 'han', text: m[1] } : { kind: 'word', text: m[2] });
  }
  return out;
}

/** 最低生活 → [最低, 低生, 生活]; a single character stays itself. */
export function pairs(han: string): string[] {
  const chars = Array.from(han);
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/**
 * The tokens stored in the index for a text. Each Han run also ends with its last
 * character alone, so a one-character query (a prefix query on pairs) finds that
 * character even where no pair starts with it.
 */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const run of runs(text)) {
    if (run.kind === 'word') {
      out.push(run.text);
      continue;
    }
    const chars = Array.from(run.text);
    if (chars.length > 1) out.push(...pairs(run.text));
    out.push(chars[chars.length - 1]);
  }
  return out;
}

/** What goes into an FTS5 column for a text. */
export function indexText(text: string): string {
  return indexTokens(text).join(' ');
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * One run as an FTS5 query: the phrase of its pairs, a word as itself, and a single
 * Han character as a prefix over the pairs that start with it.
 */
export function runQuery(run: Run): string {
  if (run.kind === 'word') return quote(run.text);
  const chars = Array.from(run.text);
  if (chars.length === 1) return `${quote(run.text)}*`;
  return quote(pairs(run.text).join(' '));
}

/** A piece of text (possibly mixing scripts) as an FTS5 query: all of its runs. */
export function textQuery(text: string): string | null {
  const parts = runs(text).map(runQuery);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
}

/** The distinct tokens of a text as they are in the index (for "any of these words" queries). */
export function queryTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of runs(text)) {
    if (run.kind === 'word') out.add(run.text);
    else for (const p of pairs(run.text)) out.add(p);
  }
  return [...out];
}

export function anyTokenQuery(tokens: readonly string[]): string | null {
  return tokens.length === 0 ? null : tokens.map(quote).join(' OR ');
}

/**
 * Filler of spoken questions (请问, 怎么办, 吗 …). Removed before a question is cut into
 * pairs: it carries no meaning, and pairs across it (一下低, 保怎) are noise.
 */
const FILLER = [
  '请问一下', '我想问一下', '想问一下', '问一下', '请问', '我想', '我要', '我们', '你们', '您好', '你好',
  '怎么办', '怎么样', '怎么', '如何', '什么', '哪里', '哪些', '哪个', '哪儿', '多少', '是否', '能否', '可不可以',
  '可以', '需要', '应该', '有没有', '一下', '谢谢', '麻烦', '找谁', '为什么',
  '吗', '呢', '啊', '吧', '呀', '的', '了', '我', '您', '你', '么',
].sort((a, b) => b.length - a.length);

/** A citizen's question without its filler, for cutting into meaningful pairs. */
export function stripFiller(question: string): string {
  let text = normalize(question);
  for (const f of FILLER) text = text.replaceAll(f, ' ');
  return text;
}
