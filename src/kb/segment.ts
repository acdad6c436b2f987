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
  // chatter around the question: how people talk, not what they ask
  '听说', '听人家讲', '人家讲', '隔壁阿姨讲', '现在', '已经', '直接', '一般', '实在', '真的', '好多', '一点点', '一点', '那种', '这种', '这个', '那个',
  '知道', '告诉', '情况', '事情', '事体', '东西', '怎么回事', '哪能回事', '咋办', '咋', '怎么弄', '哪能弄', '政府', '一下子', '马上', '到底', '究竟',
  '不知道', '请帮忙', '谢谢你', '你好呀', '侬好', '老师', '同志', '师傅好', '打扰', '不好意思', '那么', '然后', '所以', '但是', '因为', '如果', '的话',
  '什么时候', '啥时候', '时候', '几时', '伐啦', '嘛', '哦', '噢', '哈', '嗯', '咯', '哇', '啦', '嘞', '喔', '呐', '没', '伊', '弄', '搞',
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

/**
 * Words that belong to nearly every service (申请, 材料, 电话, 随申办, 民政局): they help
 * rank, but a question that shares only these (or one-character words: 证, 办, 补) with
 * an entry is not answered by it.
 */
const GENERIC = [
  '申请', '申领', '办理', '手续', '材料', '证明', '证件', '电话', '地址', '地方', '时间', '办公时间', '流程', '条件', '政策', '规定', '标准', '多少钱',
  '费用', '钱', '查询', '咨询', '预约', '服务', '上门', '问题', '待遇', '部门', '窗口', '民政局', '民政', '民政部门', '政府部门', '随申办',
  '热线', '工作日', '网上', '网站', '线上', '本人', '家属', '家庭', '上海', '本市', '户口', '身份证', '户口簿', '照片', '补贴', '发放', '领取',
  // what is done to a thing, whatever the thing (图书证丢了怎么补办 is not 结婚证遗失了怎么补领)
  '遗失', '补领', '补证', '换证', '办证', '证书', '故障', '维修', '报修', '损毁', '更换', '到期', '过期', '登记', '办法',
];
/** the generic words and their parts as the segmenter's search mode cuts them (民政局 → 民政, 政局) */
const GENERIC_SET = new Set(GENERIC.flatMap((w) => {
  const chars = Array.from(w);
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i++) for (let j = i + 2; j <= chars.length; j++) parts.push(chars.slice(i, j).join(''));
  return parts;
}));

/** A word that alone never picks an entry: a generic service word (or part of one) or a single character. */
export const isGeneric = (word: string): boolean => Array.from(word).length === 1 || GENERIC_SET.has(word);

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
