// A ticket's attachments and the mail sent to its citizen, on the desk's ticket detail:
// files download through the API (the token goes in a header, so via fetch and a blob),
// and a reply by e-mail shows whether it went, is being retried, or failed.
import { el, fill, fmtDateTime } from './common.js';

/** History entries of outgoing mail (src/mailout). */
export const MAIL_EVENT_TEXT = { mail_sent: '答复邮件已发送', mail_delayed: '答复邮件暂未发出', mail_failed: '答复邮件发送失败', mail_received: '收到来信' };

const MAIL_STATUS = { queued: '待发送', retrying: '发送失败，等待重试', sent: '已发送', failed: '发送失败，已停止重试' };

const size = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

/** The block for ticket `t`, filled once its lists are in; empty (hidden) when there is nothing. */
export function ticketFiles(getToken, t) {
  const box = el('div', { class: 'ticket-text ticket-files', hidden: true, dataset: { ticketId: String(t.id) } });
  const get = async (path) => {
    const res = await fetch(path, { headers: { authorization: `Bearer ${getToken()}`, accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  Promise.all([get(`/api/tickets/${t.id}/attachments`), t.source === 'email' ? get(`/api/tickets/${t.id}/mails`) : { items: [] }])
    .then(([files, mails]) => {
      if (!files.items.length && !mails.items.length) return;
      fill(
        box,
        files.items.length
          ? el('div', { class: 'text-row' }, el('span', { class: 'fact-label' }, '附件'), el('ul', { class: 'attachments' }, files.items.map((a) => el('li', {}, downloadLink(getToken, a), ` ${size(a.size)} · ${a.contentType}`))))
          : null,
        mails.items.length
          ? el(
              'div',
              { class: 'text-row' },
              el('span', { class: 'fact-label' }, '答复邮件'),
              el(
                'ul',
                { class: 'mails' },
                mails.items.map((m) =>
                  el('li', { class: `mail mail-${m.status}`, dataset: { status: m.status } }, `${MAIL_STATUS[m.status] ?? m.status} · ${m.to}`, m.sentAt ? ` · ${fmtDateTime(m.sentAt)}` : '', m.lastError && m.status !== 'sent' ? `（${m.lastError}）` : '', m.status === 'retrying' && m.nextAttemptAt ? ` · 下次重试 ${fmtDateTime(m.nextAttemptAt)}` : ''),
                ),
              ),
            )
          : null,
      );
      box.hidden = false;
    })
    .catch(() => undefined);
  return box;
}

function downloadLink(getToken, a) {
  return el(
    'a',
    {
      href: '#',
      class: 'attachment',
      onclick: async (ev) => {
        ev.preventDefault();
        const res = await fetch(a.url, { headers: { authorization: `Bearer ${getToken()}` } });
        if (!res.ok) return;
        const url = URL.createObjectURL(await res.blob());
        const link = el('a', { href: url, download: a.name });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
    },
    a.name,
  );
}
