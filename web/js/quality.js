// The supervisor's and quality inspectors' page (质检, 第二十一条、二十二条): the day's
// calls drawn per seat, each played with its timeline and scored on the score sheet (kept
// as data on the server) with comments; any ticket's recording by its number; the
// month's scores per seat.
import { $, el, fill, session, makeApi, wireLoginForm, showLogin } from './common.js';
import { recordingPanel } from './recording-player.js';

const store = session('quality');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
const READERS = ['quality', 'supervisor'];
const ROLE = { quality: '质检员', supervisor: '值班主管' };
const state = { sheet: null, samples: [], selected: null };

function logout(message) {
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), { store, accept: (u) => (READERS.includes(u.role) ? null : '质检与录音仅供质检员和主管使用'), onLoggedIn: start });
$('#logout').addEventListener('click', () => logout());

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const yesterday = () => new Date(Date.parse(`${shanghaiToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function showError(text) {
  $('#error').hidden = !text;
  $('#error').textContent = text ?? '';
}

async function start() {
  const { user } = store.get();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（${ROLE[user.role] ?? user.role}）`;
  const params = new URLSearchParams(location.search);
  $('#day').value = params.get('day') ?? yesterday();
  $('#month').value = params.get('month') ?? $('#day').value.slice(0, 7);
  $('#day').addEventListener('change', loadSamples);
  $('#month').addEventListener('change', loadStats);
  $('#lookup').addEventListener('submit', lookUp);
  try {
    state.sheet = await api('GET', '/api/quality/sheet');
  } catch (err) {
    showError(`评分表加载失败：${err.message}`);
  }
  await Promise.all([loadSamples(), loadStats()]);
  const ticket = params.get('ticket');
  if (ticket) openTicket(Number(ticket), null);
}

async function loadSamples() {
  try {
    const { items, total } = await api('GET', `/api/quality/samples?day=${$('#day').value}`);
    state.samples = items;
    $('#samples-count').textContent = `${total} 通`;
    $('#samples-empty').hidden = items.length > 0;
    renderSamples();
  } catch (err) {
    showError(`抽样加载失败：${err.message}`);
  }
}

function renderSamples() {
  fill(
    $('#samples tbody'),
    state.samples.map((x) =>
      el(
        'tr',
        { class: state.selected?.id === x.id ? 'selected' : '', dataset: { sampleId: String(x.id), ticketId: String(x.ticketId) }, onclick: () => openTicket(x.ticketId, x) },
        el('td', { class: 'mono' }, x.day),
        el('td', { class: 'mono' }, x.seatId),
        el('td', { class: 'mono' }, x.ticketNumber ?? `#${x.ticketId}`),
        el('td', {}, `${x.population} 通`),
        el('td', {}, x.score ? `${x.score.total} / ${x.score.maxTotal}` : el('span', { class: 'muted' }, '未评分')),
      ),
    ),
  );
}

async function lookUp(e) {
  e.preventDefault();
  const number = e.target.number.value.trim();
  try {
    const { items } = await api('GET', `/api/tickets?number=${encodeURIComponent(number)}`);
    if (!items.length) return showError(`没有工单 ${number}`);
    showError(null);
    openTicket(items[0].id, state.samples.find((x) => x.ticketId === items[0].id) ?? null);
  } catch (err) {
    showError(err.message);
  }
}

/** The inspection panel: the player with the call's timeline, and for a drawn call the score sheet. */
function openTicket(ticketId, sample) {
  state.selected = sample;
  renderSamples();
  const panel = $('#inspection');
  panel.hidden = false;
  panel.dataset.ticketId = String(ticketId);
  fill(
    panel,
    el('h2', {}, sample ? `质检：坐席 ${sample.seatId} · ${sample.ticketNumber ?? `#${ticketId}`}` : `工单录音 #${ticketId}`),
    recordingPanel(api, ticketId),
    sample && state.sheet ? scoreSheet(sample) : el('p', { class: 'muted' }, '该通话不在质检抽样中：只收听，不评分。'),
  );
}

function scoreSheet(sample) {
  const given = new Map((sample.score?.items ?? []).map((i) => [i.code, i]));
  const total = el('p', { class: 'score-total', role: 'status' });
  const result = el('span', { class: 'score-result', role: 'status' });
  const form = el(
    'form',
    { class: 'score-sheet', dataset: { sampleId: String(sample.id) } },
    el('h3', {}, `${state.sheet.name}（满分 ${state.sheet.maxTotal}）`),
    el(
      'table',
      { class: 'table' },
      el('thead', {}, el('tr', {}, el('th', {}, '评分项'), el('th', {}, '分值'), el('th', {}, '得分'), el('th', {}, '扣分说明'))),
      el(
        'tbody',
        {},
        state.sheet.items.map((item) =>
          el(
            'tr',
            { dataset: { code: item.code } },
            el('td', { title: item.description ?? '' }, item.label, item.description ? el('div', { class: 'muted' }, item.description) : null),
            el('td', {}, String(item.points)),
            el('td', {}, el('input', { type: 'number', name: `points:${item.code}`, min: 0, max: item.points, step: 1, required: true, value: given.get(item.code)?.points ?? item.points, 'aria-label': `${item.label}得分` })),
            el('td', {}, el('input', { type: 'text', name: `comment:${item.code}`, maxlength: 2000, value: given.get(item.code)?.comment ?? '' })),
          ),
        ),
      ),
    ),
    el('label', {}, '总评', el('textarea', { name: 'comment', rows: 2, maxlength: 2000 }, sample.score?.comment ?? '')),
    total,
    el('button', { type: 'submit', class: 'btn btn-primary' }, sample.score ? '重新评分' : '提交评分'),
    result,
    sample.score ? el('p', { class: 'muted' }, `上次评分：${sample.score.scoredBy}，${sample.score.total} / ${sample.score.maxTotal}`) : null,
  );
  const recount = () => {
    const sum = state.sheet.items.reduce((n, i) => n + (Number(form.elements.namedItem(`points:${i.code}`).value) || 0), 0);
    total.textContent = `合计 ${sum} / ${state.sheet.maxTotal}`;
  };
  form.addEventListener('input', recount);
  recount();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const items = state.sheet.items.map((i) => {
      const comment = form.elements.namedItem(`comment:${i.code}`).value.trim();
      return { code: i.code, points: Number(form.elements.namedItem(`points:${i.code}`).value), ...(comment ? { comment } : {}) };
    });
    const comment = form.elements.namedItem('comment').value.trim();
    try {
      const saved = await api('POST', `/api/quality/samples/${sample.id}/score`, { items, ...(comment ? { comment } : {}) });
      // the score route answers the sample without its ticket number
      Object.assign(sample, { ...saved, ticketNumber: sample.ticketNumber });
      result.textContent = `已保存：${saved.score.total} / ${saved.score.maxTotal}`;
      result.className = 'score-result ok';
      renderSamples();
      loadStats();
    } catch (err) {
      result.textContent = err.message;
      result.className = 'score-result err';
    }
  });
  return form;
}

async function loadStats() {
  const month = $('#month').value;
  $('#stats-month').textContent = month;
  try {
    const { sheet, items } = await api('GET', `/api/quality/stats?from=${month}&to=${month}&by=seat_month`);
    fill(
      $('#stats'),
      el('thead', {}, el('tr', {}, el('th', {}, '坐席'), el('th', {}, '已评分'), el('th', {}, '平均得分率'), sheet.items.map((i) => el('th', {}, `${i.label}（${i.points}）`)))),
      el(
        'tbody',
        {},
        items.length
          ? items.map((r) =>
              el('tr', { dataset: { seatId: r.seatId } }, el('td', { class: 'mono' }, r.seatId), el('td', {}, `${r.scored} 通`), el('td', {}, `${r.averagePercent}%`), sheet.items.map((i) => el('td', {}, String(r.items.find((x) => x.code === i.code)?.average ?? '—')))),
            )
          : el('tr', {}, el('td', { colspan: 3 + sheet.items.length, class: 'muted' }, '本月尚无评分')),
      ),
    );
  } catch (err) {
    showError(`统计加载失败：${err.message}`);
  }
}

if (store.get()) start();
else showLogin();
