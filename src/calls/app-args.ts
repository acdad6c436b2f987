import type { Channel } from '../ari/index.js';

/**
 * The one codec for Stasis application arguments. Citizens' channels enter from the
 * dialplan with Stasis(app,inbound,source); seat legs we originate enter (on answer)
 * with seat,callerChannelId,seatId[,transfer] (and again with ,recorded after the
 * dialplan's recording step); listen-in legs with snoop,listenId
 * and listen,listenId; calls to the seat-state service number with seatline.
 */
export type AppArgs =
  | { kind: 'inbound'; source: 'phone' | '12345' }
  /** recorded: back from the dialplan's recording step (hotline-seat-answered), not its first entry */
  | { kind: 'seat'; callId: string; seatId: string; transfer: boolean; recorded: boolean }
  | { kind: 'snoop'; listenId: string }
  | { kind: 'listen'; listenId: string }
  | { kind: 'seatline' }
  | { kind: 'unknown' };

export function encodeArgs(a: Exclude<AppArgs, { kind: 'unknown' }>): string {
  switch (a.kind) {
    case 'inbound':
      return `inbound,${a.source}`;
    case 'seat':
      return `seat,${a.callId},${a.seatId}${a.transfer ? ',transfer' : ''}${a.recorded ? ',recorded' : ''}`;
    case 'snoop':
    case 'listen':
      return `${a.kind},${a.listenId}`;
    case 'seatline':
      return 'seatline';
  }
}

export function decodeArgs(args: readonly string[]): AppArgs {
  const [kind, a, b, ...flags] = args;
  if (kind === 'inbound') return { kind, source: a === '12345' ? '12345' : 'phone' };
  if (kind === 'seat' && a && b) return { kind, callId: a, seatId: b, transfer: flags.includes('transfer'), recorded: flags.includes('recorded') };
  if ((kind === 'snoop' || kind === 'listen') && a) return { kind, listenId: a };
  if (kind === 'seatline') return { kind };
  return { kind: 'unknown' };
}

/** A channel the dialplan parked in our app as a citizen's call (seen in GET /channels). */
export function inboundOf(channel: Channel, app: string): Extract<AppArgs, { kind: 'inbound' }> | null {
  const d = channel.dialplan;
  if (d?.app_name !== 'Stasis') return null;
  const [name, ...rest] = (d.app_data ?? '').split(',');
  if (name !== app) return null;
  const args = decodeArgs(rest);
  return args.kind === 'inbound' ? args : null;
}
