/** Priority levels in a queue: emergency first, then 12345 transfers, then the rest. */
export const PRIORITY = { emergency: 3, transfer12345: 2, normal: 1 } as const;

export interface Waiting {
  callId: string;
  queue: string;
  /** for the street queue: whose seats */
  street: string | null;
  priority: number;
  /** when the caller first joined any queue (overflow keeps it) */
  since: number;
  /** arrival order, for FIFO within a level */
  seq: number;
}

/** Everyone waiting, in the order they are to be served. */
export class WaitingList {
  private readonly items = new Map<string, Waiting>();
  private seq = 0;

  add(w: Omit<Waiting, 'seq'>): Waiting {
    const entry = { ...w, seq: this.items.get(w.callId)?.seq ?? ++this.seq };
    this.items.set(w.callId, entry);
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

  /** Highest priority first; within a level, who came first. */
  ordered(): Waiting[] {
    return [...this.items.values()].sort((a, b) => b.priority - a.priority || a.seq - b.seq);
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
