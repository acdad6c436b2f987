// Mandarin numbers from the digit prompts in sounds/zh/digits/ (零…九, 十, 百, 千, 两).

/** 12 -> 十二, 20 -> 二十, 105 -> 一百零五, 230 -> 两百三十; 0..9999. */
export function mandarinNumber(n: number): string[] {
  const v = Math.max(0, Math.min(9999, Math.floor(n)));
  if (v < 10) return [`digits/${v}`];
  if (v < 20) return ['digits/10', ...(v % 10 ? [`digits/${v % 10}`] : [])];
  const units: Array<[number, string]> = [
    [1000, 'digits/1000'],
    [100, 'digits/100'],
    [10, 'digits/10'],
  ];
  const out: string[] = [];
  let rest = v;
  let pendingZero = false;
  for (const [size, word] of units) {
    const d = Math.floor(rest / size);
    rest %= size;
    if (d === 0) {
      if (out.length) pendingZero = true;
      continue;
    }
    if (pendingZero) out.push('digits/0');
    pendingZero = false;
    // 两 before 百/千 reads naturally; 二十 keeps 二
    out.push(d === 2 && size >= 100 ? 'digits/liang' : `digits/${d}`, word);
  }
  if (rest) {
    if (pendingZero) out.push('digits/0');
    out.push(`digits/${rest}`);
  }
  return out;
}

export const sound = (id: string) => `sound:${id}`;
