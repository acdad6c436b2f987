// 登记管理: the registries an admin keeps (#13): departments with their kind, streets and towns
// with their district, user accounts (create, disable, reset password, role/unit/seat) and seats.
import { $, el, fill, session, makeApi, toast, wireLoginForm, showLogin } from './common.js';

const store = session('admin');
const api = makeApi(() => store.get()?.token, () => logout('登录已过期，请重新登录'));

const DEPARTMENT_KIND = { bureau_division: '市局处室', district_bureau: '区县民政局', bureau_office: '市局办公室', outside: '外部协同单位' };
const STREET_KIND = { street: '街道', town: '镇' };
const ROLE = { operator: '话务员', street_seat: '街镇坐席', department: '部门', supervisor: '主管', inspector: '监察室', admin: '管理员', integration: '系统接口', quality: '质检员' };
const SEAT_KIND = { center: '中心坐席', street: '街镇远程坐席' };
const TABS = [['departments', '部门'], ['streets', '街镇'], ['users', '用户'], ['seats', '坐席']];

const state = { tab: 'departments', data: { departments: [], streets: [], users: [], seats: [] }, msg: null };

function logout(message) {
  store.clear();
  showLogin(message);
}

wireLoginForm($('#login-form'), { store, accept: (u) => (u.role === 'admin' ? null : '登记管理仅供系统管理员使用'), onLoggedIn: start });
$('#logout').addEventListener('click', () => logout());

function start() {
  const { user } = store.get();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = `${user.username}（管理员）`;
  renderTabs();
  load();
}

async function load() {
  try {
    const [departments, streets, users, seats] = await Promise.all(['/api/departments', '/api/streets', '/api/users', '/api/seats'].map((p) => api('GET', p)));
    state.data = { departments: departments.items, streets: streets.items, users: users.items, seats: seats.items };
  } catch (err) {
    state.msg = { ok: false, text: `加载失败：${err.message}` };
  }
  render();
}

function renderTabs() {
  fill(
    $('#admin-tabs'),
    TABS.map(([id, label]) =>
      el('button', { type: 'button', role: 'tab', class: `tab${state.tab === id ? ' active' : ''}`, dataset: { tab: id }, onclick: () => { state.tab = id; state.msg = null; renderTabs(); render(); } }, label),
    ),
  );
}

/** Runs a change, then reloads; the server's 400 (naming the field) is shown as it is. */
async function change(method, path, body, done) {
  try {
    await api(method, path, body);
    state.msg = { ok: true, text: done };
    toast(done, 'ok');
  } catch (err) {
    state.msg = { ok: false, text: `操作失败：${err.message}` };
  }
  await load();
}

const input = (name, placeholder, attrs = {}) => el('input', { name, class: 'input', placeholder, ...attrs });
const select = (name, options, blank) => el('select', { name }, blank ? el('option', { value: '' }, blank) : null, Object.entries(options).map(([v, l]) => el('option', { value: v }, l)));
const labelled = (label, control) => el('label', {}, label, control);
const status = (active) => el('span', { class: `pill${active ? '' : ' off'}` }, active ? '启用' : '停用');
const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x.name]));

/** A create form: the non-empty fields become the body. */
function createForm(key, controls, submit, toBody) {
  const form = el('form', { class: 'admin-form', dataset: { form: key } }, controls, el('button', { type: 'submit', class: 'btn btn-primary' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v !== ''));
    const [path, body, done] = toBody(values);
    change('POST', path, body, done);
  });
  return form;
}

