// The admin's page for the State Council's holiday notice: a year as it stands
// (official or provisional), and the form that loads a notice through
// PUT /api/calendar/years/:year. Loading recounts open deadlines on the server.
import { $, el, fill, session, makeApi, wireLoginForm, showLogin, fmtDateTime, calendarBanner, clock } from './common.js';

const store = session('admin');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
const state = { timers: [], banner: null };

function logout(message) {
  state.timers.forEach(clearInterval);
  state.timers = [];
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), {
  store,
  accept: (user) => (user.role === 'admin' ? null : '节假日安排仅限管理员载入'),
  onLoggedIn: start,
});
$('#logout').addEventListener('click', () => logout());

function start() {
  const { user } = store.get();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（管理员）`;
  state.banner = calendarBanner(api, $('#calendar-banner'));
  state.timers.push(state.banner.timer);
  const thisYear = Number(new Date(clock.now() + 8 * 3600_000).toISOString().slice(0, 4));
  const select = $('#year');
  fill(select, [thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => el('option', { value: String(y) }, `${y}年`)));
  // from November the year to prepare is next year's
  select.value = String(new Date(clock.now() + 8 * 3600_000).getUTCMonth() >= 10 ? thisYear + 1 : thisYear);
  select.onchange = () => loadYear(Number(select.value), { prefill: true });
  loadYear(Number(select.value), { prefill: true });
}

async function loadYear(year, { prefill = false } = {}) {
  try {
    const y = await api('GET', `/api/calendar/years/${year}`);
    const official = y.source === 'official';
    const badge = $('#source');
    badge.className = `source source-${y.source}`;
    badge.textContent = official ? '已载入正式通知' : '暂定：按法定节假日推算';
    $('#year-meta').textContent = official
      ? `${y.title ?? ''}${y.documentNumber ? `（${y.documentNumber}）` : ''} · ${y.loadedBy} 于 ${fmtDateTime(y.loadedAt)} 载入`
      : '尚未载入国务院办公厅通知：周末休息，另按《全国年节及纪念日放假办法》放假，逢周末的法定假日顺延补假。';
    fill(
      $('#periods'),
      y.periods.map((p) => el('tr', {}, el('td', {}, p.name ?? '—'), el('td', { class: 'mono' }, p.from), el('td', { class: 'mono' }, p.to), el('td', {}, String(p.days)))),
    );
    fill($('#workdays'), y.makeUpWorkdays.length ? y.makeUpWorkdays.map((w) => el('li', { class: 'mono' }, `${w.date}（${w.name ?? '—'}）`)) : el('li', { class: 'muted' }, '无'));
    if (prefill) {
      const form = $('#notice-form');
      form.holidays.value = y.holidays.join('\n');
      form.workdays.value = y.workdays.join('\n');
      form.title.value = official ? (y.title ?? '') : '';
      form.documentNumber.value = official ? (y.documentNumber ?? '') : '';
    }
  } catch (err) {
    $('#year-meta').textContent = `加载失败：${err.message}`;
  }
}

/** "2027-02-06~2027-02-12" and single dates, separated by lines, spaces or commas; anything else is sent as typed for the server to name */
function dates(text) {
  const out = [];
  for (const token of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const range = /^(\d{4}-\d{2}-\d{2})(?:~|～|\.\.|至)(\d{4}-\d{2}-\d{2})$/.exec(token);
    if (!range) {
      out.push(token);
      continue;
    }
    for (let d = range[1], n = 0; d <= range[2] && n < 400; n++) {
      out.push(d);
      d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    }
  }
  return out;
}

$('#notice-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const year = Number($('#year').value);
  const result = $('#notice-result');
  result.className = '';
  result.textContent = '正在载入…';
  const body = { holidays: dates(form.holidays.value), workdays: dates(form.workdays.value) };
  if (form.title.value.trim()) body.title = form.title.value.trim();
  if (form.documentNumber.value.trim()) body.documentNumber = form.documentNumber.value.trim();
  try {
    const r = await api('PUT', `/api/calendar/years/${year}`, body);
    result.className = 'ok';
    result.textContent = `${year}年节假日安排已载入：放假 ${r.holidays.length} 天，调休上班 ${r.workdays.length} 天；重新计算了 ${r.ticketsRecomputed} 件工单的期限。`;
    await loadYear(year);
    state.banner?.refresh();
  } catch (err) {
    result.className = 'error';
    result.textContent = `未载入：${err.message}`;
  }
});

// ------------------------------------------------------------------ boot

if (store.get()) start();
else showLogin();
