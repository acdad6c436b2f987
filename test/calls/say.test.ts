import t from 'tap';
import { mandarinNumber } from '../../src/calls/say.js';

const spoken = (n: number) => mandarinNumber(n).map((id) => ({ 'digits/10': '十', 'digits/100': '百', 'digits/1000': '千', 'digits/liang': '两' })[id] ?? '零一二三四五六七八九'[Number(id.split('/')[1])]).join('');

t.test('positions and minutes are spoken as Mandarin numbers', async (t) => {
  const cases: Array<[number, string]> = [
    [0, '零'],
    [7, '七'],
    [10, '十'],
    [12, '十二'],
    [20, '二十'],
    [35, '三十五'],
    [100, '一百'],
    [105, '一百零五'],
    [230, '两百三十'],
    [1008, '一千零八'],
  ];
  for (const [n, words] of cases) t.equal(spoken(n), words, `${n} -> ${words}`);
});
