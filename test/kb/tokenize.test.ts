import t from 'tap';
import { indexTokens, normalize, pairs, runQuery, runs, stripFiller, textQuery } from '../../src/kb/tokenize.js';

t.test('Han runs are cut into overlapping pairs, with the run-final character', async (t) => {
  t.same(pairs('最低生活'), ['最低', '低生', '生活']);
  t.same(pairs('低'), ['低']);
  t.same(indexTokens('低保申请'), ['低保', '保申', '申请', '请']);
  t.same(indexTokens('拨打962200，或ATM机'), ['拨打', '打', '962200', '或', 'atm', '机']);
});

t.test('normalization folds full-width forms and case', async (t) => {
  t.equal(normalize('ＡＴＭ１２３'), 'atm123');
  t.same(runs('Hello，世界！'), [{ kind: 'word', text: 'hello' }, { kind: 'han', text: '世界' }]);
  t.same(runs('，。！？…'), [], 'punctuation only: nothing to search');
});

t.test('queries: phrases of pairs, prefix for one character, all runs required', async (t) => {
  t.equal(runQuery({ kind: 'han', text: '婚姻' }), '"婚姻"');
  t.equal(runQuery({ kind: 'han', text: '最低生活' }), '"最低 低生 生活"');
  t.equal(runQuery({ kind: 'han', text: '低' }), '"低"*');
  t.equal(textQuery('app 下载'), '("app" AND "下载")');
  t.equal(textQuery('"引号"'), '"引号"', 'quotes in input never reach FTS5 syntax');
});

t.test('filler of spoken questions is dropped', async (t) => {
  t.same(runs(stripFiller('请问一下低保怎么申请啊？')).map((r) => r.text), ['低保', '申请']);
});
