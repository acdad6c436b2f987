// An alert nobody acknowledged within ALERT_REPEAT_MS (default 3 minutes) is pushed to the
// supervisors' sockets again, and the first time also e-mailed to the duty supervisors
// (ALERT_EMAIL_TO, through the same outgoing mail as replies). Driven by the stored
// alerts and the clock alone, so a late or repeated run does no harm.
import type { Config } from '../config.js';
import type { HotlineBus } from '../shared/bus.js';
import type { MailOut } from '../mailout/services.js';
import type { AlertService } from './services.js';

interface Deps {
  config: Config;
  bus: HotlineBus;
  alerts: AlertService;
  mailOut: MailOut;
  now: () => number;
}

export function escalateAlerts(s: Deps, now: number = s.now()): { repushed: number; emailed: number } {
  const tally = { repushed: 0, emailed: 0 };
  for (const row of s.alerts.unacknowledgedSince(now - s.config.alerts.repeatMs)) {
    const minutes = Math.max(1, Math.round((now - row.createdAt) / 60_000));
    const mailed =
      row.emailedAt == null &&
      !!s.mailOut.queueAlert({
        id: row.id,
        ticketId: row.ticketId,
        subject: `【962200 警报未确认】${row.summary}`,
        body: [`以下警报已 ${minutes} 分钟无人确认，请值班主管立即处理：`, '', row.summary, '', `警报编号 ${row.id}，发出时间 ${new Date(row.createdAt).toISOString()}。`, '请在监控大屏或工作台上点击“确认”。'].join('\n'),
      });
    const view = s.alerts.repushed(row.id, now, mailed);
    if (!view) continue;
    tally.repushed++;
    if (mailed) tally.emailed++;
    s.bus.emit('alert', { alert: view, repeat: true });
  }
  if (tally.emailed) s.mailOut.kick();
  return tally;
}
