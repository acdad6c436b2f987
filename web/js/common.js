// Shared by the wallboard and the desk: session, API calls, the reconnecting
// websocket, the server clock, formatting, and the Chinese labels.
// Plain ES module, no build step, no outside resources.

// ------------------------------------------------------------------ DOM

/**
 * el('div', { class: 'x', onclick: fn, dataset: { id: 1 } }, 'text', child, [more])
 * Text is always set as text (never HTML): caller data can't inject markup.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Replaces a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// ------------------------------------------------------------------ session

/** The token and user of one page, kept in sessionStorage (gone when the tab closes). */
/** Both pages share one login form: hide the app, show the form with a message. */
export function showLogin(message) {
  $('#app').hidden = true;
  $('#login').hidden = false;
  $('.login-error').textContent = message ?? '';
  $('#login-form').username.focus();
}

export function session(page) {
  const key = `hotline.${page}`;
  return {
    get() {
      try {
        const v = JSON.parse(sessionStorage.getItem(key) ?? 'null');
        return v && v.token ? v : null;
      } catch {
        return null;
      }
    },
    set(token, user) {
      sessionStorage.setItem(key, JSON.stringify({ token, user }));
    },
    clear() {
      sessionStorage.removeItem(key);
    },
  };
}

// ------------------------------------------------------------------ API

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** fetch with the bearer token; JSON in and out; a 4xx/5xx throws ApiError with the server's message. */
export function makeApi(getToken, onUnauthorized) {
  return async function api(method, path, body) {
    const headers = { accept: 'application/json' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, '无法连接服务器', 'network');
    }
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      if (res.status === 401 && token && onUnauthorized) onUnauthorized();
      // a 4xx says what was wrong; a 5xx's text is not for people
      const message = res.status >= 500 ? (data?.error === 'no_telephony' ? '电话系统未连接' : `服务器错误（HTTP ${res.status}），请稍后再试`) : (data?.message ?? `HTTP ${res.status}`);
      throw new ApiError(res.status, message, data?.error);
    }
    return data;
  };
}

export async function login(username, password) {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  }).catch(() => null);
  if (!res) throw new ApiError(0, '无法连接服务器', 'network');
  const data = await res.json().catch(() => null);
  if (res.status === 401) throw new ApiError(401, '用户名或密码错误', 'bad_credentials');
  if (res.status === 429) throw new ApiError(429, '登录尝试过于频繁，请稍后再试', 'rate_limited');
  if (!res.ok || !data?.token) throw new ApiError(res.status, data?.message ?? `登录失败（HTTP ${res.status}）`, data?.error);
  return data;
}

// ------------------------------------------------------------------ websocket

/**
 * A websocket that reconnects by itself with capped, jittered backoff. The server
 * sends a fresh snapshot/hello on every connect, so a reconnect re-syncs everything.
 * Closes with 4401/4403/4404 are final (bad token, wrong role, no seat).
 */
