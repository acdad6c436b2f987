// The Chinese words people read in the tickets' history and refusals; the codes
// (actions, roles, statuses) stay English in the JSON beside them for programs.
import { kindLabel, statusLabel } from '../stats/labels.js';
import type { Actor } from '../shared/actor.js';

export { kindLabel, statusLabel };

export const ACTION_LABEL: Record<string, string> = {
  classify: '定性分类', take: '认领', answer: '直接答复办结', draft_reply: '起草答复送审', approve: '审核通过', send_back: '退回修改',
  give_reply: '答复市民', route: '派转', recall: '撤回派转', reroute: '改派', record_part: '记录协办情况',
  request_coordination: '提请市局办公室协调', answer_coordination: '答复协调', request_extension: '申请延期', grant_extension: '批准延期',
  refuse_extension: '不予延期', accept: '签收', bounce: '退单', contact: '联系市民', resolve: '办结', callback: '回访', close: '结案',
  reopen: '重新打开', supervise: '发起督办', take_spot_check: '认领抽查回访', spot_check: '抽查回访', start_supervision: '开始督办',
  respond: '督办回复', dispatch: '应急处置', coordinate: '协同处理', return_to_12345: '退回12345',
};

export const ROLE_LABEL: Record<Actor['role'], string> = {
  operator: '话务员', street_seat: '街镇坐席', department: '部门', supervisor: '主管', inspector: '督办员', admin: '管理员', integration: '对接系统', quality: '质检员', system: '系统',
};

/** 「派转」(route): the Chinese name with the code a program or a manual uses */
export const actionLabel = (action: string) => (ACTION_LABEL[action] ? `「${ACTION_LABEL[action]}」（${action}）` : `「${action}」`);
export const rolesText = (roles: readonly string[]) => roles.map((r) => ROLE_LABEL[r as Actor['role']] ?? r).join('、');
