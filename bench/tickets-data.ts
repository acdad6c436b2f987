/**
 * A year of hotline work orders for the HTTP benchmarks: 1,000,000 tickets (BENCH_TICKETS
 * overrides) with their history (ticket_events), the call row of every phone ticket, the
 * per-day number counters and the 12345 outbox as delivered. Written with raw
 * better-sqlite3 prepared statements in big transactions, secondary indexes dropped
 * during the load and re-created after (the same SQL the migrations made).
 *
 * Built once into bench/out/ (gitignored) and reused while its marker file says it is
 * complete and of this generator's version. Runs work on a copy, so what a run writes
 * (new tickets, audit rows) never leaks into the next run.
 *
 * Distributions (deterministic seed):
 * - created over the 365 days before the build, by Shanghai hour of day (daytime peak,
 *   quiet nights) and 30 % fewer on weekends;
 * - source phone 80 %, 12345 8 %, manual 5 %, email 4 %, online 3 %;
 * - category/subcategory/queue are the IVR's leaves (config/ivr.json via loadCallflow);
 *   kind follows the category (emergency → emergency, community life mostly routed to a
 *   street, complaints mostly routed to a department, 12345 orders often collaborative),
 *   1 % supervisions of earlier routed tickets, the newest calls still unclassified;
 * - each ticket walks its kind's lifecycle with random step delays, so old tickets are
 *   nearly all closed and recent ones spread over the open statuses; one event per step;
 * - caller numbers from a pool of 200,000 (mobiles and 021 landlines), skewed so that
 *   frequent callers have dozens of tickets and the average caller ~5.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/index.js';
import { loadCallflow, type Menu, type QueueTarget } from '../src/calls/callflow-config.js';
import { deadlineAfter } from '../src/calendar/working-days.js';
import { shanghaiDate } from '../src/shared/time.js';
import { seedDemo } from '../src/seed/demo.js';
import { DEMO_STREETS } from '../src/seed/streets.js';
import { Outbox12345 } from '../src/intake/twelve345/outbox.js';
import { TicketTextIndex } from '../src/tickets/text-index.js';
import type { Progress } from './run.js';

export const DATA_VERSION = 1;
export const OUT_DIR = fileURLToPath(new URL('out/', import.meta.url));
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

export interface DataMarker {
  version: number;
  tickets: number;
  events: number;
  calls: number;
  callerPool: number;
  /** the build's "now": tickets were created in the year before it */
  now: number;
  builtAt: string;
  buildSeconds: number;
  sizeMB: number;
}

/** mulberry32: the same data every build */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CALLER_POOL = 200_000;
/** skew of caller draws: index = pool * u^CALLER_SKEW */
const CALLER_SKEW = 1.5;

/** The pool of caller numbers, the same every time (the benchmark's lookups draw from it too). */
export function callerPool(): string[] {
  const r = rng(200_000_7);
  const seen = new Set<string>();
  while (seen.size < CALLER_POOL) {
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
    seen.add(r() < 0.1 ? `021${digits(8)}` : `1${'35789'[Math.floor(r() * 5)]}${digits(9)}`);
  }
  return [...seen];
}

export function callerIndex(u: number): number {
  return Math.min(CALLER_POOL - 1, Math.floor(CALLER_POOL * u ** CALLER_SKEW));
}

