import type { AriRest } from './rest.js';
import type { AriEventOf, AriEventType } from './types.js';

/** The REST calls the call path makes: AriRest in production, the in-memory Asterisk in unit tests. */
export type AriPort = Pick<
  AriRest,
  | 'app'
  | 'info'
  | 'listChannels'
  | 'answer'
  | 'hangup'
  | 'setVariable'
  | 'continueInDialplan'
  | 'getVariable'
  | 'play'
  | 'stopPlayback'
  | 'originate'
  | 'recordChannel'
  | 'getLiveRecording'
  | 'snoop'
  | 'createBridge'
  | 'getBridge'
  | 'listBridges'
  | 'destroyBridge'
  | 'addToBridge'
  | 'removeFromBridge'
  | 'startBridgeMoh'
>;

/** Where ARI events come from: AriClient, or the in-memory Asterisk. */
export interface AriEventSource {
  on<T extends AriEventType>(type: T, handler: (event: AriEventOf<T>) => void): unknown;
}
