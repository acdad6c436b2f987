// GET /api/tickets?q=: Chinese words over title, content, address and replies, with the
// other filters, scoping and masking, paged; bad input is a 400 naming the field.
import t from 'tap';
import { systemActor } from '../../src/shared/actor.js';
import { indexTerms, matchExpression } from '../../src/tickets/search-terms.js';
import { setup, PEOPLE, type Person } from './_fixtures.js';

const sys = systemActor('test');

t.test('terms: pairs of Han characters and the run end; words of other letters', async (t) => {
  t.equal(indexTerms(['低保申请，302室 ABC']), '低保 保申 申请 请 302 室 abc');
  t.equal(matchExpression('低保'), '"低保"');
  t.equal(matchExpression('最低生活'), '"最低 低生 生活"');
  t.equal(matchExpression('保 ab'), '"保"* AND "ab"*');
  t.equal(matchExpression('"OR" NOT ***'), '"or"* AND "not"*', 'FTS5 syntax is only ever quoted text');
  t.equal(matchExpression('*** ，。'), null);
});

t.test('search: words, replies, follow-up mail, filters, scope, masking, paging', async (t) => {
  const { h, s, act } = await setup(t);
  const search = async (who: Person, query: string) => {
    const r = await h.app.inject({ url: `/api/tickets?${query}`, headers: h.auth(PEOPLE[who]) });
    t.equal(r.statusCode, 200, r.body);
    return r.json() as { items: Array<{ id: number; content: string; address: string }>; total: number };
  };
  const ids = (r: { items: Array<{ id: number }> }) => r.items.map((x) => x.id);
  const make = (fields: Parameters<typeof s.tickets.create>[0]) => s.tickets.create(fields, sys);

  const dibao = make({ source: 'phone', title: '低保咨询', content: '市民咨询最低生活保障的申请条件，联系电话13812345678', address: '徐汇区田林东路8号302室' });
  const lamp = make({ source: 'email', title: '路灯不亮', content: '小区3号楼前的路灯坏了一周', address: '长宁区新华路100弄' });
  const elder = make({ source: 'online', title: '高龄津贴', content: '老人满八十周岁，咨询高龄津贴和低保能否同时领取' });
  for (let i = 0; i < 5; i++) make({ source: 'phone', content: `第${i}位市民咨询养老服务补贴` });

  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}`)), [elder.id, dibao.id], 'a two-character word, newest first');
  t.same(ids(await search('operator', `q=${encodeURIComponent('最低生活保障')}`)), [dibao.id], 'a longer word matches as written');
  t.same(ids(await search('operator', `q=${encodeURIComponent('低生活保')}`)), [dibao.id], 'any part of the text');
  t.same(ids(await search('operator', `q=${encodeURIComponent('生活最低')}`)), [], 'the characters in that order only');
  t.same(ids(await search('operator', `q=${encodeURIComponent('路灯 一周')}`)), [lamp.id], 'every word must be there');
  t.same(ids(await search('operator', `q=${encodeURIComponent('路灯 低保')}`)), []);
  t.same(ids(await search('operator', `q=${encodeURIComponent('灯')}`)), [lamp.id], 'one character');
  t.same(ids(await search('operator', `q=${encodeURIComponent('田林东路')}`)), [dibao.id], 'the address, to its street, for anyone');

  // masking: the house number and the phone number are not what an operator who does not work it reads
  t.same(ids(await search('operator', 'q=302')), [], 'a masked viewer does not find a ticket by its house number');
  t.same(ids(await search('operator', 'q=13812345678')), [], '… nor by a phone number in its text');
  t.same(ids(await search('supervisor', 'q=302')), [dibao.id], 'a supervisor reads it in clear, and finds it');
  t.same(ids(await search('supervisor', 'q=13812345678')), [dibao.id]);
  const masked = (await search('operator', `q=${encodeURIComponent('低保')}`)).items.find((x) => x.id === dibao.id)!;
  t.notMatch(masked.content, /13812345678/, 'and what is listed is masked as ever');

  // replies: the answer given
  t.equal((await act(elder.id, 'classify', 'operator', { kind: 'immediate' })).statusCode, 200);
  t.equal((await act(elder.id, 'answer', 'operator', { reply: '已告知可以同时享受，需到社区事务受理服务中心办理' })).statusCode, 200);
  t.same(ids(await search('operator', `q=${encodeURIComponent('受理服务中心')}`)), [elder.id], 'the reply is searched');
  // the citizen's follow-up e-mail
  s.tickets.update(lamp.id, {}, { actor: sys, action: 'mail_received', data: { text: '路灯还是不亮，晚上很危险' } });
  t.same(ids(await search('operator', `q=${encodeURIComponent('很危险')}`)), [lamp.id], 'a follow-up e-mail is searched');

  // with the other filters
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&source=phone`)), [dibao.id]);
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&open=true`)), [dibao.id], 'the answered one is finished');
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&open=false`)), [elder.id]);
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&kind=immediate&status=closed`)), [elder.id]);

  // scope: a department finds only what is routed to it
  t.same(ids(await search('department', `q=${encodeURIComponent('路灯')}`)), [], 'not routed to d1: not found');
  s.tickets.update(lamp.id, { kind: 'routed', status: 'routed', departmentId: 'd1' }, { actor: sys, action: 'fixture' });
  t.same(ids(await search('department', `q=${encodeURIComponent('路灯')}`)), [lamp.id]);
  t.same(ids(await search('department', `q=${encodeURIComponent('低保')}`)), []);
  t.same(ids(await search('department', 'q=100')), [lamp.id], 'a department works its tickets and reads them in clear');

  // common words: the filter's own index drives, each row checked against the matches; the same answers
  s.tickets.commonWord = 1;
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&kind=immediate&status=closed`)), [elder.id], 'common words, by the filter\'s index');
  t.same(ids(await search('operator', `q=${encodeURIComponent('低保')}&source=phone&from=2026-03-01`)), [dibao.id]);
  t.same(ids(await search('operator', `q=${encodeURIComponent('路灯')}&status=closed`)), []);
  s.tickets.commonWord = 5000;

  // paging
  const page1 = await search('operator', `q=${encodeURIComponent('养老服务')}&limit=2`);
  const page3 = await search('operator', `q=${encodeURIComponent('养老服务')}&limit=2&offset=4`);
  t.equal(page1.total, 5);
  t.equal(page1.items.length, 2);
  t.equal(page3.items.length, 1);
  t.equal(new Set([...ids(page1), ...ids(page3)]).size, 3);
});

