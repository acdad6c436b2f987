// The Chinese words every report prints (第十九条 names the five kinds); codes stay in the
// JSON beside them for programs. Categories' labels come from the taxonomy.
import { DEMO_STREETS } from '../seed/streets.js';

export const KIND_LABEL: Record<string, string> = {
  immediate: '即办件',
  routed: '流转件',
  supervised: '督办件',
  emergency: '应急件',
  collaborative: '协同件',
};
export const UNCLASSIFIED_LABEL = '未分类';

export const STATUS_LABEL: Record<string, string> = {
  open: '待处理',
  sent_back: '退回修改',
  in_review: '待审核',
  approved: '审核通过',
  routed: '已派转',
  accepted: '已签收',
  bounced: '被退回',
  in_progress: '处理中',
  resolved: '已办结',
  called_back: '已回访',
  supervising: '督办中',
  responded: '已回复',
  dispatched: '已处置',
  coordinated: '已协同',
  closed: '已结案',
  returned: '已退回12345',
};

export const SOURCE_LABEL: Record<string, string> = { phone: '电话', email: '邮件', online: '在线', '12345': '12345转办', manual: '人工登记' };
export const SATISFACTION_LABEL: Record<string, string> = { satisfied: '满意', fair: '基本满意', unsatisfied: '不满意' };
export const CHANNEL_LABEL: Record<string, string> = { callback: '回访', spot_check: '抽查回访', ivr: '电话按键评价' };
export const UNIT_KIND_LABEL: Record<string, string> = { department: '部门', street: '街镇', center: '热线中心', seat: '坐席', category: '类别' };

export const kindLabel = (k: string | null) => (k === null ? UNCLASSIFIED_LABEL : (KIND_LABEL[k] ?? k));
export const statusLabel = (s: string) => STATUS_LABEL[s] ?? s;
export const sourceLabel = (s: string) => SOURCE_LABEL[s] ?? s;

const STREET_NAMES = new Map(DEMO_STREETS.map((s) => [s.id, `${s.district}${s.name}`]));

/** A unit's name: streets known to the seed by their name; departments by their id until #13's registry. */
export function unitLabel(unitKind: string, unit: string | null): string {
  if (unitKind === 'center' || unit === null) return '热线中心';
  if (unitKind === 'street') return STREET_NAMES.get(unit) ?? unit;
  return unit;
}
