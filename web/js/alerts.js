// The alert banner of the supervisor's pages (wallboard, and the desk when a supervisor
// uses it): the stored alerts nobody acknowledged yet (GET /api/alerts, /ws/supervisor),
// the newest on top, flashing when raised or pushed again, acknowledged with 确认
// (POST /api/alerts/:id/ack). It stays until a supervisor acknowledges it.
import { $, fill, fmtTime } from './common.js';

/** What each kind of alert is called on the banner. */
export const ALERT_TITLE = {
  emergency_call: '应急警报',
  emergency_ticket: '应急警报',
  draft_review: '答复待审核',
  urged: '12345 催办',
  routing_overdue: '派转超时',
  bureau_office_overdue: '市局办公室超时未复',
};

/**
 * banner: the #alert element (with .alert-title, .alert-text, .alert-ack inside).
 * canAck: whether this user may acknowledge (supervisors). onChange(open): after every change.
 */
export function alertBanner({ api, banner, canAck, onChange = () => undefined }) {
  /** id -> alert, unacknowledged */
  const open = new Map();
  const title = $('.alert-title', banner);
  const text = $('.alert-text', banner);
  const more = $('.alert-more', banner);
  const ack = $('.alert-ack', banner);
  ack.hidden = !canAck;

  const newest = () => [...open.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id)[0];

  function render(flash) {
    const a = newest();
    onChange([...open.values()]);
    if (!a) {
      banner.hidden = true;
      banner.classList.remove('flashing');
      return;
    }
    banner.dataset.alert = String(a.id);
    banner.dataset.code = a.code;
    title.textContent = `${ALERT_TITLE[a.code] ?? '警报'}${a.pushCount > 1 ? `（第 ${a.pushCount} 次提醒，尚未确认）` : ''}`;
    fill(text, `${fmtTime(a.createdAt)}  ${a.summary}`, a.ticketNumber && !a.summary.includes(a.ticketNumber) ? `  · 工单 ${a.ticketNumber}` : '');
    if (more) more.textContent = open.size > 1 ? `另有 ${open.size - 1} 条未确认的警报` : canAck ? '' : '请值班主管确认';
    banner.hidden = false;
    if (flash) {
      // restart the flash for every new or repeated alert
      banner.classList.remove('flashing');
      void banner.offsetWidth;
      banner.classList.add('flashing');
    }
  }

  ack.addEventListener('click', async () => {
    const a = newest();
    if (!a) return;
    ack.disabled = true;
    try {
      await api('POST', `/api/alerts/${a.id}/ack`, {});
      open.delete(a.id);
    } catch (err) {
      // acknowledged by someone else meanwhile: it is done either way
      if (err.status === 409 || err.status === 404) open.delete(a.id);
      else text.textContent = `确认失败：${err.message}`;
    } finally {
      ack.disabled = false;
    }
    render(false);
  });

  return {
    /** the unacknowledged alerts as the server has them (snapshot, or a poll) */
    setOpen(list) {
      const before = new Set(open.keys());
      open.clear();
      for (const a of list ?? []) open.set(a.id, a);
      render([...open.keys()].some((id) => !before.has(id)));
    },
    /** a raised alert, or one pushed again */
    raised(alert) {
      open.set(alert.id, alert);
      render(true);
    },
    acknowledged(id) {
      if (!open.delete(id)) return;
      render(false);
    },
    get open() {
      return [...open.values()];
    },
  };
}
