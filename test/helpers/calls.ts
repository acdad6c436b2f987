import { TALK_BRIDGE_PREFIX } from '../../src/calls/names.js';
import { waitFor, type Hotline } from './telephony.js';

/** The default queues with short ring/wrap-up timers (QUEUES_CONFIG for startHotline). */
export const fastQueues = { QUEUES_CONFIG: new URL('../fixtures/queues-fast.json', import.meta.url).pathname };

/** Maximum waits of 3 s and seats going not-ready after 2 misses. */
export const shortWaitQueues = { QUEUES_CONFIG: new URL('../fixtures/queues-short-wait.json', import.meta.url).pathname };

let n = 0;
/** A fresh caller number per call: tickets are found by it, and CDRs outlive test runs. */
export const citizen = () => `138${String(Date.now() % 1_000_000).padStart(6, '0')}${String(n++ % 100).padStart(2, '0')}`;

/** The one ticket of a caller, once `done` holds (by default: its call has ended). */
export async function ticketOf(h: Hotline, caller: string, done: (t: any) => boolean = (t) => !!t.call?.endedAt): Promise<any> {
  return waitFor(
    `ticket of ${caller}`,
    async () => {
      const list = (await h.app.inject({ url: `/api/tickets?callerNumber=${caller}`, headers: h.supervisor })).json();
      if (list.total !== 1) return null;
      const ticket = (await h.app.inject({ url: `/api/tickets/${list.items[0].id}`, headers: h.supervisor })).json();
      return done(ticket) ? ticket : null;
    },
    30_000,
  );
}

export async function setSeat(h: Hotline, id: string, state: 'ready' | 'not_ready' | 'logged_out'): Promise<void> {
  const r = await h.app.inject({ method: 'POST', url: `/api/seats/${id}/state`, headers: h.supervisor, payload: { state } });
  if (r.statusCode !== 200) throw new Error(`seat ${id} -> ${state}: ${r.body}`);
}

/** The talk bridge (calls/talk-bridges.ts) Asterisk has the caller of a live call in, or null. */
export async function talkBridgeOf(h: Hotline, callId: string): Promise<string | null> {
  const bridges = await h.app.services.ari!.rest.listBridges();
  return bridges.find((b) => b.id.startsWith(TALK_BRIDGE_PREFIX) && b.channels.includes(callId))?.id ?? null;
}
