import type { AriClient } from '../ari/index.js';
import type { ListenIn } from './listen-in.js';
import type { CallService } from './services.js';

/**
 * Telephony events -> call service. The only file that knows ARI event shapes for
 * calls; the service never sees a raw event. Citizens' channels enter with
 * args [inbound, source]; seat legs we originate enter (on answer) with
 * [seat, callerChannelId, seatId]; listen-in legs [snoop, listenId] (nothing to do)
 * and, when the supervisor answers, [listen, listenId].
 */
export function wireCallEvents(ari: AriClient, calls: CallService, listenIn: ListenIn): void {
  const causes = new Map<string, string>();

  ari.on('StasisStart', (e) => {
    const [kind, a, b] = e.args;
    if (kind === 'inbound') calls.callEntered(e.channel, a === '12345' ? '12345' : 'phone');
    else if (kind === 'seat') calls.guard(calls.seatAnswered(e.channel, a, b), 'seat answered');
    else if (kind === 'listen') calls.guard(listenIn.answered(a), 'listen-in answered');
  });

  ari.on('ChannelDtmfReceived', (e) => calls.guard(calls.digit(e.channel.id, e.digit), 'digit'));

  ari.on('PlaybackFinished', (e) => calls.playbackFinished(e.playback.id));

  ari.on('RecordingFinished', (e) => {
    if (e.recording.name.startsWith('vm-')) calls.voiceMessageSaved(e.recording.name);
  });

  ari.on('RecordingFailed', (e) => {
    if (e.recording.name.startsWith('vm-')) calls.voiceMessageSaved(e.recording.name, e.recording.cause ?? 'failed');
  });

  ari.on('ChannelHangupRequest', (e) => {
    if (e.cause !== undefined) causes.set(e.channel.id, String(e.cause));
  });

  ari.on('StasisEnd', (e) => {
    listenIn.channelGone(e.channel.id);
    // an answered seat leg hung up (ChannelDestroyed may not follow once it left the app)
    if (calls.seatLegs.has(e.channel.id)) calls.seatLegGone(e.channel.id, causes.get(e.channel.id) ?? 'hangup');
    if (calls.live.has(e.channel.id)) calls.callLeft(e.channel.id, causes.get(e.channel.id));
    // forgotten here as well: a seat leg that left the app sends no ChannelDestroyed
    causes.delete(e.channel.id);
  });

  ari.on('ChannelDestroyed', (e) => {
    listenIn.channelGone(e.channel.id);
    // a seat leg that never answered never entered Stasis: this is its only end
    if (calls.seatLegs.has(e.channel.id)) calls.seatLegGone(e.channel.id, e.cause_txt || String(e.cause));
    // normally StasisEnd came first; this covers a missed one
    if (calls.live.has(e.channel.id)) calls.callLeft(e.channel.id, e.cause_txt || String(e.cause));
    causes.delete(e.channel.id);
  });
}
