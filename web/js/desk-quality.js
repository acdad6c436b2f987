// The desk's 我的质检 card: a seat reads its own quality scores (第二十一条) for a month,
// each scored call with the inspector's comments, and the month's average. Read on demand.
import { $, el, fill, session, makeApi } from './common.js';

const store = session('desk');
const api = makeApi(() => store.get()?.token);

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

async function show() {
  const month = $('#quality-month').value || thisMonth();
  const out = $('#quality-scores');
  try {
    const [{ items, months }, sheet] = await Promise.all([api('GET', `/api/quality/mine?from=${month}&to=${month}`), api('GET', '/api/quality/sheet')]);
    const label = new Map(sheet.items.map((i) => [i.code, i.label]));
    const avg = months[0];
    fill(
      out,
      el('p', { class: 'muted', id: 'quality-summary' }, avg ? `${month}：已评 ${avg.scored} 通，平均得分率 ${avg.averagePercent}%` : `${month}：尚无质检评分`),
      el(
        'ul',
        { class: 'kb-list' },
        items.map((x) =>
          el(
            'li',
            { class: 'kb-item', dataset: { sampleId: String(x.id) } },
            el('strong', {}, `${x.day} · ${x.score.total} / ${x.score.maxTotal}`),
            x.score.comment ? el('div', {}, x.score.comment) : null,
            x.score.items.filter((i) => i.comment).map((i) => el('div', { class: 'muted' }, `${label.get(i.code) ?? i.code} ${i.points} 分：${i.comment}`)),
          ),
        ),
      ),
    );
  } catch (err) {
    fill(out, el('p', { class: 'error' }, `加载失败：${err.message}`));
  }
}

$('#quality-month').value = thisMonth();
$('#quality-show').addEventListener('click', show);
