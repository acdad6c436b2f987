import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { publish } from './kb-helpers.js';

t.test('online smart answering', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const admin = h.auth({ role: 'admin' });
  const supervisor = h.auth({ role: 'supervisor' });
  for (const terms of [['遗失', '丢了', '找不到了'], ['补领', '补办'], ['维修', '修理', '找谁修'], ['家政', '保姆']]) {
    await h.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: admin, payload: { terms } });
  }
  const dibao = await publish(h, {
    title: '最低生活保障（低保）申请指南',
    body: '本市户籍家庭人均收入低于低保标准的，可以向户籍所在地街镇社区事务受理服务中心申请低保，需要提供身份证、户口簿和收入证明。',
    keywords: ['低保', '申请'],
  });
  const repair = await publish(h, {
    type: 'service',
    category: 'community_life',
    title: '家电维修服务预约',
    body: '冰箱、洗衣机、空调等家电故障，可以拨打962200预约上门维修。',
    keywords: ['家电维修', '冰箱', '洗衣机'],
  });
  const lost = await publish(h, {
    category: 'marriage',
    title: '结婚证遗失了怎么补领',
    body: '结婚证遗失或损毁的，当事人可以持身份证、户口簿和照片，到婚姻登记机关申请补领。',
    keywords: ['补领结婚证'],
  });
  const maid = await publish(h, { type: 'service', category: 'community_life', title: '家政服务', body: '需要钟点保洁、育儿嫂的，可以拨打962200预约家政服务。', keywords: ['家政服务'] });
  // a draft that would match perfectly must never answer a citizen
  await h.app.inject({ method: 'POST', url: '/api/kb/entries', headers: admin, payload: { type: 'qa', category: 'marriage', title: '离婚登记要带什么材料', body: '离婚登记要带身份证、户口簿和结婚证。' } });

  const ask = (payload: object) => h.app.inject({ method: 'POST', url: '/api/answer', payload });
  const onlineTickets = async () => (await h.app.inject({ url: '/api/tickets?source=online', headers: supervisor })).json().total as number;

  t.test('a question the knowledge base answers: the entry, its text, two more to choose, no ticket', async (t) => {
    const r = await ask({ question: '请问一下低保怎么申请？' });
    t.equal(r.statusCode, 200, 'no token needed');
    const body = r.json();
    t.match(body, { answered: true, outcome: 'answered', ticket: null });
    t.equal(body.entries[0].id, dibao);
    t.match(body.entries[0].body, /社区事务受理服务中心/);
    t.ok(body.entries.length <= 3);
    t.equal(body.confidence, body.entries[0].confidence);
    t.ok(body.questionId > 0);
  });

  t.test("colloquial words are read as the entries' words (synonym data kept by admins)", async (t) => {
    t.equal((await ask({ question: '结婚证丢了能补吗' })).json().entries[0]?.id, lost);
    t.equal((await ask({ question: '家里冰箱坏了找谁修' })).json().entries[0]?.id, repair);
    t.equal((await ask({ question: '想找个保姆' })).json().entries[0]?.id, maid);
  });

  t.test('misspelt by sound (pinyin input): read as the word the entries use, never into a word spelt right', async (t) => {
    for (const question of ['阿拉想申请底保', '结昏证遗失了怎么补领', '家店维修']) {
      const r = (await ask({ question })).json();
      t.equal(r.entries[0]?.id, question.includes('底保') ? dibao : question.includes('结昏') ? lost : repair, question);
    }
    t.equal(h.app.services.kb.index.readQuestion('阿拉想申请底保').includes('低保'), true);
    // 是机 sounds like nothing here, and 机器人 is a word of its own: left as typed
    t.match(h.app.services.kb.index.readQuestion('你是机器人吗'), /机器人/);
    t.match(h.app.services.kb.index.readQuestion('低保怎么申请'), /低保/, 'spelt right: unchanged');
  });

  t.test('similar questions (相似问法) are matched, edited with the entry and versioned', async (t) => {
    const before = (await ask({ question: '屋里没米下锅了' })).json();
    t.not(before.entries[0]?.id, dibao);
    const entry = (await h.app.inject({ url: `/api/kb/entries/${dibao}` })).json();
    const edited = await h.app.inject({ method: 'PATCH', url: `/api/kb/entries/${dibao}`, headers: admin, payload: { questions: ['屋里没米下锅了怎么办'], expectedVersion: entry.version } });
    t.equal(edited.statusCode, 200);
    t.same(edited.json().questions, ['屋里没米下锅了怎么办']);
    const versions = (await h.app.inject({ url: `/api/kb/entries/${dibao}/versions`, headers: admin })).json().items;
    t.same(versions.at(-1).questions, ['屋里没米下锅了怎么办']);
    t.same(versions.at(-2).questions, []);
    const after = (await ask({ question: '屋里没米下锅了' })).json();
    t.equal(after.entries[0].id, dibao);
  });

  t.test('below the threshold: choices first, no ticket until the citizen leaves the question', async (t) => {
    const tickets = await onlineTickets();
    const body = (await ask({ question: '社区里有没有象棋比赛' })).json();
    t.not(body.outcome, 'answered');
    t.equal(body.ticket, null);
    t.equal(await onlineTickets(), tickets, 'nothing opened by asking');
    const left = await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: body.questionId, phone: '13800138000' } });
    t.equal(left.statusCode, 201);
    const { ticket, message } = left.json();
    t.match(ticket.number, /^962200-\d{8}-\d{6}$/);
    t.match(message, ticket.number, 'the ticket number is said back');
    const row = (await h.app.inject({ url: `/api/tickets/${ticket.id}`, headers: supervisor })).json();
    t.match(row, { source: 'online', content: '社区里有没有象棋比赛', callerNumber: '13800138000', needsCallback: true });
    t.equal((await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: body.questionId, phone: '13800138000' } })).statusCode, 409, 'once');
    const noContact = await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: body.questionId } });
    t.equal(noContact.statusCode, 400, 'a phone number or e-mail is needed');
  });

  t.test('out of scope: no entry, a pointer to 12345, counted', async (t) => {
    const body = (await ask({ question: '公积金怎么提取' })).json();
    t.match(body, { answered: false, outcome: 'out_of_scope', entries: [] });
    t.match(body.message, /12345/);
    t.equal((await ask({ question: '今天地铁末班车几点' })).json().outcome, 'out_of_scope');
    const counts = (await h.app.inject({ url: '/api/kb/online-questions/counts', headers: supervisor })).json();
    t.ok(counts.out_of_scope >= 2, 'both counted');
    t.ok(counts.answered >= 1);
    t.equal((await h.app.inject({ url: '/api/kb/online-questions/counts' })).statusCode, 401, 'staff only');
  });

  t.test('a question only a draft answers is not answered from it', async (t) => {
    const body = (await ask({ question: '离婚登记要带什么材料' })).json();
    t.equal(body.answered, false);
  });

  t.test('bad questions are 400 and record nothing', async (t) => {
    const before = (await h.app.inject({ url: '/api/kb/online-questions?limit=500', headers: supervisor })).json().items.length;
    for (const payload of [{}, { question: '' }, { question: '？！。' }, { question: 'x'.repeat(501) }, { question: '低保', extra: 1 }]) {
      t.equal((await ask(payload)).statusCode, 400, JSON.stringify(payload).slice(0, 40));
    }
    const after = (await h.app.inject({ url: '/api/kb/online-questions?limit=500', headers: supervisor })).json().items.length;
    t.equal(after, before);
  });
});

