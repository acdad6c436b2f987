import { isOpen } from '../calendar/business-hours.js';
import type { CallCore } from './core.js';
import { noInput, pressDigit, type IvrMove } from './ivr.js';
import { ended, type LiveCall } from './live-call.js';
import { routeToQueue } from './queueing.js';
import { sound } from './say.js';
import { takeVoiceMessage } from './voicemail.js';

/** The hotline answered: the menu, or the message prompt out of hours. */
export async function greet(core: CallCore, call: LiveCall, answered: boolean): Promise<void> {
  const { ari, repo, now } = core.deps;
  try {
    if (!answered) {
      await ari.answer(call.channelId);
      if (ended(call)) return;
      repo.update(call.channelId, { answeredAt: now() });
    }
    if (isOpenNow(core)) await playMenu(core, call, core.deps.callflow.ivr.start);
    else await takeVoiceMessage(core, call);
  } catch (err) {
    core.warnUnlessGone(call, err, 'could not greet the caller');
  }
}

function isOpenNow(core: CallCore): boolean {
  try {
    return isOpen(core.deps.now(), core.deps.businessHours);
  } catch (err) {
    // a missing calendar year must not turn citizens away: answer as open
    core.deps.log.warn({ err: (err as Error).message }, 'business hours unknown; treating the hotline as open');
    return true;
  }
}

/** Plays a menu; no digit within the timeout counts as a failed try. */
export async function playMenu(core: CallCore, call: LiveCall, menu: string, before?: string): Promise<void> {
  const ivr = core.deps.callflow.ivr;
  call.ivr = { ...call.ivr, menu };
  core.prompts.clearTimers(call.channelId);
  await core.prompts.play(call.channelId, [...(before ? [sound(before)] : []), sound(ivr.menus[menu].prompt)], () =>
    core.prompts.timer(call.channelId, ivr.digitTimeoutSeconds * 1000, () => ivrStep(core, call, noInput(ivr, call.ivr))),
  );
}

/** A digit in the IVR stops the prompt (barge-in) and takes the menu's step. */
export async function ivrDigit(core: CallCore, call: LiveCall, digit: string): Promise<void> {
  core.prompts.clearTimers(call.channelId);
  // the prompt is stopped while the step goes on: a next prompt or the holding-bridge join
  // sent meanwhile waits in Asterisk behind the stopping one, whichever request comes first
  const stopped = core.prompts.stop(call.channelId);
  // the step's writes (call row, ticket, history) up to its first wait on Asterisk: one commit
  await Promise.all([stopped, core.deps.repo.oneCommit(() => ivrStep(core, call, pressDigit(core.deps.callflow.ivr, call.ivr, digit)))]);
}

async function ivrStep(core: CallCore, call: LiveCall, move: IvrMove): Promise<void> {
  if (call.state !== 'ivr') return;
  const { step } = move;
  try {
    if (step.do === 'queue') {
      call.ivr = move.state;
      await routeToQueue(core, call, step.target);
      return;
    }
    if (!core.move(call, 'menu_step', {}, (c) => (c.ivr = move.state))) return;
    if (step.do === 'repeat') await playMenu(core, call, call.ivr.menu);
    else await playMenu(core, call, step.menu, step.before);
  } catch (err) {
    core.warnUnlessGone(call, err, 'IVR step failed');
  }
}
