// The supervisors' wallboard: queues, seats, live calls (listen-in), emergency
// alerts and today's calls per hour, live over /ws/supervisor.
import {
  $, el, fill, session, makeApi, pageSocket, clock, startTicking, startClock, ticker, toast, wireLoginForm, showLogin,
  fmtDuration, fmtTime, shanghaiDay, SEAT_STATE, CALL_PHASE, QUEUE, seatReasonText, emergencySummaryText, categoryText, calendarBanner,
} from './common.js';
import { barChart, stackedBars, legend, SATISFACTION_PARTS, pct as ratePct } from './charts.js';
import { alertBanner } from './alerts.js';

const store = session('wallboard');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
const ALERTS_KEY = 'hotline.wallboard.alerts';
const CHART_EVERY_MS = 60_000;
const CHART_MIN_GAP_MS = 5_000;
const FIGURES_EVERY_MS = 5 * 60_000;

const state = {
  queues: [],
  queuesAt: null,
  seats: [],
  calls: [],
  alerts: loadAlerts(),
  /** callId -> { ok, text } of the last listen-in attempt */
  listen: new Map(),
  socket: null,
  timers: [],
  chartAt: 0,
  chartTimer: null,
  /** the stored alerts' banner (alerts.js), made at login */
  banner: null,
};

// ------------------------------------------------------------------ login

function logout(message) {
  state.socket?.close();
  state.socket = null;
  state.timers.forEach(clearInterval);
  state.timers = [];
  clearTimeout(state.chartTimer);
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), {
  store,
  accept: (user) => (['supervisor', 'admin'].includes(user.role) ? null : '监控大屏仅供值班主管使用'),
  onLoggedIn: start,
});
$('#logout').addEventListener('click', async () => {
  // the server ends the session too: the token stops working at once, not in 12 hours
  await api('POST', '/api/auth/logout').catch(() => undefined);
  logout();
});

