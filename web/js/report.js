// The printable evaluation report (第二十一条 通报评价), A4 in Chinese: one unit's figures
// with its rank, or the ranking of every department and street. Departments and streets
// log in here and get their own unit only (the server scopes it).
import { $, el, fill, session, makeApi, wireLoginForm, showLogin } from './common.js';
import { stackedBars, legend, SATISFACTION_PARTS, pct } from './charts.js';

const store = session('stats');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));
const READERS = ['supervisor', 'admin', 'inspector', 'department', 'street_seat'];
const KIND = { department: '部门', street: '街镇' };

function logout(message) {
  store.clear();
  showLogin(message);
}
wireLoginForm($('#login-form'), { store, accept: (u) => (READERS.includes(u.role) ? null : '该账号不能查看通报评价'), onLoggedIn: start });
$('#print').addEventListener('click', () => window.print());

function periodOf(params) {
  const month = params.get('month');
  if (month) {
    const [y, m] = month.split('-').map(Number);
    return { from: `${month}-01`, to: `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`, title: `${y}年${m}月` };
  }
  const from = params.get('from');
  const to = params.get('to') ?? from;
  return { from, to, title: `${from} 至 ${to}` };
}

const fmtNow = () => new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

async function start() {
  $('#login').hidden = true;
  $('#app').hidden = false;
  const params = new URLSearchParams(location.search);
  const p = periodOf(params);
  const unitKind = params.get('unitKind');
  const unit = params.get('unit');
  const q = new URLSearchParams({ from: p.from, to: p.to });
  if (unitKind && unit) q.set('unitKind', unitKind), q.set('unit', unit);
  try {
    const e = await api('GET', `/api/stats/evaluation?${q}`);
    const units = [...e.departments, ...e.streets];
    const one = unitKind && unit ? units[0] : units.length === 1 && ['department', 'street_seat'].includes(store.get().user.role) ? units[0] : null;
    fill($('#sheet'), one ? unitReport(one, p, e) : rankingReport(e, p));
    document.title = one ? `962200 通报评价 · ${one.unitLabel} · ${p.title}` : `962200 通报评价 · ${p.title}`;
  } catch (err) {
    fill($('#sheet'), el('p', { class: 'error' }, `无法生成报告：${err.message}`));
  }
  document.body.dataset.ready = '1';
}

const header = (p, subtitle) => [
  el('header', { class: 'sheet-head' }, el('div', { class: 'org' }, '上海市“962200”社区服务热线'), el('h1', {}, '流转处理与服务质量通报评价'), el('div', { class: 'subtitle' }, subtitle)),
  el('div', { class: 'meta' }, el('span', {}, `统计期间：${p.title}（${p.from} 至 ${p.to}）`), el('span', {}, `生成时间：${fmtNow()}`)),
];

const NOTES = [
  '统计对象：本期登记并派转至本单位的工单（含督办件）；状态与时限以期末（或生成时）为准，依工单历史记录计算。',
  '派转时限为热线中心受理后 2 个工作日（第十五条）；联系时限为收到工单后 3 个工作日；答复时限为 10 个工作日，或工单约定的更短时限。',
  '按时率 = 按时 ÷（按时 + 超时 + 逾期未办）；尚未到期的不计入。满意率 = 满意 ÷ 评价数，评价含回访、抽查回访和电话按键评价。',
  '综合得分 = 100 ×（答复按时率 × 0.4 + 联系按时率 × 0.2 +（满意 + 基本满意）占比 × 0.4），无数据的项目不计权重。',
];

