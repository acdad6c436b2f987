// Names the call path gives Asterisk objects: chosen here, recorded before the request,
// so events can be matched whatever order they arrive in.

export const HOLDING_BRIDGE = 'hotline-holding';
export const connectBridge = (callId: string) => `call-${callId}`;
/** The channel variable that carries a call's state in Asterisk (live-call.ts CallSnapshot). */
export const STATE_VARIABLE = 'HOTLINE_CALL';

const safe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');
export const callRecordingName = (callId: string) => `call-${safe(callId)}`;
export const voicemailName = (callId: string) => `vm-${safe(callId)}`;
export const isVoicemail = (recording: string) => recording.startsWith('vm-');
