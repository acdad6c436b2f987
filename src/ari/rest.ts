import { Pool, type Dispatcher } from 'undici';
import type { SocketResponse } from './events.js';
import type { AsteriskInfo, Bridge, Channel, LiveRecording, Playback } from './types.js';

/** Asterisk's default HTTP session_limit is 100; stay well under it. */
const ARI_CONNECTIONS = 32;

export interface AriRestOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  timeoutMs?: number;
  /** HTTP connections to Asterisk at most (its http.conf session_limit must be higher) */
  maxConnections?: number;
  /** called after every request, for latency metrics */
  onRequest?: (method: string, route: string, status: number, ms: number, over: 'socket' | 'http') => void;
  /** REST over websockets (src/ari/socket-rest.ts): null when no lane is open, then HTTP carries it */
  socket?: { send(method: string, uri: string, body: string | undefined, timeoutMs: number): Promise<SocketResponse> | null };
}

export class AriError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`ARI ${method} ${path} -> ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'AriError';
  }
}

/** Statuses that mean "already gone / not in Stasis": fine for cleanup calls. */
export const GONE_STATUSES = [404, 409, 412, 422];

type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * The REST half of ARI: one method per call the hotline makes. Ids of channels,
 * bridges, playbacks and recordings are chosen by the caller, so intent can be
 * recorded before the request and events matched whatever order they arrive in.
 */
export class AriRest {
  private readonly base: string;
  private readonly basePath: string;
  private readonly auth: string;
  private readonly pool: Pool;
  private readonly timeout: number;

  constructor(private readonly opts: AriRestOptions) {
    this.base = `${opts.url}/ari`;
    // the path of /ari on the server (ARI_URL may carry a prefix), for the HTTP request line
    this.basePath = new URL(this.base).pathname;
    this.auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
    const timeout = (this.timeout = opts.timeoutMs ?? 5000);
    // no answer within the timeout fails the request (UND_ERR_HEADERS_TIMEOUT), as a dead socket would
    this.pool = new Pool(new URL(opts.url).origin, { connections: opts.maxConnections ?? ARI_CONNECTIONS, headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 30_000 });
  }

  get app(): string {
    return this.opts.app;
  }

  async request<T = unknown>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    let search = '';
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v === undefined) continue;
        if (Array.isArray(v)) for (const item of v) params.append(k, item);
        else params.set(k, String(v));
      }
      const q = params.toString();
      if (q) search = `?${q}`;
    }
    const started = performance.now();
    let status = 0;
    let over: 'socket' | 'http' = 'http';
    try {
      const json = body !== undefined ? JSON.stringify(body) : undefined;
      const overSocket = this.opts.socket?.send(method, path.slice(1) + search, json, this.timeout);
      if (overSocket) over = 'socket';
      const res = await (overSocket ?? this.http(method, path + search, json));
      status = res.status;
      if (status < 200 || status >= 300) {
        let detail = res.text;
        try {
          detail = (JSON.parse(res.text) as { message?: string }).message ?? res.text;
        } catch {
          /* not JSON */
        }
        throw new AriError(status, method, path, detail);
      }
      return (res.text ? JSON.parse(res.text) : undefined) as T;
    } finally {
      this.opts.onRequest?.(method, routeOf(path), status, performance.now() - started, over);
    }
  }

  /**
   * One HTTP exchange over the shared keep-alive pool (undici's Pool: about half the CPU
   * a request of node:http's client, measured against this Asterisk), when no websocket
   * lane is idle (socket-rest.ts). Asterisk serves each HTTP connection with a thread and
   * refuses more than its session_limit, so a burst of calls queues here for a pooled
   * connection rather than opening new ones. `target`: the path below /ari with its query.
   */
  private async http(method: string, target: string, body?: string): Promise<SocketResponse> {
    const res = await this.pool.request({
      method: method as Dispatcher.HttpMethod,
      path: this.basePath + target,
      headers: body !== undefined ? { authorization: this.auth, 'content-type': 'application/json' } : { authorization: this.auth },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }

  /** Closes the pooled connections (on shutdown). */
  close(): void {
    void this.pool.close().catch(() => undefined);
  }

  /** Like request, but a 404/409/412/422 (already gone) is not an error. */
  async cleanup(method: string, path: string, query?: Query): Promise<void> {
    try {
      await this.request(method, path, query);
    } catch (err) {
      if (err instanceof AriError && GONE_STATUSES.includes(err.status)) return;
      throw err;
    }
  }

  // ---- asterisk / application ----
  info(): Promise<AsteriskInfo> {
    return this.request('GET', '/asterisk/info');
  }
  setEventFilter(allowed: readonly string[]): Promise<unknown> {
    return this.request('PUT', `/applications/${enc(this.opts.app)}/eventFilter`, undefined, {
      allowed: allowed.map((type) => ({ type })),
      disallowed: [],
    });
  }

  // ---- channels ----
  listChannels(): Promise<Channel[]> {
    return this.request('GET', '/channels');
  }
  getChannel(id: string): Promise<Channel> {
    return this.request('GET', `/channels/${enc(id)}`);
  }
  answer(id: string): Promise<void> {
    return this.request('POST', `/channels/${enc(id)}/answer`);
  }
  hangup(id: string, reason = 'normal'): Promise<void> {
    return this.cleanup('DELETE', `/channels/${enc(id)}`, { reason });
  }
  /** Out of the app into the dialplan at context,extension,priority (a Stasis() there brings it back). */
  continueInDialplan(id: string, context: string, extension = 's', priority = 1): Promise<void> {
    return this.request('POST', `/channels/${enc(id)}/continue`, { context, extension, priority });
  }
  setVariable(id: string, variable: string, value: string): Promise<void> {
    return this.request('POST', `/channels/${enc(id)}/variable`, { variable, value });
  }
  async getVariable(id: string, variable: string): Promise<string | null> {
    try {
      const r = await this.request<{ value: string }>('GET', `/channels/${enc(id)}/variable`, { variable });
      return r.value;
    } catch (err) {
      if (err instanceof AriError && err.status === 404) return null;
      throw err;
    }
  }
  /** Plays one or more media in order; the playback id is ours. */
  play(channelId: string, playbackId: string, media: string | string[], lang = 'zh'): Promise<Playback> {
    return this.request('POST', `/channels/${enc(channelId)}/play/${enc(playbackId)}`, {
      media: Array.isArray(media) ? media : [media],
      lang,
    });
  }
  stopPlayback(playbackId: string): Promise<void> {
    return this.cleanup('DELETE', `/playbacks/${enc(playbackId)}`);
  }
  /** Rings an endpoint; StasisStart for it arrives only when it answers. */
  originate(params: {
    endpoint: string;
    channelId: string;
    appArgs: string;
    timeout: number;
    callerId?: string;
    originator?: string;
    variables?: Record<string, string>;
  }): Promise<Channel> {
    return this.request(
      'POST',
      '/channels',
      {
        endpoint: params.endpoint,
        app: this.opts.app,
        appArgs: params.appArgs,
        channelId: params.channelId,
        timeout: params.timeout,
        callerId: params.callerId,
        originator: params.originator,
      },
      params.variables ? { variables: params.variables } : undefined,
    );
  }
  recordChannel(channelId: string, name: string, opts: { maxSilenceSeconds?: number; maxDurationSeconds?: number; terminateOn?: string; beep?: boolean } = {}): Promise<LiveRecording> {
    return this.request('POST', `/channels/${enc(channelId)}/record`, {
      name,
      format: 'wav',
      ifExists: 'overwrite',
      maxSilenceSeconds: opts.maxSilenceSeconds,
      maxDurationSeconds: opts.maxDurationSeconds,
      terminateOn: opts.terminateOn ?? 'none',
      beep: opts.beep ?? false,
    });
  }
  snoop(channelId: string, snoopId: string, spy: 'in' | 'out' | 'both', appArgs: string): Promise<Channel> {
    return this.request('POST', `/channels/${enc(channelId)}/snoop/${enc(snoopId)}`, { spy, whisper: 'none', app: this.opts.app, appArgs });
  }

  // ---- bridges ----
  createBridge(id: string, type: 'mixing' | 'holding', name?: string): Promise<Bridge> {
    return this.request('POST', `/bridges/${enc(id)}`, { type, name });
  }
  listBridges(): Promise<Bridge[]> {
    return this.request('GET', '/bridges');
  }
  getBridge(id: string): Promise<Bridge> {
    return this.request('GET', `/bridges/${enc(id)}`);
  }
  destroyBridge(id: string): Promise<void> {
    return this.cleanup('DELETE', `/bridges/${enc(id)}`);
  }
  addToBridge(bridgeId: string, channelId: string | string[], role?: string): Promise<void> {
    return this.request('POST', `/bridges/${enc(bridgeId)}/addChannel`, {
      channel: Array.isArray(channelId) ? channelId.join(',') : channelId,
      role,
    });
  }
  removeFromBridge(bridgeId: string, channelId: string): Promise<void> {
    return this.cleanup('POST', `/bridges/${enc(bridgeId)}/removeChannel`, { channel: channelId });
  }
  startBridgeMoh(bridgeId: string, mohClass?: string): Promise<void> {
    return this.request('POST', `/bridges/${enc(bridgeId)}/moh`, { mohClass });
  }
  /** A recording still in progress, or null once it finished (404). */
  async getLiveRecording(name: string): Promise<LiveRecording | null> {
    try {
      return await this.request<LiveRecording>('GET', `/recordings/live/${enc(name)}`);
    } catch (err) {
      if (err instanceof AriError && err.status === 404) return null;
      throw err;
    }
  }
  async storedRecording(name: string): Promise<Response> {
    return fetch(`${this.base}/recordings/stored/${enc(name)}/file`, { headers: { authorization: this.auth } });
  }
  /** Deletes a stored recording; false when Asterisk has no recording of that name (404). */
  async deleteStoredRecording(name: string): Promise<boolean> {
    try {
      await this.request('DELETE', `/recordings/stored/${enc(name)}`);
      return true;
    } catch (err) {
      if (err instanceof AriError && err.status === 404) return false;
      throw err;
    }
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** /channels/abc/play/xyz -> /channels/:id/play/:id, so metrics don't explode in labels. */
function routeOf(path: string): string {
  const parts = path.split('/');
  return parts.map((p, i) => (i % 2 === 0 && i > 0 ? ':id' : p)).join('/');
}
