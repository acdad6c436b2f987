import type { IvrConfig, QueueTarget } from './callflow-config.js';

/** Where a caller is in the IVR. */
export interface IvrState {
  menu: string;
  tries: number;
  /** e.g. "main:2>community_life:1": what the caller pressed, for the ticket */
  path: string;
}

export type IvrStep =
  | { do: 'menu'; menu: string; before?: string }
  | { do: 'queue'; target: QueueTarget }
  | { do: 'repeat' };

export interface IvrMove {
  state: IvrState;
  step: IvrStep;
}

export function startIvr(ivr: IvrConfig): IvrState {
  return { menu: ivr.start, tries: 0, path: '' };
}

/** What a digit does in the current menu. Pure: returns the next IVR state and the step. */
export function pressDigit(ivr: IvrConfig, state: IvrState, digit: string): IvrMove {
  if (digit === '*') return { state, step: { do: 'repeat' } };
  const target = ivr.menus[state.menu].options[digit];
  const path = `${state.path ? `${state.path}>` : ''}${state.menu}:${digit}`;
  if (target === undefined) return failedTry(ivr, { ...state, path }, 'ivr/invalid');
  if (typeof target === 'string') return { state: { menu: target, tries: 0, path }, step: { do: 'menu', menu: target } };
  return { state: { ...state, tries: 0, path }, step: { do: 'queue', target } };
}

/** No digit within the timeout. */
export function noInput(ivr: IvrConfig, state: IvrState): IvrMove {
  return failedTry(ivr, { ...state, path: `${state.path ? `${state.path}>` : ''}${state.menu}:-` }, 'ivr/no-input');
}

// after maxTries wrong or missing inputs the caller goes to a person, never in circles
function failedTry(ivr: IvrConfig, state: IvrState, prompt: string): IvrMove {
  const tries = state.tries + 1;
  if (tries >= ivr.maxTries) return { state: { ...state, tries }, step: { do: 'queue', target: ivr.onFailure } };
  return { state: { ...state, tries }, step: { do: 'menu', menu: state.menu, before: prompt } };
}
