import type { CallCore } from './core.js';
import { putThrough } from './connecting.js';
import { ended, type LiveCall, type SeatLeg } from './live-call.js';
import { legMissed } from './offering.js';
import type { ScreeningOutcome } from './repository.js';
import { sound } from './say.js';

// Screening of seats that dial an outside number (FreePBX's "confirm calls", Twilio's
// call screening): when the far end answers it hears a short whisper and must press 1;
// only then is it bridged with the caller, who hears hold music meanwhile (the caller
// stays in the holding bridge; the whisper plays to the seat's leg only). No key, a
// wrong key or a hang-up is a miss like a seat that rang out.

const DEFAULT_TIMEOUT_SECONDS = 6;

/** Subcategories with a whisper prompt (sounds/zh/screen/sub-*.wav): the IVR's. */
const SUMMARY_SUBCATEGORIES = new Set(['social_assistance', 'social_welfare', 'special_care', 'marriage', 'adoption', 'navigation', 'appliance_repair', 'water_electric_repair', 'housekeeping']);
const CATEGORIES = new Set(['consultation', 'community_life', 'complaint', 'other']);

/** Seats flagged for screening, and any outside number an operator puts a call through to. */
export function screens(core: CallCore, leg: SeatLeg): boolean {
  const seat = core.deps.seats.get(leg.seatId);
  return seat ? seat.screening : leg.dial.includes('@street-gw');
}

/**
 * What the far end hears: 962200, what the call is about, press 1. A remote agent who is
 * not on the desk also hears the ticket's summary (subcategory, the ticket number's last
 * four digits) so the after-call work can be found later.
 */
export function whisperMedia(core: CallCore, call: LiveCall, seatId: string): string[] {
  const category = call.target?.category ?? 'other';
  const media = [sound('screen/intro'), sound(`screen/category-${CATEGORIES.has(category) ? category : 'other'}`)];
  const onDesk = core.deps.onDesk?.(seatId) ?? false;
  if (!onDesk) {
    const sub = call.target?.subcategory;
    if (sub && SUMMARY_SUBCATEGORIES.has(sub)) media.push(sound(`screen/sub-${sub}`));
    const number = core.deps.tickets.get(call.ticketId)?.number;
    if (number) media.push(sound('screen/ticket-tail'), `digits:${number.slice(-4)}`);
  }
  media.push(sound('screen/press-1'));
  return media;
}

/** The far end answered a screened leg: the whisper starts; false when the call can't be screened now. */
export function startScreening(core: CallCore, call: LiveCall, leg: SeatLeg): boolean {
  const moved = core.move(call, 'screening_started', { legId: leg.channelId });
  if (!moved) return false;
  core.deps.repo.screeningStarted({ legId: leg.channelId, callId: call.channelId, seatId: leg.seatId, queue: call.wait?.queue ?? call.target?.queue ?? null, startedAt: core.deps.now() });
  core.runDetached(
    moved.then(() => whisper(core, call, leg)),
    'whisper',
  );
  return true;
}

/** Plays the whisper to the seat's leg; the press-1 timer runs from its end. Also after a restart. */
export async function whisper(core: CallCore, call: LiveCall, leg: SeatLeg): Promise<void> {
  if (!stillScreening(call, leg.channelId)) return;
  const seconds = core.deps.callflow.queues.seats.screeningTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const timeout = () => core.prompts.timer(call.channelId, seconds * 1000, () => over(core, call, leg, 'missed', null));
  try {
    await core.prompts.play(leg.channelId, whisperMedia(core, call, leg.seatId), timeout);
  } catch (err) {
    // the leg is gone (its hang-up is a miss, seen by seatLegGone) or can't play: not put through
    core.warnUnlessGone(call, err, 'could not play the whisper');
    if (stillScreening(call, leg.channelId)) await over(core, call, leg, 'missed', null);
  }
}

/** A key from the far end of a screened leg: 1 takes the call, anything else declines it. */
export async function screeningDigit(core: CallCore, legId: string, digit: string): Promise<void> {
  const callId = core.legs.get(legId);
  const call = callId ? core.live.get(callId) : undefined;
  if (!call?.leg || !stillScreening(call, legId)) return;
  const leg = call.leg;
  if (digit !== '1') return over(core, call, leg, 'declined', digit);
  const moved = core.move(call, 'screening_accepted', { legId, digit });
  if (!moved) return;
  screeningEnded(core, legId, 'accepted', digit);
  await core.prompts.stop(legId);
  await putThrough(core, call, legId, leg.seatId, moved, { screened: true });
}

/** The whisper ended without a 1 (declined, or no key in time): the leg is hung up, the next seat rung. */
async function over(core: CallCore, call: LiveCall, leg: SeatLeg, outcome: 'declined' | 'missed', digit: string | null): Promise<void> {
  if (!stillScreening(call, leg.channelId)) return;
  screeningEnded(core, leg.channelId, outcome, digit);
  legMissed(core, call, leg, outcome === 'declined' ? 'screening_declined' : 'screening_missed', outcome === 'declined' ? `screening: pressed ${digit}` : 'screening: no key');
  await core.prompts.stop(leg.channelId);
  // after the move: the leg is no longer this call's, so its hang-up reads as nothing
  core.hangupQuietly(leg.channelId);
}

export function screeningEnded(core: CallCore, legId: string, outcome: ScreeningOutcome, digit: string | null): void {
  core.deps.repo.screeningEnded(legId, outcome, digit, core.deps.now());
}

const stillScreening = (call: LiveCall, legId: string) => !ended(call) && call.state === 'screening' && call.leg?.channelId === legId;
