import { iso } from '../shared/time.js';
import type { CallState } from './call-state.js';
import type { CallCore } from './core.js';
import type { TransferTarget } from './transfer.js';

/** One citizen's call in the app now, as the wallboard lists it (for listen-in). */
export interface LiveCallView {
  callId: string;
  ticketId: number;
  /** the call's state (call-state.ts); `phase` is its old name, kept for the pages */
  state: CallState;
  phase: CallState;
  /** the queue the IVR sent the call to (null while still in the IVR) */
  queue: string | null;
  category: string | null;
  /** the seat being offered or talking */
  seatId: string | null;
  /** in clear: only supervisors and admins get this list (DESIGN §6) */
  callerNumber: string | null;
  /** when the caller joined the queue, else when the call started */
  since: string | null;
  /** when a seat picked up */
  connectedAt: string | null;
}

export interface WaitingView {
  callId: string;
  queue: string;
  street: string | null;
  priority: number;
  /** ms epoch */
  since: number;
}

/** How other features read calls: never the call path's own maps. */
export interface CallQuery {
  liveCalls(): LiveCallView[];
  get(callId: string): LiveCallView | null;
  /** in the order they will be served */
  waitingIn(queue: string): WaitingView[];
  liveCount(): number;
  /** the call this seat is talking on now */
  connectedCallOf(seatId: string): { callId: string; ticketId: number } | null;
}

/** What other features may ask the call path to do. */
export interface CallControl {
  transfer(callId: string, to: TransferTarget): Promise<void>;
}

/** Without telephony: no calls. */
export const NO_CALLS: CallQuery = { liveCalls: () => [], get: () => null, waitingIn: () => [], liveCount: () => 0, connectedCallOf: () => null };

export function callQuery(core: CallCore): CallQuery {
  const view = (callId: string): LiveCallView | null => {
    const c = core.live.get(callId);
    if (!c) return null;
    const row = core.deps.repo.get(callId);
    return {
      callId,
      ticketId: c.ticketId,
      state: c.state,
      phase: c.state,
      queue: c.wait?.queue ?? c.target?.queue ?? row?.queue ?? null,
      category: c.target?.category ?? row?.category ?? null,
      seatId: c.leg?.seatId ?? null,
      callerNumber: c.callerNumber || row?.callerNumber || null,
      since: iso(c.wait?.since ?? row?.enqueuedAt ?? row?.startedAt ?? null),
      connectedAt: c.state === 'connected' ? iso(row?.seatAnsweredAt ?? null) : null,
    };
  };
  return {
    liveCalls: () =>
      [...core.live.keys()]
        .map(view)
        .filter((v): v is LiveCallView => v !== null)
        .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '')),
    get: view,
    waitingIn: (queue) => core.waiting.inQueue(queue).map((w) => ({ callId: w.callId, queue: w.queue, street: w.street, priority: w.priority, since: w.since })),
    liveCount: () => core.live.size,
    connectedCallOf: (seatId) => {
      for (const c of core.live.values()) if (c.state === 'connected' && c.leg?.seatId === seatId) return { callId: c.channelId, ticketId: c.ticketId };
      return null;
    },
  };
}
