// Small SVG charts of our own (no library, nothing from the internet): horizontal bars,
// 100 % stacked bars and a legend. Labels are set as text, never as markup.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** bars: [{ label, value, color? }]; one row each, the longest bar the full width. */
export function barChart(bars, { width = 560, row = 26, labelWidth = 130, format = String, color = '#2563eb' } = {}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(row, bars.length * row);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'chart-svg' });
  const span = width - labelWidth - 70;
  bars.forEach((b, i) => {
    const y = i * row;
    root.append(svg('text', { x: labelWidth - 8, y: y + row / 2 + 5, 'text-anchor': 'end', class: 'chart-label' }, b.label));
    root.append(svg('rect', { x: labelWidth, y: y + 4, width: Math.max(1, (b.value / max) * span), height: row - 8, rx: 3, fill: b.color ?? color }));
    root.append(svg('text', { x: labelWidth + (b.value / max) * span + 6, y: y + row / 2 + 5, class: 'chart-value' }, format(b.value)));
  });
  return root;
}

/** rows: [{ label, parts: [{ name, value, color }], note? }]; each row split by its parts' shares. */
export function stackedBars(rows, { width = 560, row = 26, labelWidth = 130 } = {}) {
  const height = Math.max(row, rows.length * row);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'chart-svg' });
  const span = width - labelWidth - 80;
  rows.forEach((r, i) => {
    const y = i * row;
    const total = r.parts.reduce((s, p) => s + p.value, 0);
    root.append(svg('text', { x: labelWidth - 8, y: y + row / 2 + 5, 'text-anchor': 'end', class: 'chart-label' }, r.label));
    let x = labelWidth;
    for (const p of r.parts) {
      const w = total ? (p.value / total) * span : 0;
      if (w > 0) {
        const rect = svg('rect', { x, y: y + 4, width: w, height: row - 8, fill: p.color });
        rect.append(svg('title', {}, `${p.name} ${p.value}`));
        root.append(rect);
      }
      x += w;
    }
    if (!total) root.append(svg('rect', { x: labelWidth, y: y + 4, width: span, height: row - 8, fill: '#e5e7eb' }));
    root.append(svg('text', { x: labelWidth + span + 6, y: y + row / 2 + 5, class: 'chart-value' }, r.note ?? String(total)));
  });
  return root;
}

/** [{ name, color }] as a row of swatches */
export function legend(items) {
  const box = document.createElement('div');
  box.className = 'chart-legend';
  for (const it of items) {
    const span = document.createElement('span');
    const sw = document.createElement('i');
    sw.className = 'sw';
    sw.style.background = it.color;
    span.append(sw, document.createTextNode(it.name));
    box.append(span);
  }
  return box;
}

export const SATISFACTION_COLORS = { satisfied: '#16a34a', fair: '#f59e0b', unsatisfied: '#dc2626' };
export const SATISFACTION_PARTS = (t) => [
  { name: '满意', value: t.satisfied, color: SATISFACTION_COLORS.satisfied },
  { name: '基本满意', value: t.fair, color: SATISFACTION_COLORS.fair },
  { name: '不满意', value: t.unsatisfied, color: SATISFACTION_COLORS.unsatisfied },
];
export const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
