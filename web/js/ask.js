// The citizen's page for online answering: ask, read the answer and its entry, choose
// among the suggestions, or leave the question as a ticket. No login, nothing staff-only.
const $ = (id) => document.getElementById(id);
let questionId = null;

function show(id, visible) {
  $(id).hidden = !visible;
}

function showEntry(entry) {
  $('answer-title').textContent = entry.title;
  $('answer-body').textContent = entry.body;
  show('answer', true);
}

function showChoices(entries, title) {
  const list = $('choice-list');
  list.replaceChildren();
  for (const entry of entries) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = entry.title;
    b.addEventListener('click', () => {
      showEntry(entry);
      $('answer').scrollIntoView({ behavior: 'smooth' });
    });
    li.append(b);
    list.append(li);
  }
  $('choices-title').textContent = title;
  show('choices', entries.length > 0);
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status === 429) throw new Error('提问太频繁，请稍后再试。');
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(r.status === 400 ? '请检查填写的内容。' : data.message && /[\u4e00-\u9fff]/.test(data.message) ? data.message : '暂时无法提交，请稍后再试或拨打962200。');
  return data;
}

$('ask-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const question = $('question').value.trim();
  if (!question) return;
  for (const id of ['answer', 'choices', 'leave', 'ticket']) show(id, false);
  $('ask-button').disabled = true;
  $('status').textContent = '正在查找…';
  try {
    const a = await post('/api/answer', { question });
    questionId = a.questionId;
    $('status').textContent = a.message;
    if (a.outcome === 'answered') {
      showEntry(a.entries[0]);
      showChoices(a.entries.slice(1), '您是不是想问：');
    } else if (a.outcome === 'suggested') {
      showChoices(a.entries, '您是不是想问：');
    }
    // below the answer the citizen may leave the question; out of scope goes to 12345
    show('leave', a.outcome !== 'out_of_scope');
  } catch (err) {
    $('status').textContent = err.message;
  } finally {
    $('ask-button').disabled = false;
  }
});

$('leave-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const phone = $('phone').value.trim();
  const email = $('email').value.trim();
  if (!phone && !email) {
    $('status').textContent = '请留下手机号码或电子邮箱，以便工作人员答复您。';
    return;
  }
  $('leave-button').disabled = true;
  try {
    const r = await post('/api/answer/ticket', { questionId, ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
    show('leave', false);
    $('ticket').textContent = r.message;
    show('ticket', true);
    $('status').textContent = '';
  } catch (err) {
    $('status').textContent = err.message;
  } finally {
    $('leave-button').disabled = false;
  }
});
