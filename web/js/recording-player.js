// The recording player of a ticket, shared by the desk and the supervisor's quality page:
// the call recording and the voice message with the call's timeline beside them. The
// <audio> element cannot send the bearer token, so it plays a short-lived link the server
// signs for this user and ticket (POST …/link); the browser seeks with byte ranges, and
// every request is audited on the server.
import { el, fill, fmtDateTime, fmtDuration, ivrPathText, QUEUE } from './common.js';

const queueName = (q) => QUEUE[q] ?? q;

/** Details of a step, in words (no state in display strings: the codes come from the server). */
function stepDetail(s) {
  const d = s.detail ?? {};
  if (s.step === 'ivr_choice' && d.path) return `${ivrPathText(d.path)}${d.queue ? ` → ${queueName(d.queue)}` : ''}`;
  if (s.step === 'queued' && d.queue) return queueName(d.queue);
  if ((s.step === 'offered' || s.step === 'answered' || s.step === 'seat_left') && d.seatId) return `坐席 ${d.seatId}${d.waitSeconds != null ? `，等待 ${fmtDuration(d.waitSeconds)}` : ''}`;
  if (s.step === 'transferred') return d.seatId ? `至坐席 ${d.seatId}` : d.queue ? `至队列 ${queueName(d.queue)}` : d.street ? `至街镇 ${d.street}` : '';
  if (s.step === 'ended') return d.talkSeconds != null ? `通话 ${fmtDuration(d.talkSeconds)}` : '';
  return '';
}

/**
 * A panel for ticket `ticketId`, filled once GET /api/tickets/:id/recordings answers; null
 * content (hidden) when the ticket has no call. `onLoaded(view)` lets a page add to it.
 */
export function recordingPanel(api, ticketId, { onLoaded } = {}) {
  const panel = el('section', { class: 'recordings', dataset: { ticketId: String(ticketId) }, 'aria-label': '录音与通话过程', hidden: true });
  api('GET', `/api/tickets/${ticketId}/recordings`)
    .then((view) => {
      if (!view.items.length && !view.timeline.length) return;
      panel.hidden = false;
      const answered = view.timeline.find((s) => s.step === 'answered');
      const players = el('div', { class: 'players' }, view.items.map((item) => player(api, item, view.mayPlay)));
      const seekTo = (s) => {
        // the call recording starts when the seat answered
        const audio = panel.querySelector('audio[data-kind="call"]');
        if (!audio || !answered || s.offsetSeconds < answered.offsetSeconds) return;
        audio.currentTime = s.offsetSeconds - answered.offsetSeconds;
        audio.play().catch(() => undefined);
      };
      const timeline = el(
        'ol',
        { class: 'call-timeline' },
        view.timeline.map((s) =>
          el(
            'li',
            { dataset: { step: s.step }, title: fmtDateTime(s.at) },
            el('span', { class: 'mono t-offset' }, `+${fmtDuration(s.offsetSeconds)}`),
            el('span', { class: 't-label' }, s.label),
            el('span', { class: 'muted t-detail' }, stepDetail(s)),
            answered && s.offsetSeconds >= answered.offsetSeconds && view.mayPlay && view.items.some((i) => i.kind === 'call' && !i.removedAt)
              ? el('button', { type: 'button', class: 'btn btn-tiny', title: '从这里播放', onclick: () => seekTo(s) }, '▶')
              : null,
          ),
        ),
      );
      fill(panel, el('h3', {}, '录音与通话过程'), el('div', { class: 'recordings-body' }, players, timeline));
      onLoaded?.(view, panel);
    })
    .catch((err) => {
      panel.hidden = false;
      fill(panel, el('p', { class: 'error' }, `录音信息加载失败：${err.message}`));
    });
  return panel;
}

function player(api, item, mayPlay) {
  const box = el('div', { class: 'player', dataset: { kind: item.kind } }, el('span', { class: 'player-label' }, item.label));
  if (item.removedAt) {
    box.append(el('span', { class: 'muted' }, `已于 ${fmtDateTime(item.removedAt)} 按保存期限删除`));
    return box;
  }
  if (!mayPlay) {
    box.append(el('span', { class: 'muted' }, '仅受理或办理该工单的人员、主管和质检员可以收听'));
    return box;
  }
  const status = el('span', { class: 'muted player-status', role: 'status' });
  const load = el(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      onclick: async () => {
        load.disabled = true;
        status.textContent = '正在打开…';
        try {
          const { url } = await api('POST', `${item.path}/link`);
          const audio = el('audio', { controls: true, preload: 'metadata', src: url, dataset: { kind: item.kind } });
          audio.addEventListener('error', () => (status.textContent = '录音无法播放（可能已过期，请刷新）'));
          audio.addEventListener('loadedmetadata', () => (status.textContent = `时长 ${fmtDuration(Math.round(audio.duration))}`));
          load.replaceWith(audio);
          status.textContent = '';
        } catch (err) {
          load.disabled = false;
          status.textContent = err.message;
        }
      },
    },
    item.kind === 'call' ? '收听录音' : '收听留言',
  );
  box.append(load, status);
  return box;
}
