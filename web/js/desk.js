// A seat's desk (operators and street/town remote seats): the seat's state, the
// call pop with the ticket and the caller's earlier tickets, and the ticket inbox
// with deadlines and the lifecycle actions this user may take. Push over /ws/seat.
import {
  $, el, fill, session, makeApi, pageSocket, clock, startTicking, startClock, ticker, toast, wireLoginForm, showLogin,
  fmtDateTime, fmtDate, SEAT_STATE, KIND, STATUS, SATISFACTION, FINISHED, SOURCE, QUEUE, CATEGORIES, loadCategories,
  categoryText, ivrPathText, seatReasonText,
} from './common.js';
import { MAIL_EVENT_TEXT, ticketFiles } from './desk-files.js';
import { recordingPanel } from './recording-player.js';

const store = session('desk');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
// changes to this seat's tickets are pushed (`ticket` messages); the list is re-read now and
// then for the rest (each read of a caller in clear is audited, so not too often), and the
// deadlines are re-counted every minute
const INBOX_EVERY_MS = 5 * 60_000;
const DEADLINES_EVERY_MS = 60_000;

const state = {
  user: null,
  seat: null,
  socket: null,
  timers: [],
  /** { callId, ticketId, phase: 'connected' | 'ended' } */
  pop: null,
  inbox: [],
  tab: 'mine',
  /** the inbox as the server pages it: page number, status chip, search words, total and counts per status */
  inboxPage: 0,
  inboxStatus: null,
  inboxSearch: '',
  inboxTotal: 0,
  inboxCounts: null,
  /** the ticket open in the detail panel, and its loaded view { ticket, actions } */
  detailId: null,
  detail: null,
  /** ticketId -> Map(action -> refusal message): buttons disabled after a 4xx */
  refused: new Map(),
  /** ticketId -> { action, ok, text }: the last action's outcome, shown above the buttons */
  results: new Map(),
  /** street id -> name (GET /api/streets; the street seats before that) */
  streets: new Map(),
  /** department id -> name (GET /api/departments) */
  departments: new Map(),
  /** where ('pop' | 'detail') -> { ticketId, action }: the action form left open, reopened after a re-render */
  openForms: new Map(),
  /** ticketId -> { ok, text }: the editor's last save */
  editorMsg: new Map(),
  /** does the server take PATCH /api/tickets/:id (title, content, address…)? */
  canUpdate: false,
  inboxTimer: null,
  /** { ticketId, node }: the open ticket's recording player, kept across re-renders so playback goes on */
  player: null,
};

// ------------------------------------------------------------------ login / session

function logout(message) {
  state.socket?.close();
  state.socket = null;
  state.timers.forEach(clearInterval);
  state.timers = [];
  clearTimeout(state.inboxTimer);
  // nothing of this user's stays on screen for the next one
  if (state.pop) closePop();
  closeDetail();
  Object.assign(state, { user: null, seat: null, inbox: [], inboxPage: 0, inboxStatus: null, inboxSearch: '', inboxTotal: 0, inboxCounts: null, refused: new Map(), results: new Map(), openForms: new Map(), editorMsg: new Map() });
  fill($('#inbox'));
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), {
  store,
  accept: (user) => {
    if (!['operator', 'street_seat'].includes(user.role)) return '坐席工作台仅供话务员和街镇坐席使用';
    if (!user.seatId) return '该账号未绑定坐席，请联系管理员';
    return null;
  },
  onLoggedIn: start,
});

$('#logout').addEventListener('click', async () => {
  // leaving the desk signs the seat out, unless it is on a call
  if (state.seat && !['logged_out', 'on_call', 'ringing'].includes(state.seat.state)) {
    await api('POST', `/api/seats/${encodeURIComponent(state.user.seatId)}/state`, { state: 'logged_out' }).catch(() => undefined);
  }
  // the server ends the session too: the token stops working at once, not in 12 hours
  await api('POST', '/api/auth/logout').catch(() => undefined);
  logout();
});