/** The IVR's leaves: what a phone ticket's category/subcategory/queue can be. */
export function ivrTargets(): QueueTarget[] {
  const { ivr } = loadCallflow();
  const out: QueueTarget[] = [ivr.onFailure];
  for (const menu of Object.values(ivr.menus) as Menu[]) {
    for (const option of Object.values(menu.options)) if (typeof option !== 'string') out.push(option);
  }
  const seen = new Set<string>();
  return out.filter((t) => {
    const key = `${t.category}/${t.subcategory ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

// ------------------------------------------------------------------ vocabulary

const STREETS = [
  ...DEMO_STREETS.map((s) => ({ id: s.id, name: s.name, district: s.district })),
  { id: 'huangpu-waitan', name: '外滩街道', district: '黄浦区' },
  { id: 'huangpu-laoximen', name: '老西门街道', district: '黄浦区' },
  { id: 'changning-xinhualu', name: '新华路街道', district: '长宁区' },
  { id: 'changning-hongqiao', name: '虹桥街道', district: '长宁区' },
  { id: 'putuo-changzheng', name: '长征镇', district: '普陀区' },
  { id: 'hongkou-sichuanbeilu', name: '四川北路街道', district: '虹口区' },
  { id: 'yangpu-wujiaochang', name: '五角场街道', district: '杨浦区' },
  { id: 'yangpu-kongjianglu', name: '控江路街道', district: '杨浦区' },
  { id: 'baoshan-gucun', name: '顾村镇', district: '宝山区' },
  { id: 'jiading-anting', name: '安亭镇', district: '嘉定区' },
  { id: 'songjiang-sijing', name: '泗泾镇', district: '松江区' },
  { id: 'pudong-huamu', name: '花木街道', district: '浦东新区' },
  { id: 'pudong-zhangjiang', name: '张江镇', district: '浦东新区' },
  { id: 'minhang-xinzhuang', name: '莘庄镇', district: '闵行区' },
  { id: 'qingpu-zhujiajiao', name: '朱家角镇', district: '青浦区' },
];
const ROADS = ['田林路', '钦州路', '宜山路', '漕溪北路', '长寿路', '武宁路', '海防路', '国权路', '控江路', '长阳路', '浦东南路', '张杨路', '七莘路', '沪闵路', '共和新路', '中山北路'];
const DEPARTMENTS = ['civil-affairs', 'social-assistance', 'welfare', 'veterans', 'housing', 'market-regulation', 'urban-management', 'water-authority', 'power-grid', 'property-management', 'health-commission', 'human-resources'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const CONTENT: Record<string, string[]> = {
  'consultation/social_assistance': ['市民来电咨询最低生活保障的申请条件，家庭人均月收入如何计算，需要准备户口簿、身份证和收入证明等哪些材料。', '来电人询问低保年审的时间和流程，家中老人住院后收入变化，是否需要重新申报。', '咨询临时救助的申请渠道，家中突发重病，医疗费用支出较大，希望了解街道能否给予救助。'],
  'consultation/social_welfare': ['来电人咨询高龄老人综合津贴的发放标准和领取方式，老人今年刚满八十周岁。', '咨询社区养老服务补贴的评估流程，家中老人行动不便，希望申请居家照护服务。', '市民询问残疾人两项补贴的申请条件及办理地点。'],
  'consultation/special_care': ['来电人系退役军人家属，咨询优抚对象抚恤金的调整标准和发放时间。', '咨询重点优抚对象医疗保障政策，住院费用报销比例是多少。'],
  'consultation/marriage': ['市民咨询婚姻登记预约方式，外省户籍能否在本市办理结婚登记。', '来电询问补领结婚证需要携带哪些材料，原证件遗失。', '咨询离婚冷静期的规定和办理流程。'],
  'consultation/adoption': ['来电人咨询收养登记的条件和流程，需要哪些证明材料。', '咨询收养子女落户的办理方式。'],
  'consultation/other': ['市民咨询居住证办理的相关政策。', '来电询问社区事务受理服务中心的办公时间和地址。', '咨询殡葬惠民政策及基本殡葬服务费用减免。'],
  'community_life/appliance_repair': ['来电人家中空调不制冷，需要上门维修，希望尽快安排师傅。', '家里洗衣机漏水，请求社区推荐维修服务。', '老人家中电视机没有信号，希望上门检查。'],
  'community_life/water_electric_repair': ['卫生间水管破裂漏水，已影响楼下住户，请求尽快上门维修。', '家中跳闸频繁，部分插座无电，请求电工上门。', '厨房下水道堵塞，请求疏通服务。'],
  'community_life/housekeeping': ['来电人需要钟点工每周上门保洁两次，咨询社区家政服务价格。', '家中老人需要助餐服务，咨询社区长者食堂送餐。', '请求推荐育儿嫂，咨询社区家政服务站。'],
  'complaint/': ['来电投诉小区物业不作为，电梯多次故障无人维修。', '反映小区周边夜间施工噪音扰民，影响休息。', '投诉社区事务受理中心工作人员服务态度差。', '反映小区内私拉电线给电动车充电，存在安全隐患。'],
  'emergency/': ['来电人称家中老人独居，多日联系不上，请求社区上门查看。', '反映楼道内有浓烟，疑似起火，请求紧急处置。', '来电人情绪激动，称有轻生念头，请求帮助。'],
  'other/': ['市民来电反映情况，要求转人工服务。', '来电咨询其他事项。', '来电人询问热线服务范围。'],
};
const REPLIES = ['已向来电人解答相关政策，来电人表示清楚。', '已告知办理地点和所需材料，来电人表示满意。', '已解释政策规定并提供相关部门联系方式。'];
const RESULTS = ['已上门处理完毕，来电人确认问题已解决。', '经核实已督促物业整改，问题已解决。', '已安排服务人员上门，服务完成。', '已联系来电人并说明情况，来电人表示理解。'];

// ------------------------------------------------------------------ the build

interface Step {
  action: string;
  to: string;
  /** delay after the previous step, ms */
  after: number;
  actor: 'desk' | 'supervisor' | 'handler' | 'inspector' | 'system';
}

export function dataPaths(tickets: number) {
  const base = `${OUT_DIR}tickets-${tickets}`;
  return { db: `${base}.db`, marker: `${base}.json`, run: `${base}-run.db` };
}

export function readMarker(tickets: number): DataMarker | null {
  const { db, marker } = dataPaths(tickets);
  if (!existsSync(db) || !existsSync(marker)) return null;
  const m = JSON.parse(readFileSync(marker, 'utf8')) as DataMarker;
  return m.version === DATA_VERSION && m.tickets === tickets ? m : null;
}

/**
 * The database of `tickets` tickets, built if missing or incomplete; returns a fresh
 * copy for one run (brought up to date with the current migrations first).
 */
export async function ticketsDatabase(tickets: number, progress: Progress): Promise<{ path: string; marker: DataMarker; built: boolean }> {
  const paths = dataPaths(tickets);
  let marker = readMarker(tickets);
  let built = false;
  if (!marker) {
    marker = await build(tickets, paths.db, progress);
    writeFileSync(paths.marker, JSON.stringify(marker, null, 2) + '\n');
    built = true;
  } else {
    progress(`reusing ${paths.db} (${marker.tickets} tickets, built ${marker.builtAt})`);
  }
  // new migrations (e.g. an index) are applied to the kept copy once, not per run
  const t0 = performance.now();
  const db = openDatabase(paths.db);
  // the text search's index over the kept copy, once (as the server's start-up would)
  const t1 = performance.now();
  const indexed = new TicketTextIndex(db).catchUp(20_000, (n) => n % 200_000 === 0 && progress(`text search index: ${n} tickets`));
  if (indexed) progress(`text search index: ${indexed} tickets in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  const migrateMs = performance.now() - t0;
  if (migrateMs > 1000) progress(`migrations applied to the kept database in ${(migrateMs / 1000).toFixed(1)} s`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(paths.run + suffix, { force: true });
  copyFileSync(paths.db, paths.run);
  return { path: paths.run, marker, built };
}

async function build(total: number, path: string, progress: Progress): Promise<DataMarker> {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const started = performance.now();
  const r = rng(962200);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const between = (lo: number, hi: number) => lo + r() * (hi - lo);
  /** exponential-ish delay with the given median, capped at 8× it */
  const delay = (median: number) => Math.min(median * 8, -Math.log(1 - r()) * median / Math.LN2);

  const drizzleDb = openDatabase(path);
  await seedDemo(drizzleDb);
  const db: Database.Database = drizzleDb.$client;
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  // a ticket's events are written before its row (the row sums them up); checked at the end
  db.pragma('foreign_keys = OFF');

  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tickets', 'ticket_events', 'calls')`)
    .all() as Array<{ name: string; sql: string }>;
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);

  const pool = callerPool();
  const targets = ivrTargets();
  const now = Math.floor(Date.now() / 1000) * 1000;
  const start = now - 365 * DAY;

  // ---- creation times: hourly buckets weighted by Shanghai hour and weekday
  const HOUR_WEIGHT = [0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.4, 0.9, 1.6, 2.2, 2.4, 2.2, 1.6, 1.8, 2.2, 2.2, 2.0, 1.6, 1.1, 0.9, 0.8, 0.6, 0.4, 0.25];
  const buckets = Math.ceil((now - start) / HOUR);
  const cumulative = new Float64Array(buckets);
  let sum = 0;
  for (let b = 0; b < buckets; b++) {
    const at = start + b * HOUR;
    const local = new Date(at + 8 * HOUR);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    sum += HOUR_WEIGHT[local.getUTCHours()] * (weekend ? 0.7 : 1) * (0.85 + 0.3 * r());
    cumulative[b] = sum;
  }
  const created = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const x = r() * sum;
    let lo = 0;
    let hi = buckets - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    created[i] = Math.min(now - 1000, Math.floor(start + lo * HOUR + r() * HOUR));
  }
  created.sort();
  progress(`${total} creation times drawn over the year before ${new Date(now).toISOString()}`);

  // ---- statements
  const ticketCols = [
    'id', 'number', 'source', 'kind', 'status', 'category', 'subcategory', 'caller_number', 'caller_name', 'caller_email', 'address', 'street', 'district', 'title', 'content',
    'assigned_seat_id', 'assigned_user_id', 'department_id', 'assigned_street', 'needs_callback', 'external_order_id', 'parent_ticket_id', 'due_at', 'route_due_at', 'contact_due_at',
    'resolve_due_at', 'overdue', 'reply', 'draft_reply', 'result', 'satisfaction', 'flagged_for_supervisor', 'created_at', 'updated_at', 'closed_at', 'version', 'routed_at', 'contacted_at',
    'resolved_at', 'bounce_count',
  ];
  const insertTicket = db.prepare(`INSERT INTO tickets (${ticketCols.join(',')}) VALUES (${ticketCols.map(() => '?').join(',')})`);
  const insertEvent = db.prepare(`INSERT INTO ticket_events (ticket_id, at, actor, actor_role, action, from_status, to_status, reason, data) VALUES (?,?,?,?,?,?,?,?,?)`);
  const callCols = ['id', 'ticket_id', 'origin', 'source', 'caller_number', 'caller_name', 'dialed_number', 'started_at', 'answered_at', 'ivr_path', 'category', 'subcategory', 'queue', 'priority', 'enqueued_at', 'offered_at', 'seat_id', 'seat_answered_at', 'ended_at', 'outcome', 'hangup_cause', 'wait_seconds', 'talk_seconds', 'rating', 'recording_name', 'voicemail_name'];
  const insertCall = db.prepare(`INSERT INTO calls (${callCols.join(',')}) VALUES (${callCols.map(() => '?').join(',')})`);
  const insertCounter = db.prepare(`INSERT INTO ticket_counters (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = excluded.last`);

  // deadlines: working-day walks are cached by (day, n); past the calendar's years, plain days
  const deadlineCache = new Map<string, number>();
  const deadline = (at: number, days: number) => {
    const key = `${shanghaiDate(at)}/${days}`;
    let d = deadlineCache.get(key);
    if (d === undefined) {
      try {
        d = deadlineAfter(at, days);
      } catch {
        d = at + Math.ceil(days * 1.4) * DAY;
      }
      deadlineCache.set(key, d);
    }
    return d;
  };

  const ivrPaths: Record<string, string> = {};
  const { ivr } = loadCallflow();
  for (const [menuName, menu] of Object.entries(ivr.menus) as Array<[string, Menu]>) {
    for (const [digit, option] of Object.entries(menu.options)) {
      if (typeof option === 'string') continue;
      const via = Object.entries(ivr.menus[ivr.start].options).find(([, o]) => o === menuName)?.[0];
      ivrPaths[`${option.category}/${option.subcategory ?? ''}`] = menuName === ivr.start ? `${menuName}:${digit}` : `${ivr.start}:${via}>${menuName}:${digit}`;
    }
  }
  const targetWeights = targets.map((t) => ({ emergency: 0.5, complaint: 8, other: 6 })[t.category as 'emergency' | 'complaint' | 'other'] ?? (t.category === 'consultation' ? 7 : 9));
  const targetSum = targetWeights.reduce((a, b) => a + b, 0);
  const pickTarget = () => {
    let x = r() * targetSum;
    for (let i = 0; i < targets.length; i++) if ((x -= targetWeights[i]) < 0) return targets[i];
    return targets[targets.length - 1];
  };

  const OPERATORS = 40;
  const operator = () => {
    const k = 1 + Math.floor(r() * OPERATORS);
    return { name: `op${k}`, userId: 100 + k, seatId: String(1000 + ((k - 1) % 10) + 1) };
  };

  const routedIds: number[] = [];
  const counters = new Map<string, number>();
  let events = 0;
  let callRows = 0;
  const BATCH = 20_000;

  const writeBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = i + 1;
      const at = created[i];
      const day = shanghaiDate(at);
      const seq = (counters.get(day) ?? 0) + 1;
      counters.set(day, seq);
      const number = `962200-${day.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;

      const u = r();
      let source = u < 0.8 ? 'phone' : u < 0.88 ? '12345' : u < 0.93 ? 'manual' : u < 0.97 ? 'email' : 'online';
      const supervision = source === 'manual' && routedIds.length > 100 && r() < 0.2;
      const target = pickTarget();
      let category: string | null = target.category;
      let subcategory: string | null = target.subcategory ?? null;
      if (source !== 'phone' && category === 'emergency') category = 'other';
      const key = `${category}/${subcategory ?? ''}`;
      const street = pick(STREETS);
      const hasCaller = source === 'phone' ? r() < 0.98 : source === 'email' ? r() < 0.3 : source === 'online' ? r() < 0.5 : true;
      const callerNumber = hasCaller ? pool[callerIndex(r())] : null;
      const callerName = source === 'phone' && r() < 0.6 ? null : `${pick(SURNAMES)}${r() < 0.5 ? '先生' : '女士'}`;
      const callerEmail = source === 'email' ? `user${Math.floor(r() * 1e6)}@${pick(['qq.com', '163.com', '126.com', 'sina.com'])}` : null;
      const content = pick(CONTENT[key] ?? CONTENT[`${category}/`] ?? CONTENT['other/']);
      const title = content.slice(0, 24);
      const address = r() < 0.7 ? `${street.district}${street.name}${pick(ROADS)}${1 + Math.floor(r() * 900)}弄${1 + Math.floor(r() * 40)}号${100 + Math.floor(r() * 1200)}室` : null;

      // kind
      let kind: string | null;
      let parentTicketId: number | null = null;
      if (supervision) {
        kind = 'supervised';
        parentTicketId = routedIds[Math.floor(r() * routedIds.length)];
      } else if (category === 'emergency') kind = 'emergency';
      else if (source === '12345') kind = r() < 0.4 ? 'collaborative' : r() < 0.67 ? 'routed' : 'immediate';
      else if (category === 'community_life') kind = r() < 0.8 ? 'routed' : 'immediate';
      else if (category === 'complaint') kind = r() < 0.7 ? 'routed' : 'immediate';
      else if (category === 'consultation') kind = r() < 0.1 ? 'routed' : 'immediate';
      else kind = 'immediate';
      if (source === 'manual' && !supervision && kind === 'collaborative') kind = 'immediate';
      if (supervision) source = 'manual';

      const phone = source === 'phone';
      const afterHours = phone && (() => {
        const h = new Date(at + 8 * HOUR).getUTCHours();
        return h < 9 || h >= 17;
      })();
      const abandoned = phone && r() < 0.08;
      const voicemail = afterHours && r() < 0.5;
      const needsCallbackAtStart = abandoned || voicemail;
      const op = operator();
      const answeringSeat = phone && !needsCallbackAtStart ? (category === 'community_life' && r() < 0.2 ? `street-${pick(DEMO_STREETS).id}` : op.seatId) : null;

      // lifecycle path
      const steps: Step[] = [];
      const classifyAfter = needsCallbackAtStart ? delay(4 * HOUR) : phone ? delay(3 * MIN) : delay(40 * MIN);
      // the newest tickets are often not classified yet
      if (kind !== 'supervised') steps.push({ action: 'classify', to: 'open', after: classifyAfter, actor: 'desk' });
      const routedToStreet = kind === 'routed' && (category === 'community_life' || r() < 0.2);
      switch (kind) {
        case 'immediate':
          if (r() < 0.85) steps.push({ action: 'answer', to: 'closed', after: delay(6 * MIN), actor: 'desk' });
          else {
            steps.push({ action: 'draft_reply', to: 'in_review', after: delay(30 * MIN), actor: 'desk' });
            steps.push({ action: 'approve', to: 'approved', after: delay(2 * HOUR), actor: 'supervisor' });
            steps.push({ action: 'give_reply', to: 'closed', after: delay(40 * MIN), actor: 'desk' });
          }
          break;
        case 'routed':
          steps.push({ action: 'route', to: 'routed', after: delay(3 * HOUR), actor: 'desk' });
          if (r() < 0.05) {
            steps.push({ action: 'bounce', to: 'bounced', after: delay(6 * HOUR), actor: 'handler' });
            steps.push({ action: 'route', to: 'routed', after: delay(3 * HOUR), actor: 'desk' });
          }
          steps.push({ action: 'accept', to: 'accepted', after: delay(5 * HOUR), actor: 'handler' });
          steps.push({ action: 'contact', to: 'in_progress', after: delay(12 * HOUR), actor: 'handler' });
          steps.push({ action: 'resolve', to: 'resolved', after: delay(3 * DAY), actor: 'handler' });
          steps.push({ action: 'callback', to: 'called_back', after: delay(20 * HOUR), actor: 'desk' });
          steps.push({ action: 'close', to: 'closed', after: delay(30 * MIN), actor: 'desk' });
          break;
        case 'emergency':
          steps.push({ action: 'dispatch', to: 'dispatched', after: delay(4 * MIN), actor: 'supervisor' });
          steps.push({ action: 'resolve', to: 'resolved', after: delay(3 * HOUR), actor: 'desk' });
          steps.push({ action: 'close', to: 'closed', after: delay(2 * HOUR), actor: 'desk' });
          break;
        case 'collaborative':
          if (r() < 0.7) {
            steps.push({ action: 'coordinate', to: 'coordinated', after: delay(10 * HOUR), actor: 'desk' });
            steps.push({ action: 'close', to: 'closed', after: delay(2 * DAY), actor: 'desk' });
          } else steps.push({ action: 'return_to_12345', to: 'returned', after: delay(4 * HOUR), actor: 'desk' });
          break;
        case 'supervised':
          steps.push({ action: 'start_supervision', to: 'supervising', after: delay(10 * HOUR), actor: 'inspector' });
          steps.push({ action: 'respond', to: 'responded', after: delay(3 * DAY), actor: 'handler' });
          steps.push({ action: 'close', to: 'closed', after: delay(20 * HOUR), actor: 'inspector' });
          break;
      }

      const departmentId = kind === 'routed' && !routedToStreet ? pick(DEPARTMENTS) : kind === 'supervised' ? pick(DEPARTMENTS) : null;
      const assignedStreet = routedToStreet ? street.id : null;
      const handler = departmentId ? { name: `dept-${departmentId}`, role: 'department' } : { name: `street-${assignedStreet}`, role: 'street_seat' };

      let status = 'open';
      let stepAt = at;
      let updatedAt = at;
      let version = 1;
      let kindNow: string | null = kind === 'supervised' ? 'supervised' : null;
      let closedAt: number | null = null;
      let routedAt: number | null = null;
      let contactedAt: number | null = null;
      let resolvedAt: number | null = null;
      let reply: string | null = null;
      let draftReply: string | null = null;
      let result: string | null = null;
      let satisfaction: string | null = null;
      let bounceCount = 0;
      let routeDueAt: number | null = null;
      let contactDueAt: number | null = null;
      let resolveDueAt: number | null = null;
      let dueAt: number | null = kind === 'supervised' ? deadline(at, 3) : null;
      let wasLate = false;
      let routedYet = false;

      const creator = phone ? 'system:calls' : source === '12345' ? 'system:12345' : source === 'email' ? 'system:email' : source === 'online' ? 'system:kb' : supervision ? 'system:jobs' : op.name;
      insertEvent.run(id, at, creator, creator.startsWith('system') ? 'system' : 'operator', 'created', null, 'open', null, phone ? JSON.stringify({ channelId: `${Math.floor(at / 1000)}.${id}`, dialed: '962200' }) : parentTicketId ? JSON.stringify({ parentTicketId, reason: 'manual' }) : null);
      events++;
      // the caller's IVR choice sets the category (and an emergency's kind) before anyone classifies
      let categorySet = !phone || !voicemail;
      if (phone && !voicemail) {
        if (kind === 'emergency') kindNow = 'emergency';
        insertEvent.run(id, at + 20_000, 'system:calls', 'system', 'ivr_choice', 'open', 'open', null, JSON.stringify({ path: ivrPaths[key] ?? null, queue: target.queue, street: null }));
        events++;
        version++;
        updatedAt = at + 20_000;
      }
      for (const step of steps) {
        const when = Math.round(stepAt + step.after);
        if (when >= now) break;
        const actor =
          step.actor === 'desk' ? { name: op.name, role: 'operator' }
          : step.actor === 'supervisor' ? { name: 'supervisor', role: 'supervisor' }
          : step.actor === 'inspector' ? { name: 'inspector', role: 'inspector' }
          : step.actor === 'handler' ? handler
          : { name: 'system:jobs', role: 'system' };
        let data: string | null = null;
        let reason: string | null = null;
        switch (step.action) {
          case 'classify':
            kindNow = kind;
            categorySet = true;
            data = JSON.stringify({ kind, category, subcategory: subcategory ?? undefined });
            if (kind === 'routed') routeDueAt = dueAt = deadline(at, 2);
            break;
          case 'answer':
            reply = pick(REPLIES);
            data = JSON.stringify({ reply });
            closedAt = when;
            break;
          case 'draft_reply':
            draftReply = pick(REPLIES);
            data = JSON.stringify({ draft: draftReply });
            break;
          case 'give_reply':
            reply = draftReply;
            closedAt = when;
            break;
          case 'route':
            routedAt = when;
            routedYet = true;
            contactDueAt = deadline(when, 3);
            resolveDueAt = deadline(when, 10);
            dueAt = contactDueAt;
            data = JSON.stringify(departmentId ? { departmentId } : { street: assignedStreet });
            break;
          case 'bounce':
            bounceCount++;
            reason = '不属于本单位职责范围';
            dueAt = routeDueAt;
            break;
          case 'contact':
            contactedAt = when;
            dueAt = resolveDueAt;
            reason = '已与来电人联系';
            break;
          case 'resolve':
          case 'respond':
            result = pick(RESULTS);
            resolvedAt = when;
            if (resolveDueAt !== null && when > resolveDueAt) wasLate = true;
            dueAt = null;
            data = JSON.stringify({ result });
            break;
          case 'start_supervision':
            resolveDueAt = deadline(when, 10);
            dueAt = resolveDueAt;
            break;
          case 'callback':
            satisfaction = r() < 0.85 ? 'satisfied' : r() < 0.7 ? 'fair' : 'unsatisfied';
            data = JSON.stringify({ satisfaction });
            break;
          case 'close':
          case 'return_to_12345':
            closedAt = when;
            dueAt = null;
            break;
        }
        insertEvent.run(id, when, actor.name, actor.role, step.action, status, step.to, reason, data);
        events++;
        version++;
        status = step.to;
        stepAt = when;
        updatedAt = when;
      }
      if (kind === 'routed' && routedYet) routedIds.push(id);
      const finished = status === 'closed' || status === 'returned';
      const stepDue = kindNow === 'routed' ? (status === 'open' || status === 'bounced' ? routeDueAt : status === 'routed' || status === 'accepted' ? contactDueAt : status === 'in_progress' ? resolveDueAt : null) : kindNow === 'supervised' ? (status === 'open' ? dueAt : status === 'supervising' ? resolveDueAt : null) : null;
      const overdue = wasLate || (!finished && stepDue !== null && stepDue < now);

      insertTicket.run([
        id, number, source, kindNow, status, categorySet ? category : null, categorySet ? subcategory : null, callerNumber, callerName, callerEmail,
        address, address ? street.id : null, address ? street.district : null, title, content,
        answeringSeat, source === 'manual' || kindNow ? op.userId : null, routedYet || kind === 'supervised' ? departmentId : null, routedYet ? assignedStreet : null,
        needsCallbackAtStart && !kindNow ? 1 : 0, source === '12345' ? `12345-${String(id).padStart(10, '0')}` : null, parentTicketId,
        dueAt, routeDueAt, contactDueAt, resolveDueAt, overdue ? 1 : 0, reply, draftReply, result, satisfaction, kind === 'emergency' && kindNow ? 1 : 0,
        at, updatedAt, closedAt, version, routedAt, contactedAt, resolvedAt, bounceCount,
      ]);

      if (phone) {
        const enqueuedAt = at + Math.round(between(15_000, 45_000));
        const wait = Math.round(delay(25));
        const offeredAt = abandoned || voicemail ? null : enqueuedAt + wait * 1000 - 3000;
        const answeredBySeat = offeredAt === null ? null : enqueuedAt + wait * 1000;
        const talk = answeredBySeat === null ? null : Math.round(60 + delay(180));
        const endedAt = answeredBySeat !== null ? answeredBySeat + talk! * 1000 : enqueuedAt + Math.round(delay(60)) * 1000;
        insertCall.run([
          `${Math.floor(at / 1000)}.${id}`, id, 'ari', 'phone', callerNumber, callerName, '962200', at, at + 1000, voicemail ? null : ivrPaths[key] ?? null,
          voicemail ? null : target.category, voicemail ? null : target.subcategory ?? null, voicemail ? null : target.queue, target.emergency ? 3 : 1, voicemail ? null : enqueuedAt, offeredAt, answeringSeat,
          answeredBySeat, endedAt, voicemail ? 'voicemail' : abandoned ? 'abandoned' : 'answered', 'Normal Clearing', voicemail ? null : abandoned ? Math.round((endedAt - enqueuedAt) / 1000) : wait, talk,
          answeredBySeat && r() < 0.4 ? pick(['satisfied', 'satisfied', 'satisfied', 'fair', 'unsatisfied']) : null, answeredBySeat ? `call-${id}` : null, voicemail ? `vm-${id}` : null,
        ]);
        callRows++;
      }
    }
  });

  for (let from = 0; from < total; from += BATCH) {
    writeBatch(from, Math.min(total, from + BATCH));
    if ((from / BATCH) % 10 === 0) progress(`${Math.min(total, from + BATCH)}/${total} tickets (${events} events, ${callRows} calls)`);
  }
  db.transaction(() => {
    for (const [day, last] of counters) insertCounter.run(day, last);
  })();
  for (const table of ['ticket_events', 'calls', 'outbox_12345']) {
    const broken = db.prepare(`PRAGMA foreign_key_check(${table})`).all();
    if (broken.length) throw new Error(`${table}: ${broken.length} rows point nowhere`);
  }
  db.pragma('foreign_keys = ON');
  progress(`rows written in ${((performance.now() - started) / 1000).toFixed(0)} s; re-creating ${indexes.length} indexes`);
  for (const i of indexes) db.exec(i.sql);

  // what 12345 was sent for its orders' changes, all acknowledged long ago
  const queued = db.transaction(() => new Outbox12345(drizzleDb, () => now).catchUp())();
  db.prepare(`UPDATE outbox_12345 SET delivered_at = created_at, attempts = 1`).run();
  progress(`12345 outbox: ${queued} updates, marked delivered`);
  // the rows were written past TicketService: their text search index is built in ticketsDatabase
  db.prepare('INSERT INTO ticket_search_backlog (below) SELECT max(id) + 1 FROM tickets').run();

  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  const sizeMB = Math.round(statSync(path).size / 1e5) / 10;
  progress(`built ${path}: ${sizeMB} MB in ${buildSeconds} s`);
  return { version: DATA_VERSION, tickets: total, events, calls: callRows, callerPool: CALLER_POOL, now, builtAt: new Date().toISOString(), buildSeconds, sizeMB };
}
