import { AriEvents, type AriEventsOptions, type SocketResponse } from './events.js';

export interface SocketRestOptions extends Omit<AriEventsOptions, 'app'> {
  app: string;
  /** websockets to spread requests over; Asterisk answers each one's requests in order */
  lanes: number;
}

/**
 * ARI's REST requests over websockets of their own instead of HTTP (Asterisk 20.14,
 * 21.9, 22.4 and later). A request is then one small frame each way: no request line
 * and headers to build, no response to parse, no credentials checked per request. On
 * the call path that was a fifth of the server's CPU (docs/architecture.md).
 *
 * Asterisk works through one websocket's requests one at a time, and some wait on the
 * channel's own thread (an answer, a playback), so requests go out on several lanes,
 * to the one with the fewest waiting. Each lane registers an application of its own
 * (`<app>-rest-<n>`) that no channel ever enters: the calls' events stay on the main
 * connection. A lane is used only once Asterisk has answered a ping on it; while none
 * is, requests go over HTTP as before (send() returns null).
 */
export class SocketRest {
  private readonly lanes: AriEvents[] = [];
  private readonly usable = new Set<AriEvents>();
  private warned = false;

  constructor(private readonly opts: SocketRestOptions) {
    for (let i = 1; i <= opts.lanes; i++) {
      // no events wanted: a lane's app has no channels, and its replies are not events
      const lane = new AriEvents({ ...opts, app: `${opts.app}-rest-${i}` }, []);
      lane.on('connected', () => void this.prove(lane));
      lane.on('disconnected', () => this.usable.delete(lane));
      this.lanes.push(lane);
    }
  }

  /** Lanes carrying requests now. */
  get open(): number {
    return this.usable.size;
  }

  start(): void {
    for (const lane of this.lanes) lane.start();
  }

  async stop(): Promise<void> {
    this.usable.clear();
    await Promise.all(this.lanes.map((l) => l.stop()));
  }

  /** Sends on the least busy usable lane; null when there is none (the caller uses HTTP). */
  send(method: string, uri: string, body: string | undefined, timeoutMs: number): Promise<SocketResponse> | null {
    let best: AriEvents | null = null;
    for (const lane of this.usable) {
      if (!lane.connected) continue;
      if (!best || lane.inFlight < best.inFlight) best = lane;
    }
    return best ? best.request({ method, uri, body }, timeoutMs) : null;
  }

  private async prove(lane: AriEvents): Promise<void> {
    try {
      const r = await lane.request({ method: 'GET', uri: 'asterisk/ping' }, 3000);
      if (r.status === 200 && lane.connected) this.usable.add(lane);
    } catch (err) {
      // an Asterisk before REST over websocket ignores the request: HTTP it is
      if (!this.warned) this.opts.log?.warn({ err: (err as Error).message }, 'ARI REST over websocket not answered; requests go over HTTP');
      this.warned = true;
    }
  }
}