function start() {
  const { user } = store.get();
  state.user = user;
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（${user.role === 'street_seat' ? '街镇坐席' : '话务员'}）`;
  $('#seat-title').textContent = `坐席 ${user.seatId}`;
  state.tab = user.role === 'street_seat' ? 'street' : 'mine';
  renderTabs();
  state.timers.push(startClock($('#clock')), startTicking($('#app')), setInterval(loadInbox, INBOX_EVERY_MS), setInterval(renderInbox, DEADLINES_EVERY_MS));
  probeUpdateRoute();
  loadSeat();
  // labels from the taxonomy first, so the inbox and pop-ups show its words
  loadCategories(api).catch(() => undefined).finally(loadInbox);
  loadStreets();
  state.socket = pageSocket('/ws/seat', {
    token: () => store.get()?.token ?? '',
    liveText: '在线',
    downNote: '；来电弹屏暂停',
    onFatal: (code) => logout(code === 4404 ? '该账号的坐席不存在，请联系管理员' : code === 4403 ? '坐席工作台仅供话务员和街镇坐席使用' : '登录已过期，请重新登录'),
    onMessage,
  });
}

function onMessage(msg) {
  if (msg.at) clock.sync(msg.at);
  switch (msg.type) {
    case 'hello':
      if (msg.seat) setSeat(msg.seat);
      // reloaded or reconnected mid-call: pop it again
      if (msg.call && state.pop?.callId !== msg.call.callId) openPop(msg.call.callId, msg.call.ticketId, msg.call.ticket);
      else if (!msg.call && state.pop?.phase === 'connected') callEnded(state.pop.callId);
      loadInbox();
      break;
    case 'seat':
      setSeat(msg.seat);
      break;
    case 'call':
      if (msg.phase === 'connected') openPop(msg.callId, msg.ticketId, msg.ticket);
      else if (msg.phase === 'ended') callEnded(msg.callId);
      break;
    case 'urge':
      // 12345 urged (催办) a ticket this seat holds
      toast(`12345 催办：工单 ${msg.number}（${msg.reason}）`, 'err', 8000);
      scheduleInbox(0);
      if (msg.ticketId === state.detailId) loadDetail(msg.ticketId, { keepResult: true });
      break;
    case 'ticket':
      scheduleInbox();
      if (msg.ticketId === state.detailId) loadDetail(msg.ticketId, { keepResult: true });
      if (msg.ticketId === state.pop?.ticketId) refreshPopTicket();
      break;
    default:
      break;
  }
}

/** Is PATCH /api/tickets/{id} in the server's OpenAPI? Then title/content/address are editable. */
async function probeUpdateRoute() {
  try {
    const res = await fetch('/docs/json');
    const doc = res.ok ? await res.json() : null;
    state.canUpdate = Boolean(doc?.paths?.['/api/tickets/{id}']?.patch);
  } catch {
    state.canUpdate = false;
  }
}

/** The registries the route form offers: active streets and departments (their ids, with names). */
async function loadStreets() {
  try {
    const [streets, departments] = await Promise.all([api('GET', '/api/streets?active=true'), api('GET', '/api/departments?active=true')]);
    state.streets = new Map(streets.items.map((s) => [s.id, `${s.district}${s.name}`]));
    state.departments = new Map(departments.items.map((d) => [d.id, d.name]));
    const options = (m) => [...m].map(([id, name]) => el('option', { value: id }, name));
    fill($('#street-list'), options(state.streets));
    fill($('#department-list'), options(state.departments));
    fill($('#unit-list'), options(state.streets), options(state.departments));
    if (state.detail) renderDetail();
  } catch {
    // the route form still takes a typed id; the server says which are unknown
  }
}

// ------------------------------------------------------------------ seat

async function loadSeat() {
  try {
    const { items } = await api('GET', '/api/seats');
    const mine = items.find((s) => s.id === state.user.seatId);
    if (mine) setSeat(mine);
  } catch (err) {
    $('#seat-error').textContent = err.message;
  }
}

function setSeat(seat) {
  state.seat = seat;
  const badge = $('#seat-badge');
  badge.textContent = SEAT_STATE[seat.state] ?? seat.state;
  badge.className = `badge badge-big state-${seat.state}`;
  badge.dataset.state = seat.state;
  const since = $('#seat-since');
  since.dataset.since = seat.since;
  since.dataset.base = '0';
  $('#seat-reason').textContent = seatReasonText(seat) ? `原因：${seatReasonText(seat)}` : '';
  $('#seat-title').textContent = `坐席 ${seat.id} · ${seat.name}`;
  const busyOnCall = seat.state === 'on_call' || seat.state === 'ringing';
  $('#btn-ready').disabled = seat.state === 'ready' || busyOnCall;
  $('#btn-signout').disabled = seat.state === 'logged_out' || busyOnCall;
  $('#btn-busy').disabled = false;
  $('#btn-busy').textContent = busyOnCall ? '通话后示忙' : '示忙';
  if (!state.pop) setCallStatus(busyOnCall ? (seat.state === 'ringing' ? '来电振铃中…' : '通话中') : seat.state === 'ready' ? '就绪，等待来电' : '未就绪，不会分配来电', busyOnCall ? 'live' : 'idle');
}

async function setSeatState(body) {
  const err = $('#seat-error');
  err.textContent = '';
  const buttons = ['#btn-ready', '#btn-busy', '#btn-signout'].map((s) => $(s));
  buttons.forEach((b) => (b.disabled = true));
  try {
    setSeat(await api('POST', `/api/seats/${encodeURIComponent(state.user.seatId)}/state`, body));
  } catch (e) {
    err.textContent = e.message;
    if (state.seat) setSeat(state.seat);
  }
}

$('#btn-ready').addEventListener('click', () => setSeatState({ state: 'ready' }));
$('#btn-signout').addEventListener('click', () => setSeatState({ state: 'logged_out' }));
$('#btn-busy').addEventListener('click', () => {
  const reason = $('#busy-reason').value;
  const other = $('#busy-other').value.trim();
  setSeatState({ state: 'not_ready', reason: reason === '其他' && other ? `其他：${other}` : reason });
});
$('#busy-reason').addEventListener('change', () => {
  $('#busy-other').hidden = $('#busy-reason').value !== '其他';
});

function setCallStatus(text, kind) {
  const s = $('#call-status');
  s.textContent = text;
  s.className = `call-status ${kind}`;
}

// ------------------------------------------------------------------ re-rendering without losing input

/** A field the user changed since it was rendered. */
function isDirty(f) {
  if (f.tagName === 'SELECT') return f.value !== ([...f.options].find((o) => o.defaultSelected) ?? f.options[0])?.value;
  return 'defaultValue' in f && f.value !== f.defaultValue;
}

/**
 * Replaces `root`'s content with `build()` and puts back what the user was typing:
 * changed fields of every keyed form (editor, open action form) and the focus.
 */
function rerender(root, build) {
  const saved = [...root.querySelectorAll('form[data-key]')].map((form) => ({
    key: form.dataset.key,
    values: Object.fromEntries([...form.elements].filter((f) => f.name && isDirty(f)).map((f) => [f.name, f.value])),
  }));
  const active = document.activeElement;
  const focus = active && root.contains(active) && active.form?.dataset.key ? { key: active.form.dataset.key, name: active.name, at: active.selectionStart ?? null } : null;
  fill(root, build());
  for (const { key, values } of saved) {
    const form = root.querySelector(`form[data-key="${CSS.escape(key)}"]`);
    if (!form) continue;
    for (const [name, value] of Object.entries(values)) {
      const f = form.elements.namedItem(name);
      if (!f || f.disabled) continue;
      f.value = value;
      // a new category brings its own subcategories
      if (f.tagName === 'SELECT') f.dispatchEvent(new Event('change'));
    }
  }
  if (focus) {
    const f = root.querySelector(`form[data-key="${CSS.escape(focus.key)}"]`)?.elements.namedItem(focus.name);
    if (f?.focus) {
      f.focus();
      if (focus.at !== null && f.setSelectionRange) f.setSelectionRange(focus.at, focus.at);
    }
  }
}

// ------------------------------------------------------------------ call pop

/** `facts`: the ticket's number, caller and category pushed with the call, shown before anything loads. */
function openPop(callId, ticketId, facts) {
  state.pop = { callId, ticketId, phase: 'connected', facts: facts ?? null, ticket: null, actions: [], earlier: null };
  setCallStatus('通话中', 'live');
  const pop = $('#pop');
  pop.hidden = false;
  pop.dataset.ticketId = String(ticketId ?? '');
  pop.dataset.callPhase = 'connected';
  renderPop();
  pop.scrollIntoView({ block: 'start' });
  if (ticketId) refreshPopTicket();
}

function callEnded(callId) {
  if (!state.pop || state.pop.callId !== callId) return;
  state.pop.phase = 'ended';
  $('#pop').dataset.callPhase = 'ended';
  setCallStatus('通话已结束，请完成工单', 'ended');
  renderPop();
  scheduleInbox();
}

function closePop() {
  state.pop = null;
  const pop = $('#pop');
  pop.hidden = true;
  delete pop.dataset.ticketId;
  fill(pop);
  if (state.seat) setSeat(state.seat);
}

async function refreshPopTicket() {
  const pop = state.pop;
  if (!pop?.ticketId) return;
  // the caller's earlier tickets load alongside the ticket when the push gave the number in clear
  const number = pop.facts && !pop.facts.callerMasked ? pop.facts.callerNumber : null;
  const earlierOf = (n) => api('GET', `/api/tickets?callerNumber=${encodeURIComponent(n)}&limit=20`).then((r) => r.items);
  try {
    const [ticket, acts, earlier] = await Promise.all([
      api('GET', `/api/tickets/${pop.ticketId}`),
      api('GET', `/api/tickets/${pop.ticketId}/actions`),
      pop.earlier === null && number ? earlierOf(number) : Promise.resolve(null),
    ]);
    if (state.pop !== pop) return;
    pop.ticket = ticket;
    pop.actions = acts.actions;
    if (earlier) pop.earlier = earlier.filter((t) => t.id !== ticket.id);
    else if (pop.earlier === null && ticket.callerNumber && !ticket.callerMasked) pop.earlier = (await earlierOf(ticket.callerNumber)).filter((t) => t.id !== ticket.id);
    else if (pop.earlier === null) pop.earlier = [];
    if (state.pop === pop) renderPop();
  } catch (err) {
    if (state.pop === pop) toast(`弹屏工单加载失败：${err.message}`, 'err');
  }
}

function renderPop() {
  const pop = state.pop;
  if (!pop) return;
  const t = pop.ticket;
  const call = t?.call;
  // until the ticket loads, the facts pushed with the call
  const f = t ?? pop.facts;
  const live = pop.phase === 'connected';
  rerender($('#pop'), () => [
    el(
      'div',
      { class: `pop-head ${live ? 'pop-live' : 'pop-ended'}` },
      el('span', { class: 'pop-flag' }, live ? '● 来电弹屏 · 通话中' : '通话已结束 · 请完成工单'),
      call?.seatAnsweredAt ? el('span', { class: 'pop-timer' }, live ? ['通话时长 ', ticker(call.seatAnsweredAt)] : '') : null,
      el('span', { class: 'spacer' }),
      live ? null : el('button', { class: 'btn btn-small btn-light', type: 'button', id: 'pop-close', onclick: closePop }, '完成并收起'),
    ),
    el(
      'div',
      { class: 'pop-body' },
      el(
        'div',
        { class: 'pop-facts' },
        fact('工单号', el('span', { id: 'pop-number', class: 'mono strong', dataset: f ? { loaded: '1' } : {} }, f?.number ?? `#${pop.ticketId ?? '—'} 加载中…`)),
        fact('来电号码', el('span', { id: 'pop-caller', class: 'mono strong big' }, f?.callerNumber ?? '—')),
        fact('来电人', t?.callerName ?? '—'),
        fact('分类', el('span', { id: 'pop-category' }, f ? categoryText(f.category ?? call?.category, f.subcategory ?? call?.subcategory) : '—')),
        fact('语音导航', el('span', { id: 'pop-ivr' }, ivrPathText(call?.ivrPath))),
        fact('队列', el('span', { id: 'pop-queue' }, QUEUE[call?.queue] ?? call?.queue ?? '—')),
        fact('排队等待', call?.waitSeconds !== null && call?.waitSeconds !== undefined ? `${call.waitSeconds} 秒` : '—'),
        fact('来电时间', fmtDateTime(call?.startedAt ?? t?.createdAt)),
      ),
      t ? ticketEditor(t, pop.actions, 'pop') : null,
    ),
    t ? actionsBlock(t, pop.actions, 'pop') : null,
    el(
      'div',
      { class: 'pop-history', dataset: pop.earlier === null ? {} : { loaded: '1' } },
      el('h3', {}, '该来电人的历史工单', pop.earlier ? el('span', { class: 'muted' }, ` ${pop.earlier.length} 件`) : null),
      pop.earlier === null
        ? el('p', { class: 'muted' }, '加载中…')
        : pop.earlier.length === 0
          ? el('p', { class: 'muted', id: 'pop-first' }, '首次来电，无历史工单')
          : el(
              'table',
              { class: 'table compact', id: 'pop-history' },
              el('thead', {}, el('tr', {}, ['日期', '工单号', '类型', '分类', '状态', '摘要'].map((h) => el('th', {}, h)))),
              el(
                'tbody',
                {},
                pop.earlier.map((e) =>
                  el(
                    'tr',
                    { dataset: { number: e.number, ticketId: String(e.id) }, class: 'clickable', onclick: () => openDetail(e.id) },
                    el('td', { class: 'mono' }, fmtDate(e.createdAt)),
                    el('td', { class: 'mono' }, e.number),
                    el('td', {}, KIND[e.kind] ?? '未定性'),
                    el('td', {}, categoryText(e.category, e.subcategory)),
                    el('td', {}, statusBadge(e.status)),
                    el('td', { class: 'summary' }, summary(e)),
                  ),
                ),
              ),
            ),
    ),
  ]);
}

