import type { CallRow } from '../calls/repository.js';
import type { TicketEvent } from '../tickets/services.js';
import { iso } from '../shared/time.js';

/** A step of a call as the player shows it beside the audio. */
export interface TimelineStep {
  at: string;
  /** entered | ivr_choice | queued | offered | answered | transferred | voice_message | rated | ended */
  step: string;
  label: string;
  /** seconds from the call's start: where the step is on the call (the recording starts at `answered`) */
  offsetSeconds: number;
  detail: Record<string, unknown> | null;
}

const LABEL: Record<string, string> = {
  entered: '呼入',
  ivr_choice: '语音导航选择',
  queued: '进入排队',
  offered: '分配坐席振铃',
  answered: '坐席接听',
  transferred: '转接',
  seat_left: '坐席挂机',
  voice_message: '留言',
  rated: '满意度评价',
  ended: '通话结束',
};

/**
 * The call's steps from its row (entered, queued, offered, answered, ended: the times
 * the call path writes on every transition) and the ticket's call events (IVR choice,
 * transfers, voice message, rating), in time order.
 */
export function callTimeline(call: CallRow | undefined, events: TicketEvent[]): TimelineStep[] {
  if (!call) return [];
  const start = call.startedAt;
  const steps: Array<{ at: number; step: string; detail: Record<string, unknown> | null }> = [];
  const add = (at: number | null | undefined, step: string, detail: Record<string, unknown> | null = null) => {
    if (at != null) steps.push({ at, step, detail });
  };
  add(call.startedAt, 'entered', { dialedNumber: call.dialedNumber });
  const callEvents = events.filter((e) => e.at >= start - 1000);
  for (const e of callEvents) {
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (e.action === 'ivr_choice') add(e.at, 'ivr_choice', { path: data.path ?? call.ivrPath, queue: data.queue ?? null });
    else if (e.action === 'call_transferred') add(e.at, 'transferred', data);
    else if (e.action === 'voice_message') add(e.at, 'voice_message', { recording: data.recording ?? null });
    else if (e.action === 'call_rated') add(e.at, 'rated', { rating: e.reason });
  }
  if (!callEvents.some((e) => e.action === 'ivr_choice') && call.ivrPath) add(call.enqueuedAt ?? call.answeredAt, 'ivr_choice', { path: call.ivrPath, queue: call.queue });
  add(call.enqueuedAt, 'queued', { queue: call.queue });
  add(call.offeredAt, 'offered', { seatId: call.offeredSeatId ?? call.seatId });
  add(call.seatAnsweredAt, 'answered', { seatId: call.seatId, waitSeconds: call.waitSeconds });
  // the seat hung up first: the caller stayed on to rate the call
  add(call.talkEndedAt, 'seat_left', { seatId: call.seatId });
  add(call.endedAt, 'ended', { outcome: call.outcome, talkSeconds: call.talkSeconds });
  const order = Object.keys(LABEL);
  return steps
    .sort((a, b) => a.at - b.at || order.indexOf(a.step) - order.indexOf(b.step))
    .map((s) => ({ at: iso(s.at)!, step: s.step, label: LABEL[s.step] ?? s.step, offsetSeconds: Math.max(0, Math.round((s.at - start) / 100) / 10), detail: s.detail }));
}
