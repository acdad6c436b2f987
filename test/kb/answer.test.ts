import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { publish } from './kb-helpers.js';

t.test('online smart answering', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
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
  // a draft that would match perfectly must never answer a citizen
  const admin = h.auth({ role: 'admin' });
  await h.app.inject({ method: 'POST', url: '/api/kb/entries', headers: admin, payload: { type: 'qa', category: 'marriage', title: '结婚登记要带什么材料', body: '结婚登记要带身份证和户口簿。' } });

  const ask = (payload: object) => h.app.inject({ method: 'POST', url: '/api/answer', payload });

  t.test('a question the knowledge base answers: entries with confidence, no ticket', async (t) => {
    const r = await ask({ question: '请问一下低保怎么申请？' });
    t.equal(r.statusCode, 200, 'no token needed');
    const body = r.json();
    t.equal(body.answered, true);
    t.equal(body.ticket, null);
    t.equal(body.entries[0].id, dibao);
    t.ok(body.entries[0].confidence >= 0.5 && body.entries[0].confidence <= 1);
    t.equal(body.confidence, body.entries[0].confidence);
    t.match(body.entries[0].snippet, /低保/);
    t.notOk(body.entries.some((e: { id: number }) => e.id === repair));
  });

  t.test('everyday wording finds the service', async (t) => {
    const body = (await ask({ question: '家里冰箱坏了找谁修' })).json();
    t.equal(body.answered, true);
    t.equal(body.entries[0].id, repair);
  });

  t.test('nothing good enough: an online ticket is opened and named in the answer', async (t) => {
    const r = await ask({ question: '火星移民签证怎么办理？', phone: '13800138000' });
    t.equal(r.statusCode, 200);
    const body = r.json();
    t.equal(body.answered, false);
    t.same(body.entries, []);
    t.match(body.ticket.number, /^962200-\d{8}-\d{6}$/);
    t.match(body.message, body.ticket.number);
    const ticket = (await h.app.inject({ url: `/api/tickets/${body.ticket.id}`, headers: h.auth({ role: 'supervisor' }) })).json();
    t.match(ticket, { source: 'online', content: '火星移民签证怎么办理？', callerNumber: '13800138000', needsCallback: true });
  });

  t.test('a question only a draft answers is not answered from it', async (t) => {
    const body = (await ask({ question: '结婚登记要带什么材料' })).json();
    t.equal(body.answered, false);
    t.ok(body.ticket);
  });

  t.test('bad questions are 400 and open nothing', async (t) => {
    const before = (await h.app.inject({ url: '/api/tickets?source=online', headers: h.auth({ role: 'supervisor' }) })).json().total;
    for (const payload of [{}, { question: '' }, { question: '？！。' }, { question: 'x'.repeat(501) }, { question: '低保', extra: 1 }]) {
      t.equal((await ask(payload)).statusCode, 400, JSON.stringify(payload).slice(0, 40));
    }
    const after = (await h.app.inject({ url: '/api/tickets?source=online', headers: h.auth({ role: 'supervisor' }) })).json().total;
    t.equal(after, before);
  });
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
