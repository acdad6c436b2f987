import { Jieba } from '@node-rs/jieba';
import jiebaDict from '@node-rs/jieba/dict.js';
import { normalize, pairs, runs } from './tokenize.js';

/**
 * Chinese word segmentation by jieba (@node-rs/jieba: prebuilt binaries, its dictionary
 * ships in the package), with the knowledge base's own terms added as its user
 * dictionary. One segmenter per process: loading the dictionary takes ~0.2 s.
 */
let shared: Jieba | null = null;
const userTerms = new Set<string>();

function jieba(): Jieba {
  shared ??= Jieba.withDict(jiebaDict.dict);
  return shared;
}

/** Adds terms to the segmenter's dictionary so they stay whole (社区事务受理服务中心). Terms already known are skipped. */
export function addUserTerms(terms: Iterable<string>): void {
  const fresh: string[] = [];
  for (const raw of terms) {
    const t = normalize(raw).trim();
    if (!t || /\s/.test(t) || userTerms.has(t) || Array.from(t).length < 2) continue;
    userTerms.add(t);
    fresh.push(`${t} 50000 n`);
  }
  if (fresh.length) jieba().loadDict(Buffer.from(fresh.join('\n') + '\n'));
}

/**
 * Words said but meaning nothing for what is asked (请问, 怎么, 吗 …). Dropped from the
 * words, and removed before a question is cut into pairs: pairs across them (一下低) are noise.
 */
const FILLER = [
  '请问一下', '我想问一下', '想问一下', '问一下', '请问', '我想', '我要', '我们', '你们', '您好', '你好', '阿拉', '侬',
  '怎么办', '怎么样', '怎么', '如何', '什么', '哪里', '哪些', '哪个', '哪儿', '多少', '是否', '能否', '可不可以', '能不能', '要不要', '是不是',
  '可以', '需要', '应该', '有没有', '一下', '谢谢', '麻烦', '为什么', '哪能', '啥个', '啥', '伐', '额', '呃', '找个', '想找', '请个', '帮我', '帮忙',
  '吗', '呢', '啊', '吧', '呀', '的', '了', '我', '您', '你', '么', '和', '跟', '与', '及', '或', '是', '在', '有', '要', '能', '去', '到', '把', '被', '给', '就', '都', '也', '还', '又', '很', '太', '个', '这', '那',
];
const FILLER_SET = new Set(FILLER);
const FILLER_BY_LENGTH = [...FILLER].sort((a, b) => b.length - a.length);

/** Text without its filler, for cutting into meaningful pairs. */
export function stripFiller(text: string): string {
  let out = text;
  for (const f of FILLER_BY_LENGTH) out = out.replaceAll(f, ' ');
  return out;
}

/** The text cut into words, in order, nothing dropped (their concatenation is the text). */
export function cut(text: string): string[] {
  return jieba().cut(text, true);
}

/** A word that only carries the question (请问, 的, 是): never a misspelling of a term. */
export const isFiller = (word: string): boolean => FILLER_SET.has(word);

export interface Terms {
  /** segmented words (distinct, filler dropped), as jieba's search mode cuts them: whole and in parts */
  words: string[];
  /** character pairs of the Han text without filler (distinct), and words of other letters/digits */
  pairs: string[];
}

const HAS_LETTER = /[\p{L}\p{N}]/u;

/** Words and pairs of a text that is already normalized and read through the vocabulary. */
export function termsOf(text: string): Terms {
  const words = new Set<string>();
  for (const w of jieba().cutForSearch(text, true)) {
    const t = w.trim();
    if (t && HAS_LETTER.test(t) && !FILLER_SET.has(t)) words.add(t);
  }
  const out = new Set<string>();
  for (const run of runs(stripFiller(text))) {
    if (run.kind === 'word') out.add(run.text);
    else for (const p of pairs(run.text)) if (Array.from(p).length === 2) out.add(p);
  }
  return { words: [...words], pairs: [...out] };
}