t.test('bad q, open and sort: a clear 400 naming the field, nothing changed', async (t) => {
  const { h } = await setup(t);
  const bad = async (query: string, field: string | RegExp) => {
    const r = await h.app.inject({ url: `/api/tickets?${query}`, headers: h.auth(PEOPLE.operator) });
    t.equal(r.statusCode, 400, query);
    t.equal(r.json().error, 'bad_request');
    t.match(r.json().message, field, `${query}: ${r.json().message}`);
    t.match(r.json().message, /[\u4e00-\u9fff]/, 'in Chinese');
  };
  await bad(`q=${encodeURIComponent('***')}`, /q/);
  await bad('q=', /q/);
  await bad(`q=${'低'.repeat(101)}`, /q/);
  await bad(`q=${encodeURIComponent(Array.from({ length: 13 }, (_, i) => `w${i}`).join(' '))}`, /q/);
  await bad('open=maybe', /open/);
  await bad('sort=urgent', /sort.*newest.*deadline/);
  await bad('sort=deadline&open=false', /sort/);
});

t.test('tickets written before the index are indexed at start-up', async (t) => {
  const { s } = await setup(t);
  const old = s.tickets.create({ source: 'phone', content: '咨询婚姻登记预约' }, sys);
  const c = s.db.$client;
  c.prepare('DELETE FROM ticket_search WHERE rowid = ?').run(old.id);
  t.equal(s.tickets.list({ q: '婚姻登记' }).total, 0);
  c.prepare('INSERT INTO ticket_search_backlog (below) VALUES (?)').run(old.id + 1);
  t.equal(s.tickets.text.catchUp(), 1);
  t.same(s.tickets.list({ q: '婚姻登记' }).items.map((x) => x.id), [old.id]);
  t.equal(s.tickets.text.catchUp(), 0, 'once');
});

t.test('a common word with a common filter: the page and the capped total from the newest matches', async (t) => {
  const { s } = await setup(t);
  s.tickets.commonWord = 10;
  const made = [];
  for (let i = 0; i < 1300; i++) made.push(s.tickets.create({ source: i % 10 === 0 ? 'email' : 'phone', content: `第${i}位市民咨询养老服务补贴` }, sys).id);
  s.db.$client.prepare("UPDATE tickets SET status = 'closed', kind = 'immediate' WHERE id % 10 != 0").run();
  const closed = made.filter((id) => id % 10 !== 0).reverse();
  const page = s.tickets.list({ q: '养老服务', status: 'closed', limit: 20, offset: 40 });
  t.same(page.items.map((x) => x.id), closed.slice(40, 60), 'newest first, paged');
  t.match(page, { total: 1000, totalCapped: true }, 'counted up to 1,000');
  const rare = s.tickets.list({ q: '养老服务', status: 'open', limit: 5 });
  t.same(rare.items.map((x) => x.id), made.filter((id) => id % 10 === 0).reverse().slice(0, 5), 'a filter rare among the matches reads its own index');
  t.equal(rare.total, 130);
  const far = s.tickets.list({ q: '养老服务', status: 'closed', limit: 50, offset: 980 });
  t.same(far.items.map((x) => x.id), closed.slice(980, 1030), 'a page past the newest matches is read from the index');
});
