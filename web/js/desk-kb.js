// The desk's knowledge base card: search with the matching online answering uses, the
// entries that may answer the open ticket, and linking one to it (which also proposes
// the citizen's wording as a new 相似问法 of the entry for the KB review).
import { $, el, fill, session, makeApi } from './common.js';

const store = session('desk');
const api = makeApi(() => store.get()?.token);
let ticketId = null;

function entryItem(item, { linkable }) {
  const body = el('p', { class: 'kb-body', hidden: true });
  const title = el('button', { type: 'button', class: 'kb-title' }, item.title);
  title.addEventListener('click', async () => {
    if (body.hidden && !body.textContent) {
      try {
        body.textContent = (await api('GET', `/api/kb/entries/${item.id}`)).body;
      } catch (err) {
        body.textContent = `加载失败：${err.message}`;
      }
    }
    body.hidden = !body.hidden;
  });
  const li = el('li', { class: 'kb-item' }, title);
  if (linkable && ticketId) {
    const link = el('button', { type: 'button', class: 'btn btn-small kb-link' }, '关联到工单');
    link.addEventListener('click', async () => {
      link.disabled = true;
      try {
        await api('POST', `/api/tickets/${ticketId}/kb-links`, { entryIds: [item.id] });
        link.textContent = '已关联';
      } catch (err) {
        link.disabled = false;
        link.textContent = `关联失败：${err.message}`;
      }
    });
    li.append(link);
  }
  li.append(body);
  return li;
}

async function search(q) {
  const list = $('#kb-results');
  try {
    const { items, match } = await api('GET', `/api/kb/search?q=${encodeURIComponent(q)}&limit=8`);
    fill(list, ...items.map((i) => entryItem(i, { linkable: true })));
    $('#kb-note').textContent = items.length === 0 ? '没有找到相关条目' : match === 'some' ? '没有同时包含全部词语的条目，以下为部分相关' : '';
  } catch (err) {
    $('#kb-note').textContent = err.message;
  }
}

async function suggest(id) {
  ticketId = id;
  const list = $('#kb-suggestions');
  try {
    const { items } = await api('GET', `/api/tickets/${id}/kb-suggestions`);
    fill(list, ...items.slice(0, 3).map((i) => entryItem(i, { linkable: true })));
    $('#kb-suggest-head').hidden = items.length === 0;
  } catch {
    fill(list);
    $('#kb-suggest-head').hidden = true;
  }
}

$('#kb-form')?.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = $('#kb-q').value.trim();
  if (q) search(q);
});
// desk.js says which ticket is open
document.addEventListener('desk:ticket', (ev) => suggest(ev.detail.id));