function start() {
  const { user } = store.get();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（${user.role === 'admin' ? '管理员' : '值班主管'}）`;
  // stored alerts stay on the banner until a supervisor acknowledges them (an admin only watches)
  state.banner ??= alertBanner({ api, banner: $('#alert'), canAck: user.role === 'supervisor', onChange: markAcknowledged });
  renderAlerts();
  state.timers.push(startClock($('#clock')), startTicking($('#app')), setInterval(loadChart, CHART_EVERY_MS), calendarBanner(api, $('#calendar-banner')).timer);
  loadChart();
  loadFigures();
  state.timers.push(setInterval(loadFigures, FIGURES_EVERY_MS));
  state.socket = pageSocket('/ws/supervisor', {
    token: () => store.get()?.token ?? '',
    liveText: '实时',
    onFatal: (code) => logout(code === 4403 ? '监控大屏仅供值班主管使用' : '登录已过期，请重新登录'),
    onMessage,
  });
}

// ------------------------------------------------------------------ messages

function onMessage(msg) {
  if (msg.at) clock.sync(msg.at);
  switch (msg.type) {
    case 'snapshot':
      state.queues = msg.queues ?? [];
      state.queuesAt = msg.at;
      state.seats = msg.seats ?? [];
      state.calls = msg.calls ?? [];
      renderQueues();
      renderSeats();
      renderCalls();
      for (const a of msg.alerts ?? []) remember(a);
      state.banner?.setOpen(msg.alerts ?? []);
      // a reconnect may follow a restart: today's numbers may have moved
      loadChart(true);
      break;
    case 'queues':
      state.queues = msg.queues ?? [];
      state.queuesAt = msg.at;
      renderQueues();
      break;
    case 'seats':
      state.seats = msg.seats ?? [];
      renderSeats();
      break;
    case 'calls':
      state.calls = msg.calls ?? [];
      renderCalls();
      loadChart();
      break;
    // an emergency is stored and comes as an `alert` (src/alerts), like every other alert
    case 'alert':
      remember(msg.alert);
      state.banner?.raised(msg.alert);
      break;
    case 'alert_ack':
      state.banner?.acknowledged(msg.id);
      break;
    default:
      break;
  }
}

// ------------------------------------------------------------------ queues

const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
const secs = (v) => (v === null || v === undefined ? '—' : `${v} 秒`);
const SEAT_CHIPS = ['ready', 'on_call', 'ringing', 'wrap_up', 'not_ready'];

/** longest wait ticks locally from the message time */
function waitTicker(q, cls) {
  if (!q.waiting) return el('span', { class: cls }, '—');
  const since = new Date(Date.parse(state.queuesAt) - q.longestWaitSeconds * 1000).toISOString();
  return ticker(since, 0, cls);
}

function renderQueues() {
  const qs = state.queues;
  renderKpis(qs);
  const box = $('#queues');
  if (!qs.length) return fill(box, el('p', { class: 'empty' }, '暂无队列数据（电话系统未启动）'));
  fill(
    box,
    qs.map((q) => {
      const seats = q.seats ?? {};
      const hot = q.waiting > 0 && q.longestWaitSeconds >= 60;
      return el(
        'article',
        { class: `queue${q.waiting ? ' queue-waiting' : ''}${hot ? ' queue-hot' : ''}`, dataset: { queue: q.id } },
        el('header', { class: 'queue-head' }, el('span', { class: 'queue-name' }, q.name || QUEUE[q.id] || q.id)),
        el(
          'div',
          { class: 'queue-main' },
          el('div', { class: 'big' }, el('span', { class: 'big-num q-waiting' }, String(q.waiting)), el('span', { class: 'big-label' }, '排队等待')),
          el('div', { class: 'big' }, waitTicker(q, 'big-num big-num-sm q-longest'), el('span', { class: 'big-label' }, '最长等待')),
        ),
        el(
          'div',
          { class: 'chips' },
          SEAT_CHIPS.map((s) => el('span', { class: `chip state-${s}${seats[s] ? '' : ' chip-zero'}` }, `${SEAT_STATE[s]} ${seats[s] ?? 0}`)),
        ),
        el(
          'dl',
          { class: 'stats' },
          stat('呼入', q.offeredToday),
          stat('接通', q.answeredToday),
          stat('放弃', q.abandonedToday, q.abandonedToday ? 'bad' : ''),
          stat('服务水平', pct(q.serviceLevel), q.serviceLevel !== null && q.serviceLevel < 0.8 ? 'bad' : ''),
          stat('平均应答', secs(q.asaSeconds)),
        ),
        screeningStats(q),
      );
    }),
  );
}

// remote seats (outside numbers) hear a whisper and press 1: today's screenings for the street queue
function screeningStats(q) {
  const sc = q.screeningToday;
  if (!sc || (q.id !== 'street' && !sc.offered)) return null;
  return el(
    'dl',
    { class: 'stats stats-screening', dataset: { screening: q.id }, title: '远程坐席接听确认（提示音后按1）' },
    stat('确认提示', sc.offered),
    stat('按1接听', sc.accepted),
    stat('拒接', sc.declined, sc.declined ? 'bad' : ''),
    stat('未确认', sc.missed, sc.missed ? 'bad' : ''),
  );
}

const stat = (label, value, cls = '') => el('div', { class: `stat ${cls}` }, el('dt', {}, label), el('dd', {}, String(value ?? '—')));

function renderKpis(qs) {
  const sum = (k) => qs.reduce((n, q) => n + (q[k] ?? 0), 0);
  const waiting = sum('waiting');
  const answered = sum('answeredToday');
  const offered = sum('offeredToday');
  const abandoned = sum('abandonedToday');
  // service level and ASA over all queues, weighted by answered calls
  const withSl = qs.filter((q) => q.serviceLevel !== null && q.answeredToday);
  const sl = withSl.length ? withSl.reduce((n, q) => n + q.serviceLevel * q.answeredToday, 0) / withSl.reduce((n, q) => n + q.answeredToday, 0) : null;
  const withAsa = qs.filter((q) => q.asaSeconds !== null && q.answeredToday);
  const asa = withAsa.length ? Math.round(withAsa.reduce((n, q) => n + q.asaSeconds * q.answeredToday, 0) / withAsa.reduce((n, q) => n + q.answeredToday, 0)) : null;
  const longest = qs.reduce((best, q) => (q.waiting && q.longestWaitSeconds >= (best?.longestWaitSeconds ?? -1) ? q : best), null);
  const kpi = (label, value, cls = '') => el('div', { class: `kpi ${cls}` }, el('div', { class: 'kpi-value' }, value), el('div', { class: 'kpi-label' }, label));
  fill(
    $('#kpis'),
    kpi('排队等待', el('span', { id: 'kpi-waiting' }, String(waiting)), waiting ? 'warn' : ''),
    kpi('最长等待', longest ? waitTicker(longest, '') : '—', longest && longest.longestWaitSeconds >= 60 ? 'bad' : ''),
    kpi('今日呼入', String(offered)),
    kpi('今日接通', String(answered)),
    kpi('今日放弃', String(abandoned), abandoned ? 'bad' : ''),
    kpi('服务水平（20秒）', pct(sl)),
    kpi('平均应答', secs(asa)),
  );
}

// ------------------------------------------------------------------ seats

const SEAT_ORDER = { on_call: 0, ringing: 1, wrap_up: 2, ready: 3, not_ready: 4, logged_out: 5 };

function renderSeats() {
  const seats = [...state.seats].sort((a, b) => (a.state === 'logged_out') - (b.state === 'logged_out') || a.id.localeCompare(b.id, 'zh-CN', { numeric: true }));
  const on = seats.filter((s) => s.state !== 'logged_out').length;
  $('#seats-count').textContent = `${on} 在线 / ${seats.length}`;
  fill(
    $('#seats'),
    seats.map((s) =>
      el(
        'tr',
        { class: `seat-row${s.state === 'logged_out' ? ' dim' : ''}`, dataset: { seat: s.id, state: s.state, order: String(SEAT_ORDER[s.state] ?? 9) } },
        el('td', { class: 'mono' }, s.kind === 'street' ? '街镇' : s.id),
        el('td', { class: 'seat-name', title: s.name }, s.name),
        el('td', {}, el('span', { class: `badge state-${s.state}` }, SEAT_STATE[s.state] ?? s.state)),
        el('td', { class: 'reason' }, seatReasonText(s)),
        el('td', { class: 'mono' }, ticker(s.since)),
      ),
    ),
  );
}

// ------------------------------------------------------------------ live calls

function renderCalls() {
  const calls = state.calls;
  $('#calls-count').textContent = calls.length ? `${calls.length} 路` : '';
  $('#calls-empty').hidden = calls.length > 0;
  $('#calls-table').hidden = calls.length === 0;
  // forget results of calls that are gone
  for (const id of state.listen.keys()) if (!calls.some((c) => c.callId === id)) state.listen.delete(id);
  fill(
    $('#calls'),
    calls.map((c) => {
      const result = state.listen.get(c.callId);
      const connected = c.phase === 'connected';
      return el(
        'tr',
        { dataset: { call: c.callId, phase: c.phase } },
        el('td', { class: 'mono' }, c.callerNumber ?? '未知号码'),
        el('td', {}, QUEUE[c.queue] ?? c.queue ?? '—', c.category ? el('span', { class: 'sub' }, ` ${categoryText(c.category)}`) : null),
        el('td', {}, el('span', { class: `badge phase-${c.phase}` }, CALL_PHASE[c.phase] ?? c.phase)),
        el('td', { class: 'mono' }, c.seatId ?? '—'),
        el('td', { class: 'mono' }, ticker(connected ? (c.connectedAt ?? c.since) : c.since)),
        el(
          'td',
          { class: 'listen-cell' },
          connected ? el('button', { class: 'btn btn-small btn-listen', type: 'button', onclick: (e) => listenIn(c.callId, e.currentTarget) }, '监听') : el('span', { class: 'sub' }, '接通后可监听'),
          result ? el('div', { class: `listen-result ${result.ok ? 'ok' : 'err'}` }, result.text) : null,
        ),
      );
    }),
  );
}

async function listenIn(callId, button) {
  button.disabled = true;
  button.textContent = '呼叫中…';
  try {
    const r = await api('POST', `/api/calls/${encodeURIComponent(callId)}/listen`, {});
    state.listen.set(callId, { ok: true, text: `已呼叫您的话机 ${r?.endpoint ?? ''}，请接听` });
    toast('监听已发起：请接听您的话机', 'ok');
  } catch (err) {
    state.listen.set(callId, { ok: false, text: `监听失败：${err.message}` });
    toast(`监听失败：${err.message}`, 'err');
  }
  renderCalls();
}

// ------------------------------------------------------------------ alerts

function loadAlerts() {
  try {
    const all = JSON.parse(sessionStorage.getItem(ALERTS_KEY) ?? '[]');
    const today = shanghaiDay(Date.now());
    return Array.isArray(all) ? all.filter((a) => shanghaiDay(Date.parse(a.at)) === today) : [];
  } catch {
    return [];
  }
}

function saveAlerts() {
  sessionStorage.setItem(ALERTS_KEY, JSON.stringify(state.alerts.slice(0, 30)));
}

/** Keeps an alert in today's list (newest first); the same alert again only updates it. */
function remember(a) {
  const item = { id: a.id, at: a.createdAt, code: a.code, summary: a.summary, ticketId: a.ticketId ?? null, number: a.ticketNumber ?? null, acknowledged: a.acknowledged };
  const i = state.alerts.findIndex((x) => x.id === a.id);
  if (i >= 0) state.alerts[i] = { ...state.alerts[i], ...item };
  else state.alerts.unshift(item);
  state.alerts = state.alerts.slice(0, 30);
  saveAlerts();
  renderAlerts();
}

/** The banner's open alerts changed: the others in the list are acknowledged. */
function markAcknowledged(open) {
  const ids = new Set(open.map((a) => a.id));
  for (const a of state.alerts) a.acknowledged = !ids.has(a.id);
  $('#alerts-open').textContent = open.length ? `${open.length} 条未确认` : '';
  saveAlerts();
  renderAlerts();
}

function renderAlerts() {
  $('#alerts-empty').hidden = state.alerts.length > 0;
  fill(
    $('#alerts'),
    state.alerts.map((a, i) =>
      el(
        'li',
        { class: `alert-item${i === 0 ? ' latest' : ''}${a.acknowledged ? ' acknowledged' : ''}`, dataset: { alert: String(a.id ?? '') } },
        el('span', { class: 'alert-time mono' }, fmtTime(a.at)),
        el('span', { class: 'alert-summary' }, a.id ? a.summary : emergencySummaryText(a)),
        el('span', { class: 'alert-state' }, a.acknowledged ? '已确认' : '未确认'),
        a.ticketId ? el('span', { class: 'alert-ticket mono' }, a.number ?? `#${a.ticketId}`) : null,
      ),
    ),
  );
}

