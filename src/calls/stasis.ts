import type { AriClient } from '../ari/index.js';
import type { CallService } from './services.js';

/**
 * Telephony events -> call service. The only file that knows ARI event shapes for
 * calls; the service never sees a raw event.
 */
export function wireCallEvents(ari: AriClient, calls: CallService): void {
  const causes = new Map<string, string>();

  ari.on('StasisStart', (e) => {
    const [kind, source] = e.args;
    if (kind === 'inbound') calls.callEntered(e.channel, source === '12345' ? '12345' : 'phone');
  });

  ari.on('ChannelHangupRequest', (e) => {
    if (calls.live.has(e.channel.id) && e.cause !== undefined) causes.set(e.channel.id, String(e.cause));
  });

  ari.on('StasisEnd', (e) => {
    if (!calls.live.has(e.channel.id)) return;
    calls.callLeft(e.channel.id, causes.get(e.channel.id));
    causes.delete(e.channel.id);
  });

  ari.on('ChannelDestroyed', (e) => {
    // normally StasisEnd came first; this covers a missed one
    if (calls.live.has(e.channel.id)) calls.callLeft(e.channel.id, e.cause_txt || String(e.cause));
    causes.delete(e.channel.id);
  });
}
