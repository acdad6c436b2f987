import type { CallCore } from './core.js';
import type { LiveCall } from './live-call.js';
import { voicemailName } from './names.js';
import { sound } from './say.js';

const MESSAGE = { maxDurationSeconds: 120, maxSilenceSeconds: 10, terminateOn: '#', beep: true };

/** After hours: the closed prompt, then the caller's message is recorded. */
export async function takeVoiceMessage(core: CallCore, call: LiveCall): Promise<void> {
  const name = voicemailName(call.channelId);
  const moved = core.move(call, 'after_hours', {}, (c) => (c.voicemail = name));
  if (!moved) return;
  await moved;
  await core.prompts.play(call.channelId, [sound('ivr/closed'), sound('ivr/leave-message')], () => {
    // a caller who hangs up during the prompts left no message: abandoned, not voicemail
    core.deps.repo.update(call.channelId, { voicemailName: name });
    call.outcome = 'voicemail';
    core.deps.ari.recordChannel(call.channelId, name, MESSAGE).catch((err: unknown) => core.warnUnlessGone(call, err, 'could not record the voice message'));
  });
}

/**
 * A voice message was saved (the caller pressed # or fell silent, or hung up), or could
 * not be recorded: either way the caller is called back.
 */
export function voiceMessageSaved(core: CallCore, name: string, failure?: string): void {
  if (core.stopped) return;
  const { repo, tickets, log } = core.deps;
  const row = repo.byVoicemail(name);
  if (!row) return;
  if (failure) {
    log.warn({ name, failure }, 'voice message not recorded');
    repo.update(row.id, { voicemailName: null });
  }
  tickets.update(row.ticketId, { needsCallback: true }, { actor: core.actor, action: failure ? 'voice_message_failed' : 'voice_message', data: { recording: failure ? null : name, failure } });
  const call = core.live.get(row.id);
  if (!call || !core.move(call, 'message_saved')) return;
  core.runDetached(core.prompts.play(call.channelId, [sound('ivr/message-saved')], () => core.hangupQuietly(call.channelId)), 'message saved');
}