const streetName = (id) => (id ? (state.streets.get(id) ?? id) : '—');
const fact = (label, value) => el('div', { class: 'fact' }, el('span', { class: 'fact-label' }, label), el('span', { class: 'fact-value' }, value));
const statusBadge = (s) => el('span', { class: `status status-${FINISHED.includes(s) ? 'done' : s}` }, STATUS[s] ?? s);
const summary = (t) => t.title || (t.content ? t.content.slice(0, 40) : '') || '—';

// ------------------------------------------------------------------ ticket editor (classification + text fields)

function options(map, current, blank) {
  const entries = Object.entries(map);
  if (current && !map[current]) entries.push([current, current]);
  return [blank !== undefined ? el('option', { value: '' }, blank) : null, ...entries.map(([v, label]) => el('option', { value: v, selected: v === current }, label))];
}

/** Kind/category/subcategory through `classify`; title/caller/address/content through PATCH where the server has it. */
function ticketEditor(t, actions, where) {
  const canClassify = actions.includes('classify');
  const canEdit = state.canUpdate && !FINISHED.includes(t.status) && ['operator', 'supervisor', 'street_seat'].includes(state.user.role);
  if (!canClassify && !canEdit) {
    return el(
      'div',
      { class: 'ticket-text' },
      textRow('标题', t.title),
      textRow('地址', t.address),
      textRow('诉求内容', t.content),
    );
  }
  const cats = Object.fromEntries(Object.entries(CATEGORIES).filter(([, c]) => !c.hidden).map(([id, c]) => [id, c.label]));
  const subsOf = (cat) => CATEGORIES[cat]?.subs ?? {};
  const text = (name, label, input) => (canEdit ? field(label, input) : textRow(label, t[name]));
  const form = el(
    'form',
    { class: 'editor', dataset: { where, key: `editor:${where}:${t.id}` } },
    el(
      'div',
      { class: 'row3' },
      field('工单类型', el('select', { name: 'kind', disabled: !canClassify || (t.kind && t.status !== 'open') }, options(KIND, t.kind, '未定性'))),
      field('分类', el('select', { name: 'category', disabled: !canClassify }, options(cats, t.category, '请选择'))),
      field('子类', el('select', { name: 'subcategory', disabled: !canClassify }, options(subsOf(t.category), t.subcategory, '—'))),
    ),
    canEdit
      ? el(
          'div',
          { class: 'row2' },
          field('标题', el('input', { name: 'title', class: 'input', value: t.title ?? '', maxlength: 200, placeholder: '一句话概括诉求' })),
          field('来电人', el('input', { name: 'callerName', class: 'input', value: t.callerName ?? '', maxlength: 64, disabled: t.callerMasked })),
        )
      : el('div', { class: 'ticket-text' }, textRow('标题', t.title)),
    text('address', '地址', el('input', { name: 'address', class: 'input', value: t.address ?? '', maxlength: 256, placeholder: '区 / 街道 / 小区 / 门牌' })),
    text('content', '诉求内容', el('textarea', { name: 'content', class: 'input', rows: 3, maxlength: 8000, placeholder: '记录市民反映的情况' }, t.content ?? '')),
    el(
      'div',
      { class: 'editor-foot' },
      canEdit ? null : el('span', { class: 'muted small' }, FINISHED.includes(t.status) ? '工单已办结，标题、地址、内容不能再改' : '标题、地址、内容在此只读'),
      el('span', { class: 'spacer' }),
      el('span', { class: `editor-msg ${state.editorMsg.get(t.id)?.ok === false ? 'err' : state.editorMsg.get(t.id) ? 'ok' : ''}`, role: 'status' }, state.editorMsg.get(t.id)?.text ?? ''),
      el('button', { class: 'btn btn-primary', type: 'submit' }, canEdit ? '保存' : '保存分类'),
    ),
  );
  form.category.addEventListener('change', () => fill(form.subcategory, options(subsOf(form.category.value), null, '—')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveTicket(t, form, canClassify, canEdit);
  });
  return form;
}

