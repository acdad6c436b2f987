import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { AriEvent, AriEventType } from './types.js';

const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

export interface AriEventsOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  /** first reconnect delay; doubles up to maxBackoffMs, with jitter */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** a connection that answers no ping within this is considered dead */
  pingIntervalMs?: number;
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; debug?(o: object, m?: string): void };
}

export interface AriEventsEvents {
  /** the websocket is open and the application is registered; `reconnect` is false the first time */
  connected: [{ reconnect: boolean }];
  disconnected: [{ reason: string }];
  event: [AriEvent];
}

/** A REST request sent over the websocket (Asterisk 20.14, 21.9, 22.4 and later). */
export interface SocketRequest {
  method: string;
  /** below /ari/, with its query string: `channels/abc/play/p1?media=sound%3Ax` */
  uri: string;
  body?: string;
}

/** Asterisk's answer to a SocketRequest, as an HTTP response would carry it. */
export interface SocketResponse {
  status: number;
  text: string;
}

interface Pending {
  resolve(r: SocketResponse): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The websocket half of ARI. Reconnects forever with capped exponential backoff and
 * jitter: a hotline must come back by itself whenever Asterisk does.
 */
export class AriEvents extends EventEmitter<AriEventsEvents> {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private everConnected = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private alive = false;
  private replacedUntil = 0;
  private readonly wanted: Set<string> | null;
  private readonly pending = new Map<string, Pending>();
  /** requests given up on (timed out) that Asterisk may still be working through */
  private readonly late = new Set<string>();
  private requestCount = 0;

  constructor(
    private readonly opts: AriEventsOptions,
    handled?: readonly AriEventType[],
  ) {
    super();
    this.wanted = handled ? new Set(handled) : null;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** REST requests sent over this connection and not answered yet (given up on or not). */
  get inFlight(): number {
    return this.pending.size + this.late.size;
  }

  /**
   * A REST request over this websocket: one frame each way, no HTTP to build or parse
   * on either side. Asterisk handles one connection's requests one at a time, in order
   * (src/ari/socket-rest.ts sends one at a time on each of several). Fails, as a dead HTTP socket
   * would, when the connection closes first or Asterisk does not answer in time.
   */
  request(req: SocketRequest, timeoutMs: number): Promise<SocketResponse> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('ARI websocket not connected'));
    const id = `r${++this.requestCount}`;
    const message: Record<string, string> = { type: 'RESTRequest', request_id: id, method: req.method, uri: req.uri };
    if (req.body !== undefined) {
      message.content_type = 'application/json';
      message.message_body = req.body;
    }
    return new Promise<SocketResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // Asterisk answers in order: until this one's answer comes, nothing sent behind it would be answered either
        this.late.add(id);
        // still no answer after as long again: the connection is taken as dead and made anew
        setTimeout(() => {
          if (this.late.has(id) && this.ws === ws) ws.terminate();
        }, timeoutMs).unref?.();
        reject(new Error(`ARI ${req.method} ${req.uri}: no answer over the websocket within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify(message), (err) => {
        if (err) this.settle(id, err);
      });
    });
  }

  private settle(id: string, outcome: SocketResponse | Error): void {
    this.late.delete(id);
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  private failPending(reason: string): void {
    this.late.clear();
    for (const id of [...this.pending.keys()]) this.settle(id, new Error(`ARI websocket ${reason} before the answer`));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    this.failPending('stopped');
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
  }

  private connect(): void {
    const u = new URL(this.opts.url.replace(/^http/, 'ws') + '/ari/events');
    u.searchParams.set('app', this.opts.app);
    u.searchParams.set('api_key', `${this.opts.user}:${this.opts.password}`);
    u.searchParams.set('subscribeAll', 'false');
    const ws = new WebSocket(u, {
      handshakeTimeout: 5000,
      // Asterisk on the PBX is trusted and offers no compression: skip the
      // per-frame UTF-8 check, the deflate offer, and masking (a zero mask is
      // valid; masking only guards browsers' proxies, and costs a pass per frame)
      perMessageDeflate: false,
      skipUTF8Validation: true,
      generateMask: zeroMask,
    });
    this.ws = ws;
    let opened = false;

    ws.on('open', () => {
      opened = true;
      this.alive = true;
      const reconnect = this.everConnected;
      this.everConnected = true;
      this.attempt = 0;
      this.pingTimer = setInterval(() => this.checkAlive(ws), this.opts.pingIntervalMs ?? 5000);
      this.opts.log?.info({ app: this.opts.app, reconnect }, 'ARI connected');
      this.emit('connected', { reconnect });
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('message', (data) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString()) as AriEvent;
      } catch {
        return;
      }
      if ((event.type as string) === 'RESTResponse') {
        const r = event as unknown as { request_id?: string; status_code: number; message_body?: string };
        if (r.request_id) this.settle(r.request_id, { status: r.status_code, text: r.message_body ?? '' });
        return;
      }
      if (event.type === 'ApplicationReplaced') {
        // another server took the app name: back off hard so two servers don't flap
        this.replacedUntil = Date.now() + 30_000;
        this.opts.log?.warn({ app: this.opts.app }, 'ARI application replaced by another connection');
      }
      if (this.wanted && !this.wanted.has(event.type)) return;
      this.emit('event', event);
    });
    ws.on('error', (err) => {
      this.opts.log?.debug?.({ err: err.message }, 'ARI websocket error');
    });
    ws.on('close', (code, reason) => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.ws === ws) this.ws = null;
      this.failPending('closed');
      if (opened) {
        this.opts.log?.warn({ code, reason: reason.toString() }, 'ARI disconnected');
        this.emit('disconnected', { reason: `closed ${code}` });
      }
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private checkAlive(ws: WebSocket): void {
    if (!this.alive) {
      ws.terminate();
      return;
    }
    this.alive = false;
    ws.ping();
  }

  private scheduleReconnect(): void {
    const initial = this.opts.initialBackoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 10_000;
    const exp = Math.min(max, initial * 2 ** Math.min(this.attempt, 16));
    // full jitter in the upper half: spreads reconnects without ever waiting 0
    let delay = exp / 2 + Math.random() * (exp / 2);
    delay = Math.max(delay, this.replacedUntil - Date.now());
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }
}
