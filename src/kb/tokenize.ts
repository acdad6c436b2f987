/**
 * The pieces of text matching is built on. Pure functions, no database.
 *
 * Chinese is written without spaces: words come from the segmenter (segment.ts), and
 * every run of Han characters is also cut into overlapping character pairs
 * (最低生活 → 最低 低生 生活) for what the segmenter cuts differently or misses.
 * Other letters and digits form lowercased words.
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