export function liveSocket(path, { token, onOpen, onMessage, onDown, onFatal }) {
  let ws = null;
  let attempt = 0;
  let stopped = false;
  let timer = null;
  const url = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}?token=${encodeURIComponent(token())}`;
  const open = () => {
    timer = null;
    if (stopped) return;
    ws = new WebSocket(url());
    ws.onopen = () => {
      attempt = 0;
      onOpen?.();
    };
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      onMessage(msg);
    };
    ws.onclose = (e) => {
      ws = null;
      if (stopped) return;
      if (e.code === 4401 || e.code === 4403 || e.code === 4404) {
        stopped = true;
        onFatal?.(e.code, e.reason);
        return;
      }
      attempt += 1;
      const delay = Math.round(Math.min(5000, 500 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4));
      onDown?.(attempt, delay);
      timer = setTimeout(open, delay);
    };
  };
  open();
  return {
    close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    },
    get connected() {
      return ws?.readyState === WebSocket.OPEN;
    },
  };
}

/**
 * A page's live socket with what both pages show about it: the #conn indicator
 * (`● <liveText>` / `● 重连中`), the #reconnecting banner (plus `downNote`), and #app
 * marked stale until the server's next snapshot.
 */
export function pageSocket(path, { token, liveText, downNote = '', onFatal, onMessage }) {
  const setConn = (up) => {
    const c = $('#conn');
    c.textContent = up ? `● ${liveText}` : '● 重连中';
    c.className = `conn ${up ? 'conn-up' : 'conn-down'}`;
  };
  return liveSocket(path, {
    token,
    onOpen: () => {
      $('#reconnecting').hidden = true;
      $('#app').classList.remove('stale');
      setConn(true);
    },
    onDown: (attempt, delay) => {
      const banner = $('#reconnecting');
      banner.hidden = false;
      banner.textContent = `与服务器的连接已断开，正在重新连接…（第 ${attempt} 次，${Math.ceil(delay / 1000)} 秒后${downNote}）`;
      setConn(false);
      // what is on screen may be out of date until the new snapshot
      $('#app').classList.add('stale');
    },
    onFatal,
    onMessage,
  });
}

// ------------------------------------------------------------------ time

/** The server's clock as seen from here: messages carry `at`, so "time in state" doesn't drift with a wrong PC clock. */
export const clock = {
  offset: 0,
  now() {
    return Date.now() + this.offset;
  },
  sync(atIso) {
    const t = Date.parse(atIso);
    if (Number.isFinite(t)) this.offset = t - Date.now();
  },
};

const SHANGHAI_MS = 8 * 3600_000;
const pad = (n) => String(n).padStart(2, '0');

/** YYYY-MM-DD of an instant in Shanghai (the hotline's day, whatever the PC's time zone). */
export function shanghaiDay(ms = clock.now()) {
  return new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** 'HH:MM:SS' (Shanghai) */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + SHANGHAI_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'MM-DD HH:MM' (Shanghai) */
export function fmtDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + SHANGHAI_MS);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 'YYYY-MM-DD' (Shanghai) */
export function fmtDate(iso) {
  if (!iso) return '—';
  return new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** 75 -> '01:15', 3725 -> '1:02:05' */
export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** Seconds since an ISO instant, by the server clock. */
export const secondsSince = (iso) => (iso ? (clock.now() - Date.parse(iso)) / 1000 : null);

/** Every element with data-since shows the time since it, refreshed each second. */
export function startTicking(root = document) {
  const tick = () => {
    for (const node of root.querySelectorAll('[data-since]')) {
      const base = Number(node.dataset.base ?? 0);
      node.textContent = fmtDuration(base + secondsSince(node.dataset.since));
    }
  };
  tick();
  return setInterval(tick, 1000);
}

/** A span that ticks from `since` (plus `base` seconds already counted). */
export function ticker(since, base = 0, cls = 'ticker') {
  const span = el('span', { class: cls, dataset: since ? { since, base: String(base) } : {} });
  span.textContent = since ? fmtDuration(base + secondsSince(since)) : '—';
  return span;
}

// ------------------------------------------------------------------ labels

export const SEAT_STATE = {
  logged_out: '已签出',
  ready: '就绪',
  ringing: '振铃',
  on_call: '通话中',
  wrap_up: '话后处理',
  not_ready: '示忙',
};

export const CALL_PHASE = {
  ivr: '语音导航',
  queued: '排队中',
  offering: '分配坐席',
  ringing: '坐席振铃',
  screening: '坐席确认接听',
  callback_offer: '排队中（可预约回拨）',
  connected: '通话中',
  survey: '满意度评价',
  voicemail: '留言',
  leaving: '结束中',
};

// ticket kinds, statuses and sources in the server's words (GET /api/labels): the pages copy no dictionary
const TICKET_LABELS = await fetch('/api/labels')
  .then((r) => (r.ok ? r.json() : null))
  .catch(() => null);
export const KIND = TICKET_LABELS?.kinds ?? {};
export const STATUS = TICKET_LABELS?.statuses ?? {};
export const SATISFACTION = TICKET_LABELS?.satisfaction ?? {};

export const FINISHED = ['closed', 'returned'];

export const SOURCE = TICKET_LABELS?.sources ?? {};

/** category -> { label, subcategories } (regulation 第十三条) */
export const CATEGORIES = {
  consultation: {
    label: '政策咨询',
    subs: { social_assistance: '社会救助', social_welfare: '社会福利', special_care: '优抚安置', marriage: '婚姻登记', adoption: '收养登记', other: '其他' },
  },
  community_life: { label: '社区生活', subs: { appliance_repair: '家电维修', water_electric_repair: '水电维修', housekeeping: '家政服务' } },
  complaint: { label: '投诉建议', subs: { government_conduct: '政风行风', improper_enforcement: '违规执法', suggestion: '意见建议' } },
  emergency: { label: '应急', subs: {} },
  other: { label: '其他', subs: {} },
};

const ALL_SUBS = Object.assign({}, ...Object.values(CATEGORIES).map((c) => c.subs));

/**
 * Replaces the built-in labels above with the taxonomy an admin keeps (GET /api/categories),
 * in place, so every page shows the same words as the reports. Old codes keep a label.
 */
export async function loadCategories(api) {
  const { items } = await api('GET', '/api/categories?includeInactive=true');
  for (const key of Object.keys(CATEGORIES)) if (!CATEGORIES[key].hidden) delete CATEGORIES[key];
  for (const c of items) {
    const subs = Object.fromEntries(c.subcategories.filter((x) => x.active).map((x) => [x.id, x.label]));
    CATEGORIES[c.id] = { label: c.label, subs, hidden: !c.active };
    for (const x of c.subcategories) ALL_SUBS[x.id] = x.label;
  }
}
// the knowledge base files some tickets under the sub-area itself
for (const [id, label] of Object.entries(CATEGORIES.consultation.subs)) if (id !== 'other') CATEGORIES[id] ??= { label, subs: {}, hidden: true };

export const categoryLabel = (c) => (c ? (CATEGORIES[c]?.label ?? c) : '—');
export const subcategoryLabel = (s) => (s ? (ALL_SUBS[s] ?? s) : '');
export const categoryText = (c, s) => [categoryLabel(c), subcategoryLabel(s)].filter(Boolean).join(' / ');

// queue and menu names come from the server's call flow files (GET /api/callflow/labels)
const LABELS = await fetch('/api/callflow/labels')
  .then((r) => (r.ok ? r.json() : null))
  .catch(() => null);
export const QUEUE = LABELS?.queues ?? {};
const MENU = LABELS?.menus ?? {};
/** 'main:2>community_life:1' -> '主菜单 2 → 社区生活 1' */
export function ivrPathText(path) {
  if (!path) return '—';
  return path
    .split('>')
    .map((step) => {
      const [menu, digit] = step.split(':');
      return `${MENU[menu] ?? menu} ${digit === '-' ? '(无按键)' : digit}`;
    })
    .join(' → ');
}

/** Why a seat is in its state, from the seat's fields (no sentence is parsed). */
export function seatReasonText(seat) {
  if (!seat) return '';
  const parts = [];
  if (seat.reasonCode === 'missed_in_row') parts.push(`连续 ${seat.missedInRow} 次未接听`);
  else if (seat.reason) parts.push(seat.reason);
  else if (seat.state === 'not_ready') parts.push('示忙');
  if (seat.afterCall === 'not_ready') parts.push(`通话后示忙${seat.afterCallReason ? `（${seat.afterCallReason}）` : ''}`);
  return parts.join('；');
}

/** An alert's text from its code; older alerts without one show their summary. */
export function emergencySummaryText(alert) {
  if (alert?.code === 'emergency_call') return `应急来电（语音导航 ${ivrPathText(alert.menuPath)}）`;
  if (alert?.code === 'emergency_ticket') return alert.summary ? `应急工单：${alert.summary}` : '应急工单';
  return alert?.summary || '应急事件';
}

// ------------------------------------------------------------------ small UI bits

/** A short message at the bottom of the screen. */
export function toast(text, kind = 'info', ms = 4000) {
  let box = $('#toasts');
  if (!box) {
    box = el('div', { id: 'toasts', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const t = el('div', { class: `toast toast-${kind}` }, text);
  box.append(t);
  setTimeout(() => t.remove(), ms);
}

/** The live clock in a header. */
export function startClock(node) {
  const WEEK = '日一二三四五六';
  const tick = () => {
    const d = new Date(clock.now() + SHANGHAI_MS);
    node.textContent = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 星期${WEEK[d.getUTCDay()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  tick();
  return setInterval(tick, 1000);
}

/**
 * Wires a login form: calls `accept(user)` to check the role (returns an error text
 * or null), stores the session, then `onLoggedIn`.
 */
export function wireLoginForm(form, { store, accept, onLoggedIn }) {
  const error = $('.login-error', form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('button[type=submit]', form);
    error.textContent = '';
    button.disabled = true;
    try {
      const { token, user } = await login(form.username.value.trim(), form.password.value);
      const refusal = accept(user);
      if (refusal) {
        error.textContent = refusal;
        return;
      }
      store.set(token, user);
      form.password.value = '';
      onLoggedIn({ token, user });
    } catch (err) {
      error.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * The banner shown while a year deadlines reach has no holiday notice loaded
 * (GET /api/calendar/status); re-read hourly. Returns { timer, refresh }.
 */
export function calendarBanner(api, node) {
  const load = async () => {
    try {
      const { message } = await api('GET', '/api/calendar/status');
      node.textContent = message;
      node.hidden = !message;
    } catch {
      // a failed read leaves the banner as it was
    }
  };
  load();
  return { timer: setInterval(load, 3600_000), refresh: load };
}
