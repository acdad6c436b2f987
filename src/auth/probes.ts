import fp from 'fastify-plugin';
import type { Actor } from '../shared/actor.js';
import { tooMany, WindowLimit } from './limits.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** counts one exact caller-number look-up of the actor; 429 (and an audit row) past the limit */
    callerProbes: { take(actor: Actor): void };
  }
}

const WINDOW_MS = 10 * 60_000;

/**
 * Looking tickets up by an exact caller number tells a masked viewer that the number
 * called (enough tries recover a masked number), so each user gets a budget of look-ups
 * per 10 minutes (RATE_LIMIT_CALLER_PROBES); each look-up is audited by its route.
 * Supervisors, who see every caller in clear, are not limited.
 */
export default fp(
  async (app) => {
    const limit = new WindowLimit(app.services.config.limits.callerProbesPer10Min, WINDOW_MS, app.services.now);
    app.decorate('callerProbes', {
      take(actor: Actor) {
        // supervisors read every caller in clear anyway: a look-up tells them nothing new (still audited)
        if (actor.role === 'supervisor' || actor.role === 'system') return;
        const { ok, retryMs } = limit.take(`${actor.userId ?? actor.name}`);
        if (ok) return;
        app.services.users.audit(actor, 'caller_search_refused', null, 'over the look-up limit');
        throw tooMany(retryMs, '按来电号码查询过于频繁');
      },
    });
  },
  { name: 'caller-probes' },
);
