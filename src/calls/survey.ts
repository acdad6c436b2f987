import type { CallCore } from './core.js';
import type { LiveCall } from './live-call.js';
import { sound } from './say.js';

const RATING_TEXT: Record<string, string> = { satisfied: '满意', fair: '基本满意', unsatisfied: '不满意' };

const SURVEY_TIMEOUT_MS = 8_000;
const RATINGS = { '1': 'satisfied', '2': 'fair', '3': 'unsatisfied' } as const;

/** The seat left (state survey): the caller, taken out of the talk bridge (`fromTalk`), is asked to rate the call. */
export async function askForRating(core: CallCore, call: LiveCall, fromTalk: boolean): Promise<void> {
  const id = call.channelId;
  try {
    if (fromTalk) await core.talk.takeOut(id);
    await core.prompts.play(id, [sound('survey/rate')], () =>
      core.prompts.timer(id, core.deps.surveyTimeoutMs ?? SURVEY_TIMEOUT_MS, async () => {
        if (!core.move(call, 'survey_timeout')) return;
        await core.prompts.play(id, [sound('call/goodbye')], () => core.hangupQuietly(id)).catch(() => core.hangupQuietly(id));
      }),
    );
  } catch (err) {
    core.warnUnlessGone(call, err, 'could not ask for a rating');
  }
}

/** A digit during the survey: 1 satisfied, 2 fair, 3 unsatisfied; anything else is ignored. */
export async function rate(core: CallCore, call: LiveCall, digit: string): Promise<void> {
  const rating = RATINGS[digit as keyof typeof RATINGS];
  if (!rating || !core.move(call, 'rated')) return;
  core.prompts.clearTimers(call.channelId);
  await core.prompts.stop(call.channelId);
  core.deps.repo.update(call.channelId, { rating });
  core.deps.tickets.update(
    call.ticketId,
    { satisfaction: rating, ...(rating === 'unsatisfied' ? { flaggedForSupervisor: true } : {}) },
    { actor: core.actor, action: 'call_rated', reason: `电话按键评价：${RATING_TEXT[rating] ?? rating}`, data: { rating } },
  );
  await core.prompts.play(call.channelId, [sound('survey/thanks')], () => core.hangupQuietly(call.channelId)).catch(() => core.hangupQuietly(call.channelId));
}
