import { AriEvents, type AriEventsOptions, type SocketResponse } from './events.js';

export interface SocketRestOptions extends Omit<AriEventsOptions, 'app'> {
  app: string;
  /** websockets to send requests on, one request at a time each */
  lanes: number;
}

/**
 * ARI's REST requests over websockets of their own instead of HTTP (Asterisk 20.14,
 * 21.9, 22.4 and later). A request is then one small frame each way: no request line
 * and headers to build, no response to parse, no credentials checked per request. On
 * the call path HTTP was a fifth of the server's CPU (docs/architecture.md).
 *
 * A lane carries one request at a time, as an HTTP/1.1 connection does. Asterisk works
 * through a websocket's requests one after another, and one that waits on a channel
 * would hold up every request behind it: an earlier try of REST over the events
 * websocket, with all requests on it, stalled for 5 s that way. So a request goes to an
 * idle lane, and when every lane is busy (or none is open) send() returns null and HTTP
 * carries it, as before. Each lane registers an application of its own
 * (`<app>-rest-<n>`) that no channel ever enters: the calls' events stay on the main
 * connection. A lane is used only once Asterisk has answered a ping on it.
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

  /** Sends on an idle lane; null when none is idle (the caller uses HTTP). */
  send(method: string, uri: string, body: string | undefined, timeoutMs: number): Promise<SocketResponse> | null {
    for (const lane of this.usable) {
      if (lane.inFlight === 0 && lane.connected) return lane.request({ method, uri, body }, timeoutMs);
    }
    return null;
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
