// The reports a centre circulates, as CSV (UTF-8 with BOM, see csv.ts): the daily and
// monthly ticket report, and the evaluation per department and street. Headers and
// values are the Chinese labels; codes are in the JSON.
import { toCsv } from './csv.js';
import { UNIT_KIND_LABEL } from './labels.js';
import type { UnitEvaluation } from './evaluation.js';
import type { TicketFigures } from './ticket-counts.js';

const pct = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(1)}%`);

export const TICKET_REPORT_HEADER = ['期间', '类型', '类别', '子类', '来源', '承办单位类型', '承办单位', '期末状态', '件数'] as const;

/** One row per kind × category × subcategory × source × unit × status at the period's end, then a total per kind. */
export function ticketReportCsv(period: string, f: TicketFigures): string {
  const rows: Array<Array<string | number | null>> = f.rows.map((r) => [
    period,
    r.kindLabel,
    r.categoryLabel ?? '未分类',
    r.subcategoryLabel ?? '',
    r.sourceLabel,
    UNIT_KIND_LABEL[r.unitKind],
    r.unitLabel,
    r.statusLabel,
    r.count,
  ]);
  for (const k of f.kinds) rows.push([period, k.label, '（合计）', '', '', '', '', '', k.count]);
  rows.push([period, '（总计）', '', '', '', '', '', '', f.total]);
  return toCsv(TICKET_REPORT_HEADER, rows);
}

export const EVALUATION_HEADER = [
  '排名', '单位类型', '单位', '工单数',
  '派转应办', '派转按时', '派转超时', '派转按时率',
  '联系应办', '联系按时', '联系超时', '联系逾期未办', '联系按时率',
  '答复应办', '答复按时', '答复超时', '答复逾期未办', '答复按时率',
  '超期件数', '督办件数', '退回次数', '延期申请',
  '满意', '基本满意', '不满意', '评价样本', '满意率', '满意及基本满意率', '综合得分',
] as const;

export function evaluationCsv(units: UnitEvaluation[]): string {
  return toCsv(
    EVALUATION_HEADER,
    units.map((u) => [
      `${u.rank}/${u.rankOf}`, UNIT_KIND_LABEL[u.unitKind], u.unitLabel, u.tickets,
      u.routing.due, u.routing.onTime, u.routing.late, pct(u.routing.onTimeRate),
      u.contact.due, u.contact.onTime, u.contact.late, u.contact.overdue, pct(u.contact.onTimeRate),
      u.answer.due, u.answer.onTime, u.answer.late, u.answer.overdue, pct(u.answer.onTimeRate),
      u.overdue, u.supervised, u.bounces, u.extensions,
      u.satisfaction.satisfied, u.satisfaction.fair, u.satisfaction.unsatisfied, u.satisfaction.total,
      pct(u.satisfaction.rate), pct(u.satisfaction.acceptableRate), u.score === null ? '' : u.score.toFixed(1),
    ]),
  );
}
