import { CALL_STATES } from './call-state.js';
import type { CallCore } from './core.js';
import { dispatch } from './offering.js';
import type { CallRow } from './repository.js';
import { screeningEnded } from './screening.js';
import { seatDone, seatFree } from './seat-policy.js';

/** how a call ended, in the history's words (the code stays in the event's data) */
const OUTCOME_TEXT: Record<string, string> = { answered: '已接听', abandoned: '来电人挂断（未接通）', voicemail: '已留言', callback: '来电人选择回电', interrupted: '通话中断（话务系统重启）' };

/**
 * The caller left the app (hung up, or the channel is gone). Idempotent.
 * `cut`: Asterisk lost the call (it restarted), so it ends `interrupted` whatever stage it reached.
 */
export function callLeft(core: CallCore, channelId: string, cause?: string, cut = false): void {
  if (core.stopped) return;
  const { repo, now } = core.deps;
  const call = core.live.get(channelId);
  const row = repo.get(channelId);
  if (row && row.endedAt === null) {
    const outcome = cut ? 'interrupted' : row.seatAnsweredAt ? 'answered' : (call?.outcome ?? (row.voicemailName ? 'voicemail' : 'abandoned'));
    finish(core, row, now(), cause ?? null, outcome);
  }
  if (call) {
    const leg = call.leg;
    const talking = call.state === 'connected';
    if (leg && call.state === 'screening') screeningEnded(core, leg.channelId, 'abandoned', null);
    void core.move(call, cut ? 'cut' : 'hung_up');
    if (leg) {
      // the caller hung up while the seat rang or talked
      core.hangupQuietly(leg.channelId);
      // the talk bridge is idle again once the leg's StasisEnd says it is out (talk-bridges.ts)
      if (talking) seatDone(core, leg.seatId);
      else seatFree(core, leg.seatId);
    }
  }
  dispatch(core);
}

/** A call we hold no live state for (gone while the server was away) ends on its row; still one notification. */
export function endUnseen(core: CallCore, row: CallRow, cause: string, outcome: string, cut: boolean): void {
  finish(core, row, core.deps.now(), cause, outcome);
  core.deps.repo.update(row.id, { state: 'ended', offeredSeatId: null, seatLegId: null });
  const from = CALL_STATES.find((s) => s === row.state) ?? null;
  core.deps.notifier.changed({ callId: row.id, ticketId: row.ticketId, from, to: 'ended', event: cut ? 'cut' : 'hung_up', queue: row.queue, seatId: null, fromSeatId: row.offeredSeatId ?? row.seatId });
}

/** The call row's end and its KPIs; the ticket learns how the call ended. */
export function finish(core: CallCore, row: CallRow, endedAt: number, cause: string | null, outcome: string): void {
  // to the seat's leaving when it left first (the caller then rated the call), else to the end
  const talkSeconds = row.seatAnsweredAt ? Math.round(((row.talkEndedAt ?? endedAt) - row.seatAnsweredAt) / 1000) : null;
  const waitSeconds = row.enqueuedAt ? Math.round(((row.seatAnsweredAt ?? endedAt) - row.enqueuedAt) / 1000) : null;
  if (!core.deps.repo.endOnce(row.id, { endedAt, outcome, hangupCause: cause, talkSeconds, waitSeconds })) return;
  // nobody spoke to the caller: someone must call back
  const needsCallback = outcome !== 'answered';
  core.deps.tickets.update(row.ticketId, needsCallback ? { needsCallback } : {}, { actor: core.actor, action: 'call_ended', reason: OUTCOME_TEXT[outcome] ?? outcome, data: { callId: row.id, cause, outcome } });
}
