import type { Channel } from '../ari/index.js';
import { inboundOf } from './app-args.js';
import { CALL_STATES, type CallState } from './call-state.js';
import type { CallCore } from './core.js';
import { callLeft, endUnseen } from './ending.js';
import { playMenu } from './ivr-runner.js';
import { startIvr } from './ivr.js';
import type { CallSnapshot, LiveCall } from './live-call.js';
import { STATE_VARIABLE, TALK_BRIDGE_PREFIX } from './names.js';
import { dispatch, seatLegGone } from './offering.js';
import { scheduleWaitSteps } from './queueing.js';
import { whisper } from './screening.js';
import type { CallRow } from './repository.js';
import { askForRating } from './survey.js';
import { takeVoiceMessage, voiceMessageSaved } from './voicemail.js';
import { PRIORITY } from './waiting.js';

/**
 * After (re)connecting: every call of ours that Asterisk still has resumes in the state
 * it was in, read from its channel variable (written before each change) and its call
 * row; calls whose channels are gone are closed; seats left busy with no call are freed.
 * `enter` takes channels we hold no row for (their StasisStart was missed).
 */
export async function resync(core: CallCore, enter: (channel: Channel, source: 'phone' | '12345') => void): Promise<{ adopted: number; interrupted: number }> {
  const { ari, repo, seats, log, now } = core.deps;
  const startedAt = now();
  core.holding.reset();
  core.talk.reset();
  const channels = await ari.listChannels();
  const present = new Set(channels.map((c) => c.id));
  // the talk bridges Asterisk has: kept for reuse, with whoever still talks in them
  for (const b of await ari.listBridges()) if (b.id.startsWith(TALK_BRIDGE_PREFIX)) core.talk.adopt(b.id, b.channels);
  // seat legs we remember but Asterisk doesn't have
  for (const id of [...core.legs.keys()]) if (!present.has(id)) seatLegGone(core, id, 'gone');

  const unknown = channels.flatMap((c) => {
    const args = inboundOf(c, ari.app);
    return args && !core.live.has(c.id) ? [{ channel: c, source: args.source }] : [];
  });
  const found = await Promise.all(unknown.map(async (u) => ({ ...u, row: repo.get(u.channel.id), snap: await readSnapshot(core, u.channel.id) })));
  // the queue forms again in the order callers came, not the order Asterisk lists them
  found.sort((a, b) => (a.snap?.since ?? a.row?.enqueuedAt ?? Infinity) - (b.snap?.since ?? b.row?.enqueuedAt ?? Infinity));
  const holding = found.length ? await core.holding.members() : new Set<string>();
  for (const f of found) {
    if (!f.row) enter(f.channel, f.source);
    // offers and talks are on the call row only (live-call.ts KEPT_ON_ROW): the row is then the newer
    else await resume(core, f.row, (rowIsNewer(f.row) ? null : f.snap) ?? snapshotFromRow(f.row), f.source, present, holding);
  }

  // a call that began before Asterisk's last start was cut by that restart; one that
  // vanished while only we were away most likely ended normally
  const info = await ari.info().catch(() => null);
  const asteriskStartedAt = Date.parse(info?.status?.startup_time ?? '') || 0;
  let interrupted = 0;
  for (const row of repo.openAriCalls(startedAt)) {
    if (present.has(row.id)) continue;
    const cut = asteriskStartedAt > row.startedAt;
    const cause = cut ? 'cut: Asterisk restarted' : 'gone while the server was disconnected';
    if (core.live.has(row.id)) callLeft(core, row.id, cause, cut);
    else endUnseen(core, row, cause, cut || !row.seatAnsweredAt ? 'interrupted' : 'answered', cut);
    interrupted++;
  }
  // a seat shown busy with no call of ours behind it is free again (or not_ready, if asked for)
  const busy = new Set([...core.live.values()].flatMap((c) => (c.leg ? [c.leg.seatId] : [])));
  for (const seat of seats.list()) {
    if ((seat.state === 'ringing' || seat.state === 'on_call') && !busy.has(seat.id)) seats.release(seat.id);
  }
  if (found.length || interrupted) log.info({ adopted: found.length, interrupted }, 'calls resynchronised with Asterisk');
  dispatch(core);
  return { adopted: found.length, interrupted };
}

/** The state Asterisk keeps for a call; null when the channel has none (or it is unreadable). */
async function readSnapshot(core: CallCore, channelId: string): Promise<CallSnapshot | null> {
  const raw = await core.deps.ari.getVariable(channelId, STATE_VARIABLE).catch(() => null);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as CallSnapshot;
    return CALL_STATES.includes(s.state) ? s : null;
  } catch {
    return null;
  }
}

const rowIsNewer = (row: CallRow) => (row.state === 'offering' || row.state === 'ringing' || row.state === 'connected') && !!row.seatLegId;