function unitReport(u, p, e) {
  const row = (label, ...cells) => el('tr', {}, el('th', {}, label), cells.map((c) => el('td', { class: 'mono' }, c)));
  const timely = (label, t, limit) => row(`${label}（${limit} 个工作日）`, t.due, t.onTime, t.late, t.overdue ?? '—', t.pending ?? '—', pct(t.onTimeRate));
  const s = u.satisfaction;
  return [
    ...header(p, `${KIND[u.unitKind]}：${u.unitLabel}`),
    el('section', { class: 'headline' },
      el('div', { class: 'big' }, el('span', { class: 'big-label' }, '综合得分'), el('span', { class: 'big-value' }, u.score === null ? '—' : u.score.toFixed(1))),
      el('div', { class: 'big' }, el('span', { class: 'big-label' }, `${KIND[u.unitKind]}排名`), el('span', { class: 'big-value' }, `第 ${u.rank} 名`), el('span', { class: 'big-note' }, `共 ${u.rankOf} 个${KIND[u.unitKind]}`)),
      el('div', { class: 'big' }, el('span', { class: 'big-label' }, '本期工单'), el('span', { class: 'big-value' }, `${u.tickets} 件`)),
    ),
    el('h2', {}, '一、流转处理时效'),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['项目', '应办', '按时', '超时', '逾期未办', '未到期', '按时率'].map((h) => el('th', {}, h)))),
      el('tbody', {}, timely('派转', u.routing, u.routing.limitDays), timely('联系市民', u.contact, u.contact.limitDays), timely('答复办结', u.answer, u.answer.limitDays)),
    ),
    el('h2', {}, '二、督办、退回与延期'),
    el('table', { class: 'grid' },
      el('tbody', {}, row('超期工单', `${u.overdue} 件`), row('督办件', `${u.supervised} 件`), row('退回（不属本单位）', `${u.bounces} 次`), row('延期申请', `${u.extensions} 次`)),
    ),
    el('h2', {}, '三、市民满意度'),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['评价数', '满意', '基本满意', '不满意', '满意率', '满意及基本满意'].map((h) => el('th', {}, h)))),
      el('tbody', {}, el('tr', {}, [s.total, s.satisfied, s.fair, s.unsatisfied, pct(s.rate), pct(s.acceptableRate)].map((c) => el('td', { class: 'mono' }, c)))),
    ),
    el('div', { class: 'chart' }, legend(SATISFACTION_PARTS(s)), stackedBars([{ label: u.unitLabel, parts: SATISFACTION_PARTS(s), note: pct(s.rate) }], { width: 600 })),
    el('section', { class: 'notes' }, el('h3', {}, '说明'), el('ol', {}, NOTES.map((n) => el('li', {}, n)))),
    el('footer', { class: 'sign' }, el('span', {}, '上海市“962200”社区服务热线'), el('span', {}, `截至 ${new Date(e.asOf).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}`)),
  ];
}

const rankRow = (u) =>
  el(
    'tr',
    {},
    [u.rank, u.unitLabel, u.tickets, pct(u.routing.onTimeRate), pct(u.contact.onTimeRate), pct(u.answer.onTimeRate), u.overdue, u.supervised, u.bounces, u.extensions, pct(u.satisfaction.rate), u.score === null ? '—' : u.score.toFixed(1)].map((c, i) =>
      el('td', { class: i === 1 ? '' : 'mono' }, c),
    ),
  );

function rankingReport(e, p) {
  const table = (list, kind) =>
    el('table', { class: 'grid ranking' },
      el('thead', {}, el('tr', {}, ['名次', kind, '工单', '派转按时率', '联系按时率', '答复按时率', '超期', '督办', '退回', '延期', '满意率', '得分'].map((h) => el('th', {}, h)))),
      el('tbody', {}, list.length ? list.map(rankRow) : el('tr', {}, el('td', { colspan: 12 }, '本期无数据'))),
    );
  return [
    ...header(p, '各部门、街镇排名'),
    el('h2', {}, '一、部门'),
    table(e.departments, '部门'),
    el('h2', {}, '二、街镇'),
    table(e.streets, '街镇'),
    el('section', { class: 'notes' }, el('h3', {}, '说明'), el('ol', {}, NOTES.map((n) => el('li', {}, n)))),
  ];
}

const s = store.get();
if (s && READERS.includes(s.user.role)) start();
else showLogin();
