import type { Services } from '../services.js';

export type { LiveCallView } from '../calls/query.js';

/** The live calls, oldest first, for /ws/supervisor. Empty without telephony. */
export const liveCalls = (s: Services) => s.liveCalls.liveCalls();

/**
 * Sends `{ type: 'calls', at, calls }` through `send` when calls change, at most once
 * per `throttleMs`, and only while someone listens. Returns a stop function.
 */
export function liveCallsFeed(s: Services, send: (msg: object) => void, listening: () => boolean, throttleMs: number): () => void {
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    if (listening()) send({ type: 'calls', at: new Date(s.now()).toISOString(), calls: liveCalls(s) });
  };
  const changed = () => {
    if (!listening()) return;
    timer ??= setTimeout(flush, throttleMs);
  };
  // one call.changed per transition of any call (calls/notifier.ts)
  s.bus.on('call.changed', changed);
  s.bus.on('queue.changed', changed);
  return () => {
    s.bus.off('call.changed', changed);
    s.bus.off('queue.changed', changed);
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
