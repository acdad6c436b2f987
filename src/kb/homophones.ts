import { pinyin } from 'pinyin-pro';

/** Sounds of a run of characters, toneless, one per character (pinyin-pro: README says why a library). */
const soundsOf = (han: string): string[] => pinyin(han, { toneType: 'none', type: 'array' });
const HAN_RUN = /\p{Script=Han}{2,}/gu;
const ALL_HAN = /^\p{Script=Han}{2,4}$/u;
const LONGEST = 4;

/**
 * Misspellings by sound, the commonest typo of pinyin input (底保 for 低保, 结昏 for 结婚,
 * 残急证 for 残疾证): a stretch of a question that the knowledge base never uses, but that
 * sounds exactly like a word it does use, is read as that word. Only unknown stretches are
 * touched, so a question spelt right reads as before.
 */
export class Homophones {
  /** toneless sounds ("di bao") → the words of the knowledge base with them */
  private readonly bySound = new Map<string, string[]>();
  private readonly seen = new Set<string>();

  /** A word the knowledge base uses (2 to 4 characters, all Han). */
  add(word: string): void {
    if (this.seen.has(word) || !ALL_HAN.test(word)) return;
    this.seen.add(word);
    const sound = soundsOf(word).join(' ');
    const list = this.bySound.get(sound);
    if (list) list.push(word);
    else this.bySound.set(sound, [word]);
  }

  /**
   * The text with each unknown stretch that sounds like a known word replaced by it,
   * leftmost-longest; where several words sound alike the most used (`weight`) wins.
   * A stretch never reaches into a word the text already spells right (`isKnown`) or a
   * filler word (是, 的): 是机 in 你是机器人 is not 实际.
   */
  correct(text: string, cut: (run: string) => string[], isKnown: (w: string) => boolean, isFiller: (w: string) => boolean, weight: (w: string) => number): string {
    if (this.bySound.size === 0) return text;
    return text.replace(HAN_RUN, (run) => {
      const sounds = soundsOf(run);
      if (sounds.length !== run.length) return run;
      const locked: boolean[] = [];
      for (const word of cut(run)) {
        const keep = isFiller(word) || (word.length > 1 && isKnown(word));
        for (let k = 0; k < word.length; k++) locked.push(keep);
      }
      if (locked.length !== run.length) return run;
      let out = '';
      for (let i = 0; i < run.length; ) {
        let step = 0;
        for (let len = Math.min(LONGEST, run.length - i); len >= 2 && !step; len--) {
          if (locked.slice(i, i + len).some(Boolean)) continue;
          const alike = this.bySound.get(sounds.slice(i, i + len).join(' '));
          if (!alike) continue;
          out += alike.reduce((a, b) => (weight(b) > weight(a) ? b : a));
          step = len;
        }
        if (!step) {
          out += run[i];
          step = 1;
        }
        i += step;
      }
      return out;
    });
  }
}