const field = (label, input) => el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), input);
const textRow = (label, value) => el('div', { class: 'text-row' }, el('span', { class: 'fact-label' }, label), el('span', { class: 'text-value' }, value || '—'));

async function saveTicket(t, form, canClassify, canEdit) {
  const msg = $('.editor-msg', form);
  const button = $('button[type=submit]', form);
  msg.textContent = '';
  msg.className = 'editor-msg';
  button.disabled = true;
  try {
    let changed = false;
    if (canClassify) {
      const body = {};
      if (form.kind.value && form.kind.value !== t.kind) body.kind = form.kind.value;
      if (form.category.value && form.category.value !== t.category) body.category = form.category.value;
      if (form.subcategory.value && form.subcategory.value !== t.subcategory) body.subcategory = form.subcategory.value;
      if (Object.keys(body).length) {
        await api('POST', `/api/tickets/${t.id}/actions/classify`, body);
        changed = true;
      }
    }
    if (canEdit) {
      const body = {};
      for (const name of ['title', 'callerName', 'address', 'content']) {
        const v = form[name].value.trim();
        if (!form[name].disabled && v && v !== (t[name] ?? '')) body[name] = v;
      }
      if (Object.keys(body).length) {
        await api('PATCH', `/api/tickets/${t.id}`, body);
        changed = true;
      }
    }
    msg.textContent = changed ? '已保存' : '没有改动';
    msg.classList.add('ok');
    state.editorMsg.set(t.id, { ok: true, text: msg.textContent });
    if (changed) {
      afterTicketChange(t.id);
      toast(`工单 ${t.number} 已保存`, 'ok');
    }
  } catch (err) {
    msg.textContent = `保存失败：${err.message}`;
    msg.classList.add('err');
    state.editorMsg.set(t.id, { ok: false, text: msg.textContent });
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ lifecycle actions

const note = { name: 'note', label: '备注（选填）' };
const reason = { name: 'reason', label: '原因', required: true, type: 'textarea' };
const satisfaction = { name: 'satisfaction', label: '满意度', type: 'select', required: true, options: SATISFACTION };

const LIMIT_UNIT = { name: 'unit', label: '计算方式', type: 'select', options: { working: '工作日', calendar: '自然日' } };
/** Where a route goes: a street, or a lead department with co-handlers; optionally a statutory limit with its basis. */
const ROUTE_FIELDS = [
  { name: 'target', label: '派往', type: 'select', required: true, options: { street: '街镇', departmentId: '牵头部门' } },
  { name: 'to', label: '街镇 / 部门', required: true, list: 'unit-list' },
  { name: 'coHandlers', label: '协办部门（选填，多个用逗号分隔）', list: 'department-list' },
  { name: 'limitDays', label: '法定或承诺时限（天，选填，替代10个工作日）', type: 'number', min: 0, max: 365 },
  LIMIT_UNIT,
  { name: 'limitBasis', label: '时限依据（填写时限时必填）' },
];
function routeBody(v) {
  const body = { [v.target]: v.to };
  const co = (v.coHandlers ?? '').split(/[,，\s]+/).filter(Boolean);
  if (co.length) body.coHandlers = co;
  if (v.limitDays) body.limit = { days: Number(v.limitDays), unit: v.unit ?? 'working', basis: v.limitBasis ?? '' };
  if (v.note) body.note = v.note;
  if (v.reason) body.reason = v.reason;
  return body;
}

/** Each lifecycle action: its label and the fields of its body (tickets/action-schemas.ts). */
const ACTIONS = {
  take: { label: '认领', fields: [] },
  answer: { label: '直接答复办结', fields: [{ name: 'reply', label: '答复内容', type: 'textarea', required: true }], primary: true },
  draft_reply: { label: '起草答复送审', fields: [{ name: 'draft', label: '答复草稿', type: 'textarea', required: true }] },
  approve: { label: '审核通过', fields: [note], primary: true },
  send_back: { label: '退回修改', fields: [reason], danger: true },
  give_reply: { label: '答复市民', fields: [note], primary: true },
  route: { label: '派转', primary: true, fields: [...ROUTE_FIELDS, note], body: routeBody },
  recall: { label: '撤回派转', fields: [reason], danger: true },
  reroute: { label: '改派', fields: [...ROUTE_FIELDS, reason], body: routeBody },
  record_part: { label: '记录协办情况', fields: [{ name: 'part', label: '协办情况', type: 'textarea', required: true }], primary: true },
  request_coordination: { label: '提请市局办公室协调', fields: [{ ...reason, label: '提请协调的原因' }] },
  answer_coordination: { label: '答复协调', fields: [{ name: 'answer', label: '协调意见', type: 'textarea', required: true }], primary: true },
  request_extension: { label: '申请延期', fields: [{ name: 'days', label: '延期天数', type: 'number', required: true, min: 1, max: 365 }, LIMIT_UNIT, { ...reason, label: '延期理由' }], body: (v) => ({ days: Number(v.days), unit: v.unit, reason: v.reason }) },
  grant_extension: { label: '批准延期', fields: [{ name: 'days', label: '批准天数（不填则按申请）', type: 'number', min: 1, max: 365 }, note], primary: true, body: (v) => ({ ...(v.days ? { days: Number(v.days) } : {}), ...(v.note ? { note: v.note } : {}) }) },
  refuse_extension: { label: '不予延期', fields: [reason], danger: true },
  accept: { label: '签收', fields: [note], primary: true },
  bounce: { label: '退单', fields: [reason], danger: true },
  contact: { label: '已联系市民', done: '已记录联系市民', fields: [{ name: 'note', label: '联系情况', type: 'textarea', required: true }], primary: true },
  resolve: { label: '办结', fields: [{ name: 'result', label: '办理结果', type: 'textarea', required: true }], primary: true },
  callback: { label: '回访', fields: [satisfaction, note], primary: true },
  close: { label: '结案', fields: [note] },
  reopen: { label: '重新打开', fields: [reason] },
  supervise: { label: '发起督办', fields: [reason], danger: true },
  take_spot_check: { label: '认领抽查回访', fields: [] },
  spot_check: { label: '抽查回访', fields: [satisfaction, note] },
  start_supervision: { label: '开始督办', fields: [{ name: 'note', label: '督办意见', type: 'textarea', required: true }] },
  respond: { label: '督办回复', fields: [{ name: 'result', label: '回复内容', type: 'textarea', required: true }], primary: true },
  dispatch: { label: '应急处置', fields: [{ name: 'note', label: '处置情况', type: 'textarea', required: true }], primary: true },
  coordinate: { label: '协同处理', fields: [{ name: 'organisation', label: '协同单位', required: true }, { name: 'note', label: '协同情况', type: 'textarea', required: true }], primary: true },
  return_to_12345: { label: '退回12345', fields: [reason], danger: true },
};

/** The action buttons this user may take on the ticket now (classify is in the editor). */
function actionsBlock(t, actions, where) {
  const refused = state.refused.get(t.id) ?? new Map();
  const result = state.results.get(t.id);
  const shown = actions.filter((a) => a !== 'classify');
  const box = el(
    'div',
    { class: 'actions', dataset: { loaded: '1', ticketId: String(t.id) } },
    el('div', { class: 'actions-head' }, el('h3', {}, '办理'), shown.length ? null : el('span', { class: 'muted' }, FINISHED.includes(t.status) ? '工单已办结' : '当前状态下您没有可执行的操作')),
    result
      ? el('p', { class: `action-result ${result.ok ? 'ok' : 'err'}`, dataset: { action: result.action, ok: String(result.ok) }, role: 'status' }, result.text)
      : null,
    el(
      'div',
      { class: 'action-buttons' },
      shown.map((a) => {
        const spec = ACTIONS[a] ?? { label: a, fields: [] };
        const why = refused.get(a);
        return el(
          'button',
          {
            type: 'button',
            class: `btn ${spec.danger ? 'btn-warn' : spec.primary ? 'btn-primary' : ''}`,
            dataset: { action: a },
            disabled: Boolean(why),
            title: why ?? '',
            onclick: () => (spec.fields.length ? openActionForm(box, t, a, spec, where) : runAction(t, a, {}, where)),
          },
          spec.label,
        );
      }),
    ),
    el('div', { class: 'action-form-slot' }),
  );
  // a form the user had open comes back after a re-render
  const open = state.openForms.get(where);
  if (open?.ticketId === t.id && shown.includes(open.action) && !refused.has(open.action)) openActionForm(box, t, open.action, ACTIONS[open.action], where, false);
  return box;
}

function openActionForm(box, t, action, spec, where, focus = true) {
  const slot = $('.action-form-slot', box);
  state.openForms.set(where, { ticketId: t.id, action });
  const form = el(
    'form',
    { class: 'action-form', dataset: { action, key: `action:${where}:${t.id}:${action}` } },
    el('h4', {}, spec.label),
    spec.fields.map((f) => {
      let input;
      if (f.type === 'select') input = el('select', { name: f.name, required: f.required }, Object.entries(f.options).map(([v, l]) => el('option', { value: v }, l)));
      else if (f.type === 'textarea') input = el('textarea', { name: f.name, class: 'input', rows: 3, required: f.required, maxlength: 8000 });
      else input = el('input', { name: f.name, class: 'input', type: f.type === 'number' ? 'number' : 'text', min: f.type === 'number' ? (f.min ?? 0) : null, max: f.type === 'number' ? (f.max ?? 365) : null, required: f.required, list: f.list ?? null });
      return field(f.label, input);
    }),
    el(
      'div',
      { class: 'form-foot' },
      el('button', { type: 'button', class: 'btn', onclick: () => { state.openForms.delete(where); fill(slot); } }, '取消'),
      el('button', { type: 'submit', class: `btn ${spec.danger ? 'btn-warn' : 'btn-primary'}` }, `确认${spec.label}`),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = {};
    for (const f of spec.fields) {
      const v = form[f.name].value.trim();
      if (v) values[f.name] = v;
    }
    const body = spec.body ? spec.body(values) : values;
    $('button[type=submit]', form).disabled = true;
    runAction(t, action, body, where);
  });
  fill(slot, form);
  if (focus) form.querySelector('input, textarea, select')?.focus();
}

async function runAction(t, action, body, where) {
  const label = ACTIONS[action]?.label ?? action;
  state.openForms.delete(where);
  try {
    const updated = await api('POST', `/api/tickets/${t.id}/actions/${action}`, body);
    state.refused.delete(t.id);
    const done = ACTIONS[action]?.done ?? `已${label}`;
    state.results.set(t.id, { action, ok: true, text: `${done}：工单现为「${STATUS[updated.status] ?? updated.status}」` });
    toast(`工单 ${t.number}：${done}`, 'ok');
    afterTicketChange(t.id);
  } catch (err) {
    if (err.status >= 400 && err.status < 500) {
      // the action is refused for this ticket now: disable it and say why
      const refused = state.refused.get(t.id) ?? new Map();
      refused.set(action, err.message);
      state.refused.set(t.id, refused);
    }
    state.results.set(t.id, { action, ok: false, text: `${label}失败：${err.message}` });
    if (where === 'pop') renderPop();
    else if (state.detail?.ticket.id === t.id) renderDetail();
  }
}

function afterTicketChange(ticketId) {
  if (state.pop?.ticketId === ticketId) refreshPopTicket();
  if (state.detailId === ticketId) loadDetail(ticketId, { keepResult: true });
  scheduleInbox(0);
}

// ------------------------------------------------------------------ inbox

function renderTabs() {
  const tabs = state.user.role === 'street_seat' ? [['street', '本街镇工单']] : [['mine', '我的工单'], ['open', '全部未结'], ['callback', '待回访']];
  fill(
    $('#inbox-tabs'),
    tabs.map(([id, label]) =>
      el(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: `tab${state.tab === id ? ' active' : ''}`,
          'aria-selected': String(state.tab === id),
          dataset: { tab: id },
          onclick: () => {
            state.tab = id;
            state.inboxPage = 0;
            state.inboxStatus = null;
            renderTabs();
            scheduleInbox(0);
          },
        },
        label,
      ),
    ),
  );
}

function scheduleInbox(ms = 300) {
  clearTimeout(state.inboxTimer);
  state.inboxTimer = setTimeout(loadInbox, ms);
}

/** the inbox's page size: the server pages and orders it (overdue first, then the nearest deadline) */
const INBOX_PAGE = 50;

function inboxQuery() {
  const p = new URLSearchParams({ open: 'true', sort: 'deadline', limit: String(INBOX_PAGE), offset: String(state.inboxPage * INBOX_PAGE) });
  if (state.tab === 'mine') p.set('mine', 'true');
  // 待回访: abandoned calls and voice messages waiting to be called back (the voice message plays in the ticket)
  if (state.tab === 'callback') p.set('needsCallback', 'true');
  if (state.inboxStatus) p.set('status', state.inboxStatus);
  if (state.inboxSearch) p.set('q', state.inboxSearch);
  return `/api/tickets?${p}`;
}

async function loadInbox() {
  if (!store.get()) return;
  try {
    // the server scopes the list by role (a street seat gets its street's tickets only),
    // keeps the open ones, orders them by deadline and pages them; counts come with the page
    const { items, total, counts } = await api('GET', inboxQuery());
    if (!items.length && state.inboxPage > 0) {
      state.inboxPage = Math.max(0, Math.ceil(total / INBOX_PAGE) - 1);
      return loadInbox();
    }
    Object.assign(state, { inbox: items, inboxTotal: total, inboxCounts: counts ?? null, inboxError: null });
    renderInbox();
  } catch (err) {
    state.inboxError = err.message;
    $('#inbox-count').textContent = `加载失败：${err.message}`;
  }
}

const dueMs = (t) => (t.dueAt ? Date.parse(t.dueAt) : Infinity);
const isOverdue = (t) => t.overdue || dueMs(t) < clock.now();

/** the page as the server sent it: overdue first, then the nearest deadline, none last */
function inboxItems() {
  return state.inbox;
}

/** the status chips: every open status of the tab with its count, and 全部 */
function renderInboxStatuses() {
  const counts = state.inboxCounts;
  const box = $('#inbox-statuses');
  if (!box) return;
  if (!counts) return fill(box, []);
  const chip = (status, label, n) =>
    el(
      'button',
      {
        type: 'button',
        class: `chip${(state.inboxStatus ?? null) === status ? ' active' : ''}`,
        dataset: { status: status ?? 'all' },
        onclick: () => {
          state.inboxStatus = status;
          state.inboxPage = 0;
          scheduleInbox(0);
        },
      },
      `${label} ${n}`,
    );
  fill(box, [chip(null, '全部', counts.total), ...Object.entries(counts.byStatus).map(([st, n]) => chip(st, STATUS[st] ?? st, n))]);
}

function renderInboxPager() {
  const box = $('#inbox-pager');
  if (!box) return;
  const pages = Math.max(1, Math.ceil(state.inboxTotal / INBOX_PAGE));
  const go = (page) => {
    state.inboxPage = page;
    scheduleInbox(0);
  };
  fill(box, pages <= 1 ? [] : [
    el('button', { type: 'button', class: 'btn btn-small', id: 'inbox-prev', disabled: state.inboxPage === 0 ? '' : undefined, onclick: () => go(state.inboxPage - 1) }, '上一页'),
    el('span', { class: 'muted' }, `第 ${state.inboxPage + 1} / ${pages} 页`),
    el('button', { type: 'button', class: 'btn btn-small', id: 'inbox-next', disabled: state.inboxPage + 1 >= pages ? '' : undefined, onclick: () => go(state.inboxPage + 1) }, '下一页'),
  ]);
}

function dueText(t) {
  if (!t.dueAt) return t.overdue ? el('span', { class: 'tag tag-overdue' }, '已超期') : el('span', { class: 'muted' }, '—');
  const left = (Date.parse(t.dueAt) - clock.now()) / 1000;
  const span = (s) => (Math.abs(s) >= 86_400 ? `${Math.floor(Math.abs(s) / 86_400)} 天` : Math.abs(s) >= 3600 ? `${Math.floor(Math.abs(s) / 3600)} 小时` : `${Math.max(1, Math.floor(Math.abs(s) / 60))} 分钟`);
  let tag;
  if (left < 0) tag = el('span', { class: 'tag tag-overdue' }, `已超期 ${span(left)}`);
  // the server's flag stays once a step's deadline was missed, even after the ticket moved on
  else if (t.overdue) tag = el('span', { class: 'tag tag-overdue', title: '此前有办理期限已超期' }, `曾超期 · 剩 ${span(left)}`);
  else tag = el('span', { class: `tag ${left < 86_400 ? 'tag-soon' : 'tag-ok'}` }, `剩 ${span(left)}`);
  return el('div', { class: 'due' }, el('span', { class: 'mono' }, fmtDateTime(t.dueAt)), t.dueAtProvisional ? provisionalTag() : null, tag);
}

/** 暂定: the deadline counts days of a year whose holiday notice is not loaded yet */
const provisionalTag = () => el('span', { class: 'tag tag-provisional', title: '该年节假日安排尚未载入，期限按法定节假日暂定计算，载入通知后自动重算' }, '暂定');

function renderInbox() {
  if (!state.user) return;
  const items = inboxItems();
  const counts = state.inboxCounts;
  const overdue = counts?.overdue ?? items.filter(isOverdue).length;
  $('#inbox-count').textContent = `${counts?.total ?? state.inboxTotal} 件${overdue ? `，已超期 ${overdue} 件` : ''}`;
  $('#inbox-empty').hidden = items.length > 0;
  renderInboxStatuses();
  renderInboxPager();
  fill(
    $('#inbox'),
    items.map((t) => {
      const soon = !isOverdue(t) && t.dueAt && Date.parse(t.dueAt) - clock.now() < 86_400_000;
      return el(
        'tr',
        {
          class: `clickable${isOverdue(t) ? ' overdue' : ''}${soon ? ' due-soon' : ''}${state.detailId === t.id ? ' selected' : ''}`,
          dataset: { ticketId: String(t.id), number: t.number, status: t.status },
          onclick: () => openDetail(t.id),
        },
        el('td', {}, dueText(t)),
        el('td', { class: 'mono' }, t.number),
        el('td', {}, t.kind ? el('span', { class: `kind kind-${t.kind}` }, KIND[t.kind]) : el('span', { class: 'muted' }, '未定性')),
        el('td', {}, statusBadge(t.status)),
        el('td', {}, categoryText(t.category, t.subcategory)),
        el('td', { class: 'mono col-caller' }, t.callerNumber ?? '—'),
        el('td', { class: 'summary' }, summary(t)),
      );
    }),
  );
}

// ------------------------------------------------------------------ ticket detail

function openDetail(id) {
  state.detailId = id;
  state.results.delete(id);
  state.refused.delete(id);
  renderInbox();
  loadDetail(id);
}

async function loadDetail(id, { keepResult = false } = {}) {
  const panel = $('#detail');
  panel.hidden = false;
  if (!keepResult) state.results.delete(id);
  try {
    const [ticket, acts] = await Promise.all([api('GET', `/api/tickets/${id}`), api('GET', `/api/tickets/${id}/actions`)]);
    if (state.detailId !== id) return;
    const first = state.detail?.ticket.id !== id;
    state.detail = { ticket, actions: acts.actions };
    renderDetail();
    if (first) document.dispatchEvent(new CustomEvent('desk:ticket', { detail: { id } })); // the knowledge base card (desk-kb.js)
    if (first) panel.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  } catch (err) {
    fill(panel, el('p', { class: 'error' }, `工单加载失败：${err.message}`));
  }
}

function renderDetail() {
  const { ticket: t, actions } = state.detail;
  const panel = $('#detail');
  panel.dataset.number = t.number;
  panel.dataset.ticketId = String(t.id);
  const deadlines = [
    ['派转期限', t.routeDueAt, t.routeDueAtProvisional],
    ['联系期限', t.contactDueAt, t.contactDueAtProvisional],
    ['办结期限', t.resolveDueAt, t.resolveDueAtProvisional],
    ['12345期限', t.orderDueAt, false],
  ].filter(([, v]) => v);
  const unit = (id) => (id ? (state.departments.get(id) ?? id) : '—');
  const limitText = (l) => `${l.days}${l.unit === 'calendar' ? '日（自然日）' : '个工作日'}${l.basis ? `（依据：${l.basis}）` : ''}`;
  rerender(panel, () => [
    el(
      'div',
      { class: 'detail-head' },
      el('h2', { class: 'mono' }, t.number),
      t.kind ? el('span', { class: `kind kind-${t.kind}` }, KIND[t.kind]) : el('span', { class: 'kind' }, '未定性'),
      statusBadge(t.status),
      el('span', { class: 'spacer' }),
      el('button', { type: 'button', class: 'btn btn-small', onclick: () => openDetail(t.id) }, '刷新'),
      el('button', { type: 'button', class: 'btn btn-small', onclick: closeDetail }, '关闭'),
    ),
    el(
      'div',
      { class: 'detail-facts' },
      fact('来源', SOURCE[t.source] ?? t.source),
      fact('来电号码', el('span', { class: 'mono' }, t.callerNumber ?? '—')),
      fact('来电人', t.callerName ?? '—'),
      fact('分类', categoryText(t.category, t.subcategory) || '—'),
      fact('街镇', streetName(t.assignedStreet ?? t.street)),
      fact(t.coHandlers?.length ? '牵头部门' : '部门', unit(t.departmentId)),
      t.coHandlers?.length ? fact('协办部门', t.coHandlers.map((c) => unit(c.departmentId)).join('、')) : null,
      t.limit ? fact('法定/承诺时限', limitText(t.limit)) : null,
      t.extensionCount ? fact('已延期', `${t.extensionCount} 次`) : null,
      t.urgeCount ? fact('12345催办', el('span', { class: 'tag tag-overdue' }, `${t.urgeCount} 次 · ${fmtDateTime(t.urgedAt)}`)) : null,
      fact('创建时间', fmtDateTime(t.createdAt)),
      fact('当前期限', dueText(t)),
      deadlines.map(([l, v, provisional]) => fact(l, el('span', {}, el('span', { class: 'mono' }, fmtDateTime(v)), provisional ? provisionalTag() : null))),
    ),
    playerOf(t),
    ticketEditor(t, actions, 'detail'),
    t.reply || t.draftReply || t.result
      ? el('div', { class: 'ticket-text' }, t.draftReply ? textRow('答复草稿', t.draftReply) : null, t.reply ? textRow('答复', t.reply) : null, t.result ? textRow('办理结果', t.result) : null)
      : null,
    t.coHandlers?.some((c) => c.part) || t.coordination || t.extensionRequest
      ? el(
          'div',
          { class: 'ticket-text' },
          t.coHandlers.filter((c) => c.part).map((c) => textRow(`协办：${unit(c.departmentId)}`, c.part)),
          t.coordination ? textRow('提请市局办公室协调', `${t.coordination.reason}${t.coordination.answer ? ` → 答复：${t.coordination.answer}` : '（待答复）'}`) : null,
          t.extensionRequest ? textRow('延期申请（待审批）', `${limitText({ days: t.extensionRequest.days, unit: t.extensionRequest.unit })}：${t.extensionRequest.reason}`) : null,
        )
      : null,
    ticketFiles(() => store.get()?.token, t),
    actionsBlock(t, actions, 'detail'),
    el(
      'details',
      { class: 'history' },
      el('summary', {}, `办理记录（${t.events.length}）`),
      el(
        'ol',
        {},
        t.events.map((e) =>
          el('li', {}, el('span', { class: 'mono muted' }, fmtDateTime(e.at)), ` ${e.actor} · ${EVENT_TEXT[e.action] ?? ACTIONS[e.action]?.label ?? e.action}`, e.toStatus && e.toStatus !== e.fromStatus ? ` → ${STATUS[e.toStatus] ?? e.toStatus}` : '', e.reason ? `（${e.reason}）` : ''),
        ),
      ),
    ),
  ]);
}

/** The ticket's recording player (call recording, voice message, the call's timeline), made once per open ticket. */
function playerOf(t) {
  if (t.source !== 'phone') return null;
  // who works it decides who may listen: taking the ticket (a callback) makes the player anew
  const key = `${t.id}:${t.assignedUserId}:${t.assignedSeatId}:${t.callbackUserId ?? ''}`;
  if (state.player?.key !== key) state.player = { key, node: recordingPanel(api, t.id) };
  return state.player.node;
}

/** History entries that are not lifecycle actions. */
const EVENT_TEXT = { created: '创建', edit: '修改', classify: '定性分类', overdue: '超期', redispatched: '12345重新派发', order_updated: '12345更新工单', urged: '12345催办', supervision_opened: '发起督办', supervision_result: '督办结果' };
Object.assign(EVENT_TEXT, MAIL_EVENT_TEXT);

function closeDetail() {
  state.player = null;
  state.detailId = null;
  state.detail = null;
  $('#detail').hidden = true;
  if (state.user) renderInbox();
}

// ------------------------------------------------------------------ boot

$('#inbox-refresh')?.addEventListener('click', () => scheduleInbox(0));
$('#inbox-search')?.addEventListener('submit', (e) => {
  e.preventDefault();
  state.inboxSearch = e.target.elements.q.value.trim();
  state.inboxPage = 0;
  scheduleInbox(0);
});

if (store.get()) start();
else showLogin();
