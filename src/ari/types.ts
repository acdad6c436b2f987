// The parts of Asterisk's ARI model (22.x) the hotline uses. The running Asterisk
// serves the whole model at GET /ari/api-docs/resources.json.

export interface CallerId {
  name: string;
  number: string;
}

export interface Channel {
  id: string;
  name: string;
  state: 'Down' | 'Rsrved' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export interface Bridge {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  name: string;
  channels: string[];
}

export interface Playback {
  id: string;
  media_uri: string;
  target_uri: string;
  language?: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

export interface LiveRecording {
  name: string;
  format: string;
  target_uri: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  duration?: number;
  cause?: string;
}

export interface AsteriskInfo {
  system?: { version: string; entity_id: string };
  build?: { os: string };
  status?: { startup_time: string; last_reload_time: string };
}

interface EventBase {
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

export interface StasisStart extends EventBase { type: 'StasisStart'; channel: Channel; args: string[]; replace_channel?: Channel }
export interface StasisEnd extends EventBase { type: 'StasisEnd'; channel: Channel }
export interface ChannelDtmfReceived extends EventBase { type: 'ChannelDtmfReceived'; channel: Channel; digit: string; duration_ms: number }
export interface ChannelHangupRequest extends EventBase { type: 'ChannelHangupRequest'; channel: Channel; cause?: number; soft?: boolean }
export interface ChannelDestroyed extends EventBase { type: 'ChannelDestroyed'; channel: Channel; cause: number; cause_txt: string }
export interface PlaybackFinished extends EventBase { type: 'PlaybackFinished'; playback: Playback }
export interface RecordingFinished extends EventBase { type: 'RecordingFinished'; recording: LiveRecording }
export interface RecordingFailed extends EventBase { type: 'RecordingFailed'; recording: LiveRecording }
export interface ApplicationReplaced extends EventBase { type: 'ApplicationReplaced' }

export type AriEvent =
  | StasisStart
  | StasisEnd
  | ChannelDtmfReceived
  | ChannelHangupRequest
  | ChannelDestroyed
  | PlaybackFinished
  | RecordingFinished
  | RecordingFailed
  | ApplicationReplaced;

export type AriEventType = AriEvent['type'];
export type AriEventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;

/** Every event type the server has a handler for; the application's filter lets only these through. */
export const HANDLED_EVENTS: readonly AriEventType[] = [
  'StasisStart',
  'StasisEnd',
  'ChannelDtmfReceived',
  'ChannelHangupRequest',
  'ChannelDestroyed',
  'PlaybackFinished',
  'RecordingFinished',
  'RecordingFailed',
  'ApplicationReplaced',
];
