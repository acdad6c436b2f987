import type { IvrConfig, QueueTarget } from './callflow-config.js';

/** Where a caller is in the IVR. */
export interface IvrState {
  menu: string;
  tries: number;
  /** e.g. "main:2>community_life:1" — what the caller pressed, for the ticket */
  path: string;
}

export type IvrStep =
  | { do: 'menu'; menu: string; before?: string }
  | { do: 'queue'; target: QueueTarget }
  | { do: 'repeat' };

export function startIvr(ivr: IvrConfig): IvrState {
  return { menu: ivr.start, tries: 0, path: '' };
}

/** What a digit does in the current menu. Pure: the call service carries it out. */
export function pressDigit(ivr: IvrConfig, state: IvrState, digit: string): IvrStep {
  if (digit === '*') return { do: 'repeat' };
  const target = ivr.menus[state.menu].options[digit];
  state.path += `${state.path ? '>' : ''}${state.menu}:${digit}`;
  if (target === undefined) return failedTry(ivr, state, 'ivr/invalid');
  state.tries = 0;
  if (typeof target === 'string') {
    state.menu = target;
    return { do: 'menu', menu: target };
  }
  return { do: 'queue', target };
}

/** No digit within the timeout. */
export function noInput(ivr: IvrConfig, state: IvrState): IvrStep {
  state.path += `${state.path ? '>' : ''}${state.menu}:-`;
  return failedTry(ivr, state, 'ivr/no-input');
}

// after maxTries wrong or missing inputs the caller goes to a person, never in circles
function failedTry(ivr: IvrConfig, state: IvrState, prompt: string): IvrStep {
  state.tries++;
  if (state.tries >= ivr.maxTries) return { do: 'queue', target: ivr.onFailure };
  return { do: 'menu', menu: state.menu, before: prompt };
}
