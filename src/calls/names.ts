// Names the call path gives Asterisk objects: chosen here, recorded before the request,
// so events can be matched whatever order they arrive in.

export const HOLDING_BRIDGE = 'hotline-holding';
/**
 * The bridges callers and seats talk in (talk-bridges.ts): `talk-` and a random id, kept
 * and reused between calls. Asterisk refuses an id it still knows (409 while the topic of
 * a destroyed bridge lingers), so a new bridge always gets a new id. Resync knows a talk
 * bridge by this prefix (the bridges of earlier versions, named after the seat's leg, too).
 */
export const TALK_BRIDGE_PREFIX = 'talk-';
/** The channel variable that carries a call's state in Asterisk (live-call.ts CallSnapshot). */
export const STATE_VARIABLE = 'HOTLINE_CALL';
/**
 * A seat leg's recording is made in the dialplan (asterisk-config/extensions.conf): on
 * answer the leg goes to this context, MixMonitor starts on it with the file named by
 * HOTLINE_RECORDING, and Stasis() brings it back with HOTLINE_SEAT_ARGS. Both are set at
 * originate. An audiohook on the leg keeps the caller-seat bridge 2-party; recording the
 * bridge would add a recorder channel and make Asterisk mix every 20 ms.
 */
export const SEAT_ANSWERED_CONTEXT = 'hotline-seat-answered';
export const RECORDING_VARIABLE = 'HOTLINE_RECORDING';
export const SEAT_ARGS_VARIABLE = 'HOTLINE_SEAT_ARGS';

const safe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');
export const callRecordingName = (callId: string) => `call-${safe(callId)}`;
export const voicemailName = (callId: string) => `vm-${safe(callId)}`;
export const isVoicemail = (recording: string) => recording.startsWith('vm-');
