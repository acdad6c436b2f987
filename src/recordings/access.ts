import type { CallRow } from '../calls/repository.js';
import type { Actor } from '../shared/actor.js';
import type { Ticket } from '../tickets/services.js';
import { seesCallerInClear } from '../tickets/views.js';

/**
 * Who may hear a ticket's call recording or voice message: whoever may read the caller
 * in clear (the operator or seat who took the call, whoever works the ticket, the
 * operator calling back, supervisors), and the quality role for the calls drawn for
 * inspection. A recording carries the caller's voice and whatever they said: it is
 * caller data at least as much as the number is.
 */
export function mayPlay(actor: Actor, t: Ticket, call: CallRow | undefined, drawnForQuality: boolean): boolean {
  if (actor.role === 'quality') return drawnForQuality;
  return seesCallerInClear(actor, t, call);
}
