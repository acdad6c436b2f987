import type { WaitFacts } from './live-call.js';

/** Priority levels in a queue: emergency first, then 12345 transfers, then the rest. */
export const PRIORITY = { emergency: 3, transfer12345: 2, normal: 1 } as const;

export interface Waiting extends WaitFacts {
  callId: string;
  /** arrival order in this process: breaks ties of equal arrival times only */
  seq: number;
}

/**
 * Everyone waiting, in the order they are to be served. The order is made of persisted
 * facts (head of queue, priority, arrival time), so a restarted server serves callers
 * in the order they came, whatever order Asterisk lists their channels in.
 */
export class WaitingList {
  private readonly items = new Map<string, Waiting>();
  private seq = 0;

  add(callId: string, w: WaitFacts): Waiting {
    const entry = { ...w, callId, seq: this.items.get(callId)?.seq ?? ++this.seq };
    this.items.set(callId, entry);
    return entry;
  }

  remove(callId: string): Waiting | undefined {
    const w = this.items.get(callId);
    this.items.delete(callId);
    return w;
  }

  get(callId: string): Waiting | undefined {
    return this.items.get(callId);
  }

  /** Transfers that missed first; then highest priority; within a level, who came first. */
  ordered(): Waiting[] {
    return [...this.items.values()].sort((a, b) => Number(b.head) - Number(a.head) || b.priority - a.priority || a.since - b.since || a.seq - b.seq);
  }

  /** 1-based position among those who will be served before this caller in the same queue. */
  position(callId: string): number {
    const me = this.items.get(callId);
    if (!me) return 0;
    return this.ordered().filter((w) => w.queue === me.queue && w.street === me.street).findIndex((w) => w.callId === callId) + 1;
  }

  inQueue(queue: string): Waiting[] {
    return this.ordered().filter((w) => w.queue === queue);
  }

  get size(): number {
    return this.items.size;
  }
}