function table(head, rows) {
  return el('table', { class: 'table admin-table' }, el('thead', {}, el('tr', {}, head.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
}

const toggle = (path, row, what) =>
  el('button', { type: 'button', class: `btn btn-small ${row.active ? 'btn-warn' : ''}`, dataset: { act: row.active ? 'disable' : 'enable' }, onclick: () => change('PATCH', path, { active: !row.active }, `${what}已${row.active ? '停用' : '启用'}`) }, row.active ? '停用' : '启用');

/** A button that opens a one-field inline form in its cell. */
function inlineEdit(label, name, attrs, onSave) {
  const box = el('span', { class: 'inline' });
  const open = () => {
    const field = input(name, label, attrs);
    fill(box, field, el('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { save: name }, onclick: () => onSave(field.value.trim()) }, '保存'), el('button', { type: 'button', class: 'btn btn-small', onclick: () => fill(box, button) }, '取消'));
    field.focus();
  };
  const button = el('button', { type: 'button', class: 'btn btn-small', dataset: { edit: name }, onclick: open }, label);
  fill(box, button);
  return box;
}

const PANELS = {
  departments: () => {
    const rows = state.data.departments.map((d) =>
      el('tr', { class: d.active ? '' : 'inactive', dataset: { id: d.id } },
        el('td', { class: 'mono' }, d.id), el('td', {}, d.name), el('td', {}, DEPARTMENT_KIND[d.kind] ?? d.kind), el('td', {}, d.district ?? '—'), el('td', {}, status(d.active)),
        el('td', { class: 'row-actions' }, toggle(`/api/departments/${encodeURIComponent(d.id)}`, d, `部门 ${d.name} `), inlineEdit('改名', 'name', { maxlength: 64 }, (name) => change('PATCH', `/api/departments/${encodeURIComponent(d.id)}`, { name }, `已改名为 ${name}`)))));
    return [
      el('h2', {}, '部门登记（市局处室、区县民政局、市局办公室、外部协同单位）'),
      createForm('department', [labelled('编号', input('id', '如 elderly-services')), labelled('名称', input('name', '如 养老服务处')), labelled('类型', select('kind', DEPARTMENT_KIND)), labelled('所属区（区县民政局）', input('district', '如 徐汇区'))], '新增部门',
        (v) => ['/api/departments', v, `已新增部门 ${v.name ?? ''}`]),
      table(['编号', '名称', '类型', '所属区', '状态', '操作'], rows),
    ];
  },
  streets: () => {
    const rows = state.data.streets.map((s) =>
      el('tr', { class: s.active ? '' : 'inactive', dataset: { id: s.id } },
        el('td', { class: 'mono' }, s.id), el('td', {}, s.name), el('td', {}, STREET_KIND[s.kind] ?? s.kind), el('td', {}, s.district), el('td', {}, status(s.active)),
        el('td', { class: 'row-actions' }, toggle(`/api/streets/${encodeURIComponent(s.id)}`, s, `街镇 ${s.name} `), inlineEdit('改名', 'name', { maxlength: 64 }, (name) => change('PATCH', `/api/streets/${encodeURIComponent(s.id)}`, { name }, `已改名为 ${name}`)))));
    return [
      el('h2', {}, '街镇登记'),
      createForm('street', [labelled('编号', input('id', '如 xuhui-fenglin')), labelled('名称', input('name', '如 枫林路街道')), labelled('类型', select('kind', STREET_KIND)), labelled('所属区', input('district', '如 徐汇区'))], '新增街镇',
        (v) => ['/api/streets', v, `已新增街镇 ${v.name ?? ''}`]),
      table(['编号', '名称', '类型', '所属区', '状态', '操作'], rows),
    ];
  },
  users: () => {
    const departments = byId(state.data.departments.filter((d) => d.active));
    const streets = byId(state.data.streets.filter((s) => s.active));
    const seats = Object.fromEntries(state.data.seats.map((s) => [s.id, `${s.id} ${s.name}`]));
    const names = { ...byId(state.data.departments), ...byId(state.data.streets) };
    const unitForm = (u) => {
      const form = el('form', { class: 'inline', dataset: { unitForm: String(u.id) } },
        select('role', ROLE), select('departmentId', departments, '（无部门）'), select('street', streets, '（无街镇）'), select('seatId', seats, '（无坐席）'),
        el('button', { type: 'submit', class: 'btn btn-small btn-primary' }, '保存'));
      form.role.value = u.role;
      form.departmentId.value = u.departmentId ?? '';
      form.street.value = u.street ?? '';
      form.seatId.value = u.seatId ?? '';
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const v = (k) => form[k].value || null;
        change('PATCH', `/api/users/${u.id}`, { role: form.role.value, departmentId: v('departmentId'), street: v('street'), seatId: v('seatId') }, `已调整 ${u.username} 的角色和单位`);
      });
      return form;
    };
    const rows = state.data.users.map((u) =>
      el('tr', { class: u.active ? '' : 'inactive', dataset: { username: u.username } },
        el('td', { class: 'mono' }, u.username), el('td', {}, u.displayName ?? '—'), el('td', {}, ROLE[u.role] ?? u.role),
        el('td', {}, u.departmentId ? (names[u.departmentId] ?? u.departmentId) : u.street ? (names[u.street] ?? u.street) : '—'), el('td', { class: 'mono' }, u.seatId ?? '—'), el('td', {}, status(u.active)),
        el('td', { class: 'row-actions' },
          toggle(`/api/users/${u.id}`, u, `用户 ${u.username} `),
          inlineEdit('重置密码', 'password', { type: 'password', minlength: 8, autocomplete: 'new-password' }, (password) => change('PATCH', `/api/users/${u.id}`, { password }, `已重置 ${u.username} 的密码`)),
          el('details', {}, el('summary', { class: 'btn btn-small' }, '调整角色/单位'), unitForm(u)))));
    return [
      el('h2', {}, '用户账号'),
      createForm('user', [
        labelled('用户名', input('username', '登录名')), labelled('初始密码', input('password', '至少8位', { type: 'password', autocomplete: 'new-password' })), labelled('姓名', input('displayName', '显示名')),
        labelled('角色', select('role', ROLE)), labelled('部门', select('departmentId', departments, '（无）')), labelled('街镇', select('street', streets, '（无）')), labelled('坐席', select('seatId', seats, '（无）')),
      ], '新增用户', (v) => ['/api/users', v, `已新增用户 ${v.username ?? ''}`]),
      table(['用户名', '姓名', '角色', '所属单位', '坐席', '状态', '操作'], rows),
    ];
  },
  seats: () => {
    const streets = byId(state.data.streets.filter((s) => s.active));
    const rows = state.data.seats.map((s) =>
      el('tr', { dataset: { id: s.id } },
        el('td', { class: 'mono' }, s.id), el('td', {}, s.name), el('td', {}, SEAT_KIND[s.kind] ?? s.kind), el('td', {}, s.street ? (streets[s.street] ?? s.street) : '—'), el('td', {}, s.skills.join('、')),
        // remote seats: the whisper before the caller is put through, and the seat-state phone line's PIN
        el('td', { dataset: { screening: String(s.screening) } }, s.screening ? '按1确认' : '直接接通'),
        el('td', { dataset: { pin: String(s.hasPin) } }, s.hasPin ? '已设置' : '未设置'),
        el('td', { class: 'row-actions' }, inlineEdit('改名', 'name', { maxlength: 64 }, (name) => change('PATCH', `/api/seats/${encodeURIComponent(s.id)}`, { name }, `已改名为 ${name}`)),
          el('button', { type: 'button', class: 'btn btn-small', dataset: { act: 'screening' }, onclick: () => change('PATCH', `/api/seats/${encodeURIComponent(s.id)}`, { screening: !s.screening }, s.screening ? `坐席 ${s.id} 已改为直接接通` : `坐席 ${s.id} 已改为按1确认接听`) }, s.screening ? '关闭确认' : '开启确认'),
          inlineEdit('设电话PIN', 'pin', { type: 'password', inputmode: 'numeric', pattern: '[0-9]{4,8}', maxlength: 8, autocomplete: 'new-password' }, (pin) => change('PATCH', `/api/seats/${encodeURIComponent(s.id)}`, { pin }, `坐席 ${s.id} 的电话PIN已设置`)))));
    return [
      el('h2', {}, '坐席登记'),
      createForm('seat', [labelled('编号', input('id', '如 1011 或 street-…')), labelled('名称', input('name', '坐席名称')), labelled('类型', select('kind', SEAT_KIND)), labelled('拨号', input('dial', 'PJSIP/1011 或 PJSIP/号码@street-gw')), labelled('街镇', select('street', streets, '（中心坐席不填）'))], '新增坐席',
        (v) => ['/api/seats', v, `已新增坐席 ${v.id ?? ''}`]),
      table(['编号', '名称', '类型', '街镇', '技能', '接听确认', '电话PIN', '操作'], rows),
    ];
  },
};

function render() {
  const msg = state.msg;
  fill($('#panel'), el('p', { class: `admin-msg ${msg ? (msg.ok ? 'ok' : 'err') : ''}`, role: 'status' }, msg?.text ?? ''), PANELS[state.tab]());
}

if (store.get()) start();
else showLogin();