// ------------------------------------------------------------------ month's satisfaction, week's terms

/** This month's ratings per channel and the last 7 days' hot terms (GET /api/stats/*), every 5 minutes. */
async function loadFigures() {
  if (!store.get()) return;
  const today = shanghaiDay();
  const weekAgo = shanghaiDay(clock.now() - 6 * 86_400_000);
  try {
    const [sat, hot] = await Promise.all([
      api('GET', `/api/stats/satisfaction?from=${today.slice(0, 8)}01&to=${today}`),
      api('GET', `/api/stats/hot-topics?from=${weekAgo}&to=${today}&limit=8`),
    ]);
    const CH = { callback: '回访', spot_check: '抽查回访', ivr: '按键评价' };
    $('#month-sat-count').textContent = `满意率 ${ratePct(sat.total.rate)}，${sat.total.total} 次评价`;
    fill(
      $('#month-sat'),
      legend(SATISFACTION_PARTS(sat.total)),
      stackedBars(Object.entries(CH).map(([k, label]) => ({ label, parts: SATISFACTION_PARTS(sat.channels[k]), note: `${ratePct(sat.channels[k].rate)} / ${sat.channels[k].total}` })), { width: 420, labelWidth: 80 }),
    );
    fill($('#week-terms'), hot.terms.length ? barChart(hot.terms.map((t) => ({ label: t.term, value: t.count })), { width: 420, labelWidth: 80, color: '#f97316' }) : el('p', { class: 'empty' }, '暂无'));
  } catch (err) {
    fill($('#month-sat'), el('p', { class: 'empty' }, `统计加载失败：${err.message}`));
  }
}

