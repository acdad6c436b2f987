import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { DEMO_ENTRIES, seedKnowledgeBase } from '../../src/kb/demo-entries.js';

/** How online answering reads citizens' words, over the demo knowledge base and its seeded vocabulary. */
t.test('answering reads everyday words and does not answer from generic ones', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  seedKnowledgeBase(h.app.services.db);
  const refOf = new Map(h.app.services.kb.entries.list({ limit: 500 }).items.map((e) => [e.id, e.ref]));
  const ask = async (question: string) => {
    const r = await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question } });
    t.equal(r.statusCode, 200, question);
    const body = r.json() as { outcome: string; confidence: number; entries: Array<{ id: number }> };
    return { ...body, refs: body.entries.map((e) => refOf.get(e.id)) };
  };

  t.test('colloquial and Shanghai words are read as the entries’ terms (seeded vocabulary)', async (t) => {
    const cases: Array<[string, string]> = [
      ['屋里冰箱坏脱了', 'demo-cl-001'], // 坏脱了 → 故障, 冰箱 → 家电
      ['结婚证找不着了', 'demo-mr-004'], // 找不着 → 遗失
      ['下水道堵牢了哪能办', 'demo-cl-007'], // 堵牢 → 疏通
      ['我要跟美国人结婚', 'demo-mr-008'], // a nationality → 外国人
      ['阿拉屋里老头子想去敬老院', 'demo-sw-006'], // 敬老院 → 养老机构
      ['老人上门剃头', 'demo-cl-006'], // 剃头 → 理发
    ];
    for (const [q, ref] of cases) t.equal((await ask(q)).refs[0], ref, q);
    t.match(h.app.services.kb.index.readQuestion('残障人士的补助'), /残疾.*补贴/, '残障 → 残疾, 补助 → 补贴');
  });

  t.test('chatter around a question changes nothing', async (t) => {
    const plain = await ask('低保怎么申请');
    const chatty = await ask('听说现在政府有那种低保，到底怎么申请啊');
    t.same(chatty.refs, plain.refs);
    t.equal(chatty.confidence, plain.confidence);
  });

  t.test('sharing only generic words (补办, 遗失, 随申办) with an entry is no answer, and is not ours', async (t) => {
    for (const q of ['图书证丢了怎么补办', '随申办密码忘记了怎么重置', '会员卡丢了']) {
      const a = await ask(q);
      t.equal(a.outcome, 'out_of_scope', q);
      t.same(a.entries, [], `${q}: no entry guessed`);
    }
    // who (老人) with another department's word (医院, 手机), or a civil word inside another's (养老金): 12345's
    for (const q of ['老人家去华山医院挂专家号哪能挂', '手机微信字太小了，老人看不清', '养老金账户余额哪能查']) {
      t.equal((await ask(q)).outcome, 'out_of_scope', q);
    }
    t.equal((await ask('想陪老人去医院看病，有人陪同伐')).refs[0], 'demo-cl-006', 'a service of ours with 医院 is still ours');
    t.equal((await ask('养老院床位怎么查')).refs[0], 'demo-sw-006');
    // the same words with what the knowledge base speaks of still answer
    const marriage = await ask('结婚证丢了能补吗');
    t.equal(marriage.outcome, 'answered');
    t.equal(marriage.refs[0], 'demo-mr-004');
  });
});

t.test('a common word still finds the entry that has it in its title among many that have it in their text', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const kb = h.app.services.kb;
  const admin = { name: 'admin', role: 'admin' as const };
  // 600 entries (more than the index treats as common) say 低保材料 in their text only;
  // one of them also has 清单 in its title: the question's only rare word
  const filler = Array.from({ length: 600 }, (_, i) => ({
    type: 'qa' as const,
    category: 'other' as const,
    title: i === 0 ? `物品清单说明${i}` : `社区通知第${i}号`,
    body: `本通知涉及低保材料等事项，编号${i}。`,
  }));
  kb.entries.importEntries(filler, admin);
  h.app.services.db.$client.exec(`UPDATE kb_entries SET status = 'published', published_at = updated_at`);
  kb.index.rebuild();
  const target = DEMO_ENTRIES.find((e) => e.ref === 'demo-sa-002')!;
  kb.entries.seed(target, 'published', { name: 'system:test', role: 'system' });
  const r = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '低保材料清单' } })).json() as { entries: Array<{ title: string }> };
  t.ok(r.entries.slice(0, 3).some((e) => e.title === target.title), 'the entry titled with the common words is among the three shown');
});

t.test('a word in the titles of thousands of entries: its strongest head postings are walked, the rest found by rarer words', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const kb = h.app.services.kb;
  const admin = { name: 'admin', role: 'admin' as const };
  // 2,400 titles hold 养老服务 (more than the 2,000 head postings a common word is walked in)
  const filler = Array.from({ length: 2400 }, (_, i) => ({
    type: 'qa' as const,
    category: 'other' as const,
    title: `养老服务第${i}号通知`,
    body: `本通知编号${i}，请留意社区公告。`,
  }));
  // the entry asked for: the common words in a long title (a weak posting), the rare word in its text
  filler.push({ type: 'qa', category: 'other', title: '关于本区养老服务机构开放日及各类便民措施安排的补充说明', body: '开放日可免费借用轮椅，需带身份证。' });
  kb.entries.importEntries(filler, admin);
  h.app.services.db.$client.exec(`UPDATE kb_entries SET status = 'published', published_at = updated_at`);
  kb.index.rebuild();
  const r = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '养老服务借轮椅' } })).json() as { entries: Array<{ title: string }> };
  t.match(r.entries[0]?.title, /开放日/, 'found by its rare word, and scored with the common ones too');
  const s = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '养老服务' } })).json() as { entries: unknown[] };
  t.ok(Array.isArray(s.entries), 'a question of the common words only still answers (from the strongest postings)');
});
