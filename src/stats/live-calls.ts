import type { Services } from '../services.js';
import { iso } from '../shared/time.js';

/** One citizen's call in the app now, as the wallboard lists it (for listen-in). */
export interface LiveCallView {
  callId: string;
  ticketId: number;
  /** ivr | queued | connected | survey | voicemail | leaving */
  phase: string;
  /** the queue the IVR sent the call to (null while still in the IVR) */
  queue: string | null;
  category: string | null;
  /** the seat being rung or talking */
  seatId: string | null;
  /** in clear: only supervisors and admins get this list (DESIGN §6) */
  callerNumber: string | null;
  /** when the caller joined the queue, else when the call started */
  since: string | null;
  /** when a seat picked up */
  connectedAt: string | null;
}

/** The live calls, oldest first, for /ws/supervisor. Empty without telephony. */
export function liveCalls(s: Services): LiveCallView[] {
  const live = s.callService?.live;
  if (!live) return [];
  const out: LiveCallView[] = [];
  for (const c of live.values()) {
    if (c.ended) continue;
    const row = s.calls.get(c.channelId);
    out.push({
      callId: c.channelId,
      ticketId: c.ticketId,
      phase: c.phase,
      queue: c.target?.queue ?? row?.queue ?? null,
      category: c.target?.category ?? row?.category ?? null,
      seatId: c.seatLeg?.seatId ?? row?.seatId ?? null,
      callerNumber: c.callerNumber || row?.callerNumber || null,
      since: iso(row?.enqueuedAt ?? row?.startedAt ?? null),
      connectedAt: iso(row?.seatAnsweredAt ?? null),
    });
  }
  return out.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
}

/**
 * Sends `{ type: 'calls', at, calls }` through `send` when calls change, at most once
 * per `throttleMs`, and only while someone listens. Returns a stop function.
 */
export function liveCallsFeed(s: Services, send: (msg: object) => void, listening: () => boolean, throttleMs: number): () => void {
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    if (listening()) send({ type: 'calls', at: new Date(s.now()).toISOString(), calls: liveCalls(s) });
  };
  const changed = () => {
    if (!listening()) return;
    timer ??= setTimeout(flush, throttleMs);
  };
  // a call's phase moves with either: entered/ringing/connected/ended, and queued (queue.changed)
  s.bus.on('call.changed', changed);
  s.bus.on('queue.changed', changed);
  return () => {
    s.bus.off('call.changed', changed);
    s.bus.off('queue.changed', changed);
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