t.test('learning from the desk: a linked ticket or online question becomes a proposed phrasing, accepted in review', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const admin = h.auth({ role: 'admin' });
  const operator = h.auth({ role: 'operator' });
  const adopt = await publish(h, { category: 'adoption', title: '收养登记办理指南', body: '收养应当向民政部门登记，收养关系自登记之日起成立。', keywords: ['收养登记'] });

  const asked = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '亲戚的娃娃想过到我们名下' } })).json();
  t.not(asked.entries[0]?.id === adopt && asked.outcome === 'answered', true, 'not answered before');
  const gaps = (await h.app.inject({ url: `/api/kb/online-questions?outcome=${asked.outcome}`, headers: operator })).json().items;
  t.ok(gaps.some((q: { id: number }) => q.id === asked.questionId), 'the operator sees the gap');

  const linked = await h.app.inject({ method: 'POST', url: `/api/kb/online-questions/${asked.questionId}/link`, headers: operator, payload: { entryId: adopt } });
  t.equal(linked.statusCode, 200);
  const proposal = linked.json().proposal;
  t.match(proposal, { entryId: adopt, question: '亲戚的娃娃想过到我们名下', status: 'proposed', onlineQuestionId: asked.questionId });

  // a ticket linked to an entry on the desk proposes its question too
  const left = (await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: asked.questionId, email: 'a@example.com' } })).json();
  const other = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '领个小囡要办啥手续' } })).json();
  const ticket2 = (await h.app.inject({ method: 'POST', url: '/api/answer/ticket', payload: { questionId: other.questionId, phone: '13900001111' } })).json().ticket;
  const suggestions = (await h.app.inject({ url: `/api/tickets/${ticket2.id}/kb-suggestions`, headers: h.auth({ role: 'supervisor' }) })).json();
  t.ok(Array.isArray(suggestions.items), 'suggestions for a ticket by the same matching');
  t.equal((await h.app.inject({ method: 'POST', url: `/api/tickets/${ticket2.id}/kb-links`, headers: h.auth({ role: 'supervisor' }), payload: { entryIds: [adopt] } })).statusCode, 200);
  const proposed = (await h.app.inject({ url: `/api/kb/phrasings?status=proposed&entryId=${adopt}`, headers: admin })).json().items;
  t.same(proposed.map((p: { question: string }) => p.question).sort(), ['亲戚的娃娃想过到我们名下', '领个小囡要办啥手续'].sort());
  t.ok(left.ticket.number);

  t.equal((await h.app.inject({ method: 'POST', url: `/api/kb/phrasings/${proposal.id}/accept`, headers: operator })).statusCode, 403, 'the info centre reviews');
  const accepted = await h.app.inject({ method: 'POST', url: `/api/kb/phrasings/${proposal.id}/accept`, headers: admin });
  t.equal(accepted.statusCode, 200);
  t.match(accepted.json(), { status: 'accepted', acceptedVersion: 2 });
  const entry = (await h.app.inject({ url: `/api/kb/entries/${adopt}` })).json();
  t.same(entry.questions, ['亲戚的娃娃想过到我们名下']);
  t.equal(entry.version, 2);
  const events = (await h.app.inject({ url: `/api/kb/entries/${adopt}/versions`, headers: admin })).json().items;
  t.match(events.at(-1).note, /采纳相似问法/);
  const rejected = proposed.find((p: { id: number }) => p.id !== proposal.id);
  t.match((await h.app.inject({ method: 'POST', url: `/api/kb/phrasings/${rejected.id}/reject`, headers: admin })).json(), { status: 'rejected' });
  t.equal((await h.app.inject({ method: 'POST', url: `/api/kb/phrasings/${proposal.id}/reject`, headers: admin })).statusCode, 409, 'decided once');

  const now = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '亲戚的娃娃想过到我们名下' } })).json();
  t.match(now, { outcome: 'answered', entries: [{ id: adopt }] }, 'the gap is closed');
});

t.test('online answering is rate limited', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  let limited = 0;
  for (let i = 0; i < 25; i++) {
    const r = await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '？' } });
    if (r.statusCode === 429) limited++;
  }
  t.ok(limited > 0, 'some requests were refused with 429');
});
