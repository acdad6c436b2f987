import { HttpError } from '../shared/errors.js';
import type { ItemScore, SheetItem } from './schema.js';

/** The score sheet a fresh database starts with (第二十一条 服务质量): 100 points in four items. */
export const DEFAULT_SHEET: { name: string; items: SheetItem[] } = {
  name: '话务质检评分表',
  items: [
    { code: 'service_language', label: '服务用语', points: 25, description: '规范开头语和结束语，文明礼貌，语气语速适当' },
    { code: 'answer_accuracy', label: '答复准确', points: 30, description: '政策解答准确完整，不推诿，不答非所问' },
    { code: 'process_compliance', label: '流程规范', points: 25, description: '登记、分类、派转、回访按规程办理' },
    { code: 'confidentiality', label: '信息保密', points: 20, description: '不泄露来电人信息和工作秘密（第二十三条）' },
  ],
};

const invalid = (field: string, message: string) => new HttpError(400, 'bad_request', message, { field });

/** A sheet an admin or supervisor puts up: codes unique, each item with its points. */
export function checkSheet(items: SheetItem[]): void {
  if (!items.length) throw invalid('items', '评分表至少要有一项');
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.code)) throw invalid(`items/${i}/code`, `评分项代码重复：${item.code}`);
    seen.add(item.code);
  });
}

/** Scores given on `items`: every item of the sheet scored once, 0…its points; the total. */
export function checkScores(sheet: SheetItem[], scores: ItemScore[]): { total: number; maxTotal: number } {
  const byCode = new Map(sheet.map((i) => [i.code, i]));
  const given = new Set<string>();
  scores.forEach((s, i) => {
    const item = byCode.get(s.code);
    if (!item) throw invalid(`items/${i}/code`, `评分表中没有这一项：${s.code}`);
    if (given.has(s.code)) throw invalid(`items/${i}/code`, `评分项重复：${item.label}`);
    if (s.points > item.points) throw invalid(`items/${i}/points`, `${item.label} 最多 ${item.points} 分，给了 ${s.points} 分`);
    given.add(s.code);
  });
  const missing = sheet.find((i) => !given.has(i.code));
  if (missing) throw invalid('items', `缺少评分项：${missing.label}`);
  return { total: scores.reduce((n, s) => n + s.points, 0), maxTotal: sheet.reduce((n, i) => n + i.points, 0) };
}