// ------------------------------------------------------------------ calls per hour

/** Fetches today's calls per hour; at most once per CHART_MIN_GAP_MS unless forced. */
function loadChart(force = false) {
  if (!store.get()) return;
  const wait = state.chartAt + CHART_MIN_GAP_MS - Date.now();
  if (!force && wait > 0) {
    state.chartTimer ??= setTimeout(() => {
      state.chartTimer = null;
      loadChart(true);
    }, wait);
    return;
  }
  state.chartAt = Date.now();
  const day = shanghaiDay();
  api('GET', `/api/stats/calls-per-hour?day=${day}`)
    .then((r) => drawChart(r?.hours ?? [], null))
    .catch((err) => drawChart([], err.status === 404 ? '每小时话务量统计暂不可用（服务器未提供该接口）' : `每小时话务量加载失败：${err.message}`));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** Whole-number axis: a step of 1, 2, 5, 10, 20, 50… and a top that is 4–5 steps. */
function axis(n) {
  let step = 1;
  for (let p = 1; ; p *= 10) {
    const m = [1, 2, 5].find((k) => k * p * 4 >= n);
    if (m) {
      step = m * p;
      break;
    }
  }
  return { step, top: Math.max(step * 4, Math.ceil(n / step) * step) };
}

function drawChart(hours, note) {
  const byHour = Array.from({ length: 24 }, (_, h) => hours.find((x) => x.hour === h) ?? { hour: h, offered: 0, answered: 0, abandoned: 0 });
  const W = 960;
  const H = 240;
  const pad = { l: 44, r: 12, t: 14, b: 28 };
  const { step, top: max } = axis(Math.max(0, ...byHour.map((x) => Math.max(x.offered, x.answered + x.abandoned))));
  const cw = (W - pad.l - pad.r) / 24;
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const nowHour = Number(new Date(clock.now() + 8 * 3600_000).toISOString().slice(11, 13));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': '今日每小时话务量' });
  for (let v = 0; v <= max; v += step) {
    root.append(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid-line' }));
    root.append(svg('text', { x: pad.l - 8, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, v));
  }
  byHour.forEach((x, h) => {
    const bx = pad.l + h * cw + cw * 0.15;
    const bw = cw * 0.7;
    const other = Math.max(0, x.offered - x.answered - x.abandoned);
    let base = 0;
    const g = svg('g', { class: `bar${h === nowHour ? ' bar-now' : ''}`, 'data-hour': h, 'data-offered': x.offered });
    for (const [v, cls] of [[x.answered, 'answered'], [x.abandoned, 'abandoned'], [other, 'other']]) {
      if (!v) continue;
      g.append(svg('rect', { x: bx, y: y(base + v), width: bw, height: y(base) - y(base + v), class: `seg seg-${cls}` }));
      base += v;
    }
    g.append(svg('title', {}, `${h}:00–${h + 1}:00  呼入 ${x.offered}，接通 ${x.answered}，放弃 ${x.abandoned}`));
    if (x.offered) g.append(svg('text', { x: bx + bw / 2, y: y(base) - 4, class: 'bar-label', 'text-anchor': 'middle' }, x.offered));
    root.append(g);
    if (h % 2 === 0) root.append(svg('text', { x: pad.l + h * cw + cw / 2, y: H - 8, class: 'axis', 'text-anchor': 'middle' }, `${h}时`));
  });
  root.append(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0), class: 'base-line' }));
  fill($('#chart'), root);
  const n = $('#chart-note');
  n.hidden = !note;
  n.textContent = note ?? '';
}

// ------------------------------------------------------------------ boot

if (store.get()) start();
else showLogin();
