import type { AriEventSource } from '../ari/index.js';
import { decodeArgs } from './app-args.js';
import type { CallService } from './call-service.js';
import type { ListenIn } from './listen-in.js';
import { isVoicemail } from './names.js';
import type { SeatPhoneLine } from '../seats/phone-line.js';

/**
 * Telephony events -> call service. The only file that knows ARI event shapes for
 * calls; the service never sees a raw event. Arguments are read with app-args.ts.
 */
export function wireCallEvents(ari: AriEventSource, calls: CallService, listenIn: ListenIn, seatLine?: SeatPhoneLine): void {
  const causes = new Map<string, string>();

  ari.on('StasisStart', (e) => {
    const args = decodeArgs(e.args);
    if (args.kind === 'inbound') calls.callEntered(e.channel, args.source);
    else if (args.kind === 'seat' && !args.recorded) calls.runDetached(calls.seatPickedUp(e.channel, args.callId, args.seatId), 'seat picked up');
    else if (args.kind === 'seat') calls.runDetached(calls.seatAnswered(e.channel, args.callId, args.seatId), 'seat answered');
    else if (args.kind === 'listen') calls.runDetached(listenIn.answered(args.listenId), 'listen-in answered');
    else if (args.kind === 'seatline') seatLine?.entered(e.channel);
  });

  ari.on('ChannelDtmfReceived', (e) => {
    if (seatLine?.has(e.channel.id)) seatLine.digit(e.channel.id, e.digit);
    else calls.runDetached(calls.digit(e.channel.id, e.digit), 'digit');
  });

  ari.on('PlaybackFinished', (e) => {
    const channelId = e.playback.target_uri.replace(/^channel:/, '');
    if (seatLine?.has(channelId)) seatLine.playbackFinished(e.playback.id, channelId);
    else calls.playbackFinished(e.playback.id, channelId);
  });

  ari.on('RecordingFinished', (e) => {
    if (isVoicemail(e.recording.name)) calls.voiceMessageSaved(e.recording.name);
  });

  ari.on('RecordingFailed', (e) => {
    if (isVoicemail(e.recording.name)) calls.voiceMessageSaved(e.recording.name, e.recording.cause ?? 'failed');
  });

  ari.on('ChannelHangupRequest', (e) => {
    if (e.cause !== undefined) causes.set(e.channel.id, String(e.cause));
  });

  ari.on('StasisEnd', (e) => {
    // a seat leg on its way through the dialplan's recording step: it comes back
    if (calls.inRecordingStep(e.channel.id)) return;
    calls.channelGone(e.channel.id);
    listenIn.channelGone(e.channel.id);
    seatLine?.left(e.channel.id);
    // an answered seat leg hung up (ChannelDestroyed may not follow once it left the app)
    if (calls.isSeatLeg(e.channel.id)) calls.seatLegGone(e.channel.id, causes.get(e.channel.id) ?? 'hangup');
    if (calls.isLive(e.channel.id)) calls.callLeft(e.channel.id, causes.get(e.channel.id));
    // forgotten here as well: a seat leg that left the app sends no ChannelDestroyed
    causes.delete(e.channel.id);
  });

  ari.on('ChannelDestroyed', (e) => {
    calls.channelGone(e.channel.id);
    listenIn.channelGone(e.channel.id);
    seatLine?.left(e.channel.id);
    // a seat leg that never answered never entered Stasis: this is its only end
    if (calls.isSeatLeg(e.channel.id)) calls.seatLegGone(e.channel.id, e.cause_txt || String(e.cause));
    // normally StasisEnd came first; this covers a missed one
    if (calls.isLive(e.channel.id)) calls.callLeft(e.channel.id, e.cause_txt || String(e.cause));
    causes.delete(e.channel.id);
  });
}
