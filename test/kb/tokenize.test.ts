import t from 'tap';
import { normalize, pairs, runs } from '../../src/kb/tokenize.js';
import { addUserTerms, stripFiller, termsOf } from '../../src/kb/segment.js';
import { Vocabulary } from '../../src/kb/synonyms.js';

t.test('Han runs are cut into overlapping pairs', async (t) => {
  t.same(pairs('最低生活'), ['最低', '低生', '生活']);
  t.same(pairs('低'), ['低']);
});

t.test('normalization folds full-width forms and case', async (t) => {
  t.equal(normalize('ＡＴＭ１２３'), 'atm123');
  t.same(runs('Hello，世界！'), [{ kind: 'word', text: 'hello' }, { kind: 'han', text: '世界' }]);
  t.same(runs('，。！？…'), [], 'punctuation only: nothing to search');
});

t.test('filler of spoken questions is dropped', async (t) => {
  t.same(runs(stripFiller('请问一下低保怎么申请啊？')).map((r) => r.text), ['低保', '申请']);
});

t.test('segmentation by jieba: words whole and in parts, filler dropped, pairs besides', async (t) => {
  const { words, pairs: ps } = termsOf('结婚证丢了能补吗');
  t.ok(words.includes('结婚证') && words.includes('结婚'), words.join('/'));
  t.notOk(words.includes('吗') || words.includes('了'), 'filler is not a word');
  t.ok(ps.includes('婚证'), 'pairs stay for what the segmenter cuts otherwise');
  const cut = termsOf('962200和12345有什么区别').words;
  t.ok(cut.includes('962200') && cut.includes('12345') && cut.includes('区别'), cut.join('/'));
});

t.test("the knowledge base's terms are the segmenter's user dictionary", async (t) => {
  t.notOk(termsOf('申领优抚定补金').words.includes('优抚定补金'), 'unknown before');
  addUserTerms(['优抚定补金']);
  t.ok(termsOf('申领优抚定补金').words.includes('优抚定补金'), 'kept whole after');
});

t.test('the vocabulary reads colloquial terms as formal ones, leftmost-longest', async (t) => {
  const v0 = new Vocabulary([['遗失', '丢了', '弄丢'], ['收养', '领养'], ['维修', '修理', '找谁修'], ['结婚登记', '领证']]);
  // a replaced term stands apart (spaces), so no pair straddles it
  const v = { read: (text: string) => v0.read(text).replace(/ /g, '') };
  t.equal(v.read('结婚证丢了'), '结婚证遗失');
  t.equal(v.read('领养小孩'), '收养小孩');
  t.equal(v.read('洗衣机找谁修'), '洗衣机维修');
  t.equal(v.read('维修'), '维修', 'a formal term is left as it is');
  t.equal(v.read('想去领证'), '想去结婚登记');
  t.equal(v.read('ＡＢ领养'), 'ab收养', 'normalized first');
});
