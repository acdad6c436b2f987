// The supervisor's statistics page: a month's five kinds, satisfaction per unit, the
// evaluation ranking (with its printable report), hot and focus terms, online answering.
import { $, el, fill, session, makeApi, wireLoginForm, showLogin } from './common.js';
import { barChart, stackedBars, legend, SATISFACTION_PARTS, pct } from './charts.js';

const store = session('stats');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
const READERS = ['supervisor', 'admin', 'inspector'];
const ROLE = { supervisor: '值班主管', admin: '管理员', inspector: '监察室' };

function logout(message) {
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), { store, accept: (u) => (READERS.includes(u.role) ? null : '统计分析仅供主管、管理员和监察室使用；部门、街镇请打开通报评价报告'), onLoggedIn: start });
$('#logout').addEventListener('click', () => logout());

/** the month before today's, as YYYY-MM */
function lastMonth() {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}
function periodOf(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

async function download(path, name) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${store.get()?.token}` } });
  if (!res.ok) return showError(`下载失败（HTTP ${res.status}）`);
  const a = el('a', { href: URL.createObjectURL(await res.blob()), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function showError(text) {
  $('#error').hidden = !text;
  $('#error').textContent = text ?? '';
}

function start() {
  const { user } = store.get();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（${ROLE[user.role] ?? user.role}）`;
  const month = $('#month');
  const params = new URLSearchParams(location.search);
  month.value = params.get('month') ?? lastMonth();
  month.addEventListener('change', () => load(month.value));
  $('#csv-month').onclick = () => download(`/api/stats/monthly-report.csv?month=${month.value}`, `962200-monthly-report-${month.value}.csv`);
  $('#csv-eval').onclick = () => {
    const p = periodOf(month.value);
    download(`/api/stats/evaluation.csv?from=${p.from}&to=${p.to}`, `962200-evaluation-${month.value}.csv`);
  };
  $('#print-all').onclick = () => window.open(`/stats/report?month=${month.value}`);
  load(month.value);
}

async function load(month) {
  showError(null);
  const p = periodOf(month);
  const q = `from=${p.from}&to=${p.to}`;
  try {
    const [tickets, sat, evaluation, hot, online] = await Promise.all([
      api('GET', `/api/stats/tickets?${q}`),
      api('GET', `/api/stats/satisfaction?${q}&by=unit`),
      api('GET', `/api/stats/evaluation?${q}`),
      api('GET', `/api/stats/hot-topics?${q}&limit=15`),
      api('GET', `/api/stats/online?${q}`),
    ]);
    renderKinds(tickets);
    renderCategories(tickets);
    renderSatisfaction(sat);
    renderEvaluation(evaluation, month);
    renderTerms(hot);
    renderOnline(online);
    document.body.dataset.loaded = month;
  } catch (err) {
    showError(err.message);
  }
}

const KIND_COLORS = ['#2563eb', '#0891b2', '#7c3aed', '#dc2626', '#16a34a', '#9ca3af'];
function renderKinds(t) {
  $('#kinds-total').textContent = `共 ${t.total} 件`;
  fill($('#kinds'), barChart(t.kinds.map((k, i) => ({ label: k.label, value: k.count, color: KIND_COLORS[i] })), { format: (v) => `${v} 件` }));
  $('#kinds-note').textContent = `状态截至 ${new Date(t.statusAsOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}（依历史记录）`;
}

function renderCategories(t) {
  const by = new Map();
  for (const r of t.rows) {
    const label = r.categoryLabel ?? '未分类';
    by.set(label, (by.get(label) ?? 0) + r.count);
  }
  fill($('#categories'), barChart([...by].sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value })), { color: '#0891b2', format: (v) => `${v} 件` }));
}

function renderSatisfaction(s) {
  fill($('#sat-legend'), legend(SATISFACTION_PARTS({ satisfied: 0, fair: 0, unsatisfied: 0 })));
  const rows = [{ label: '全部', parts: SATISFACTION_PARTS(s.total), note: `${pct(s.total.rate)} / ${s.total.total}` }];
  for (const it of s.items) rows.push({ label: it.unitLabel, parts: SATISFACTION_PARTS(it), note: `${pct(it.rate)} / ${it.total}` });
  fill($('#sat'), stackedBars(rows));
  const c = s.channels;
  $('#sat-note').textContent =
    `回访 ${c.callback.total} 次，抽查回访 ${c.spot_check.total} 次，按键评价 ${c.ivr.total} 次；` +
    `抽查样本 ${s.spotCheck.drawn} 件，已回访 ${s.spotCheck.responded} 件（回访率 ${pct(s.spotCheck.responseRate)}）。满意率 = 满意 ÷ 评价数。`;
}

function renderEvaluation(e, month) {
  const head = el('tr', {}, ['名次', '单位', '工单', '联系按时率', '答复按时率', '超期', '督办', '退回', '延期', '满意率', '得分', ''].map((h) => el('th', {}, h)));
  const row = (u) =>
    el('tr', {}, [
      el('td', { class: 'mono' }, `${u.rank}/${u.rankOf}`),
      el('td', {}, u.unitLabel),
      el('td', { class: 'mono' }, u.tickets),
      el('td', { class: 'mono' }, pct(u.contact.onTimeRate)),
      el('td', { class: 'mono' }, pct(u.answer.onTimeRate)),
      el('td', { class: 'mono' }, u.overdue),
      el('td', { class: 'mono' }, u.supervised),
      el('td', { class: 'mono' }, u.bounces),
      el('td', { class: 'mono' }, u.extensions),
      el('td', { class: 'mono' }, pct(u.satisfaction.rate)),
      el('td', { class: 'mono score' }, u.score === null ? '—' : u.score.toFixed(1)),
      el('td', {}, el('button', { class: 'btn btn-small', type: 'button', onclick: () => window.open(`/stats/report?month=${month}&unitKind=${u.unitKind}&unit=${encodeURIComponent(u.unit)}`) }, '报告')),
    ]);
  for (const [id, list] of [['#eval-departments', e.departments], ['#eval-streets', e.streets]]) {
    fill($(id), el('thead', {}, head.cloneNode(true)), el('tbody', {}, list.length ? list.map(row) : el('tr', {}, el('td', { colspan: 12, class: 'empty' }, '本期无数据'))));
  }
}

function renderTerms(h) {
  fill(
    $('#terms'),
    barChart(h.terms.map((t) => ({ label: `${t.term} ${t.change > 0 ? '↑' : t.change < 0 ? '↓' : '＝'}${Math.abs(t.change)}`, value: t.count })), { color: '#ea580c', labelWidth: 150 }),
  );
  fill($('#focus'), h.focus.length ? barChart(h.focus.map((f) => ({ label: f.term, value: f.count })), { color: '#b91c1c' }) : el('p', { class: 'empty' }, '本期无超期、督办或不满意工单'));
}

function renderOnline(o) {
  const kpi = (label, value) => el('div', { class: 'mini-kpi' }, el('span', { class: 'mini-label' }, label), el('span', { class: 'mini-value mono' }, value));
  fill($('#online-kpis'), kpi('提问', o.asked), kpi('已解答', o.answered), kpi('解答率', pct(o.answerRate)), kpi('转工单', o.ticketsOpened));
  fill($('#online-gaps'), o.topUnanswered.length ? o.topUnanswered.map((g) => el('li', {}, el('span', {}, g.question), el('span', { class: 'mono count' }, `${g.count} 次`))) : el('li', { class: 'empty' }, '无'));
}

if (store.get() && READERS.includes(store.get().user.role)) start();
else showLogin();