/** Calls from before state was kept on the channel, offers and talks: what the row says. */
function snapshotFromRow(row: CallRow): CallSnapshot {
  const state: CallState = (CALL_STATES as readonly string[]).includes(row.state ?? '')
    ? (row.state as CallState)
    : row.seatAnsweredAt
      ? 'connected'
      : row.queue
        ? 'queued'
        : row.voicemailName
          ? 'voicemail'
          : 'ivr';
  return {
    state,
    queue: row.queue,
    priority: row.priority,
    since: row.enqueuedAt,
    street: row.street,
    category: row.category,
    subcategory: row.subcategory,
    head: row.headOfQueue,
    seat: row.offeredSeatId ?? row.seatId,
    leg: row.seatLegId,
    voicemail: row.voicemailName,
  };
}

async function resume(core: CallCore, row: CallRow, snap: CallSnapshot, source: 'phone' | '12345', present: Set<string>, holding: Set<string>): Promise<void> {
  const { ari, seats, repo } = core.deps;
  const call: LiveCall = {
    channelId: row.id,
    ticketId: row.ticketId,
    callerNumber: row.callerNumber ?? '',
    source,
    state: 'ivr',
    ivr: startIvr(core.deps.callflow.ivr),
    target: snap.queue ? { queue: snap.queue, category: snap.category ?? 'other', ...(snap.subcategory ? { subcategory: snap.subcategory } : {}) } : null,
    wait: snap.queue ? { queue: snap.queue, street: snap.street, priority: snap.priority ?? PRIORITY.normal, since: snap.since ?? row.startedAt, head: snap.head } : null,
    leg: null,
    missedBy: new Map(),
    outcome: null,
    voicemail: snap.voicemail,
  };
  const restore = (state: CallState) => {
    call.state = state;
    core.adopt(call, 'restored');
  };
  try {
    switch (snap.state) {
      case 'queued':
      case 'callback_offer':
      case 'offering':
      case 'ringing':
      case 'screening': {
        if (!call.wait) break;
        const legThere = !!snap.leg && !!snap.seat && present.has(snap.leg);
        const ringing = (snap.state === 'offering' || snap.state === 'ringing') && legThere;
        if (snap.state === 'screening' && legThere) {
          // the far end is still on the line: it hears the whisper again and may press 1
          call.leg = { channelId: snap.leg!, seatId: snap.seat!, dial: seats.get(snap.seat!)?.dial ?? '', transfer: false };
          restore('screening');
          if (!holding.has(call.channelId)) await core.holding.join(call.channelId);
          scheduleWaitSteps(core, call);
          await whisper(core, call, call.leg);
          return;
        }
        // hung up during the whisper while we were away: a missed screening, the caller waits again
        if (snap.state === 'screening' && snap.leg) repo.screeningEnded(snap.leg, 'missed', null, core.deps.now());
        if (ringing) {
          // the seat still rings: its answer (StasisStart) finds the call as it was
          call.leg = { channelId: snap.leg!, seatId: snap.seat!, dial: seats.get(snap.seat!)?.dial ?? '', transfer: false };
          restore('ringing');
        } else {
          restore(snap.state === 'callback_offer' ? 'callback_offer' : 'queued');
        }
        if (!holding.has(call.channelId)) await core.holding.join(call.channelId);
        scheduleWaitSteps(core, call);
        return;
      }
      case 'connected': {
        // if the seat is still bridged with the caller, they go on talking
        const seatChannel = core.talk.partnerOf(call.channelId);
        const seatId = snap.seat ?? row.seatId;
        if (seatChannel && seatId) {
          call.leg = { channelId: seatChannel, seatId, dial: seats.get(seatId)?.dial ?? '', transfer: false };
          restore('connected');
          if (seats.get(seatId)) seats.set(seatId, 'on_call');
          return;
        }
        restore('survey');
        await askForRating(core, call, true);
        return;
      }
      case 'survey':
        restore('survey');
        await askForRating(core, call, false);
        return;
      case 'voicemail': {
        const name = snap.voicemail ?? row.voicemailName;
        const recording = name ? await ari.getLiveRecording(name).catch(() => null) : null;
        // still recording: its RecordingFinished will come; finished meanwhile: the message is kept
        if (recording) return restore('voicemail');
        if (name && repo.get(row.id)?.voicemailName) {
          restore('voicemail');
          return voiceMessageSaved(core, name);
        }
        // lost during the prompts: they play again
        restore('ivr');
        return await takeVoiceMessage(core, call);
      }
      case 'leaving':
        restore('leaving');
        core.hangupQuietly(call.channelId);
        return;
      default:
        break;
    }
    restore('ivr');
    await playMenu(core, call, core.deps.callflow.ivr.start);
  } catch (err) {
    core.warnUnlessGone(call, err, 'could not resume the call');
  }
}
