import { AriEvents, type AriEventsOptions } from './events.js';
import { AriRest, type AriRestOptions } from './rest.js';
import { SocketRest } from './socket-rest.js';
import { HANDLED_EVENTS, type AriEvent, type AriEventOf, type AriEventType } from './types.js';

export * from './types.js';
export { AriRest, AriError, GONE_STATUSES } from './rest.js';
export type { AriPort, AriEventSource } from './port.js';

export type AriClientOptions = AriRestOptions & AriEventsOptions & {
  /** called for every event that reaches the app (the filter keeps out the rest), for metrics */
  onEvent?: (type: AriEventType) => void;
  /** websockets for REST requests (0: HTTP only); see socket-rest.ts */
  restLanes?: number;
};

type Handler<T extends AriEventType> = (event: AriEventOf<T>) => void;

/**
 * The hotline's ARI client: REST calls plus typed events, reconnecting forever.
 * On every (re)connection it installs the application's event filter and emits
 * `ready` so the call handling can resynchronise with Asterisk's channels.
 */
export class AriClient {
  readonly rest: AriRest;
  private readonly events: AriEvents;
  private readonly socketRest: SocketRest | null;
  private readonly handlers = new Map<AriEventType, Array<(e: AriEvent) => void>>();
  private readonly readyHandlers: Array<(e: { reconnect: boolean }) => void | Promise<void>> = [];

  constructor(private readonly opts: AriClientOptions) {
    const lanes = opts.restLanes ?? 0;
    this.socketRest = lanes > 0 ? new SocketRest({ ...opts, lanes }) : null;
    this.rest = new AriRest({ ...opts, socket: this.socketRest ?? undefined });
    this.events = new AriEvents(opts, HANDLED_EVENTS);
    this.events.on('event', (e) => this.dispatch(e));
    this.events.on('connected', ({ reconnect }) => void this.onConnected(reconnect));
  }

  get connected(): boolean {
    return this.events.connected;
  }

  get app(): string {
    return this.opts.app;
  }

  /** Subscribes to one ARI event type (only HANDLED_EVENTS ever arrive). */
  on<T extends AriEventType>(type: T, handler: Handler<T>): this {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as (e: AriEvent) => void);
    this.handlers.set(type, list);
    return this;
  }

  /** Called on every (re)connection, after the event filter is in place. */
  onReady(handler: (e: { reconnect: boolean }) => void | Promise<void>): this {
    this.readyHandlers.push(handler);
    return this;
  }

  /** Websocket lanes carrying REST requests now (0: all go over HTTP). */
  get restLanesOpen(): number {
    return this.socketRest?.open ?? 0;
  }

  start(): void {
    this.socketRest?.start();
    this.events.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.events.stop(), this.socketRest?.stop()]);
    this.rest.close();
  }

  private async onConnected(reconnect: boolean): Promise<void> {
    try {
      await this.rest.setEventFilter(HANDLED_EVENTS);
    } catch (err) {
      // older Asterisk without filters still works, only noisier
      this.opts.log?.warn({ err: (err as Error).message }, 'could not set the ARI event filter');
    }
    for (const h of this.readyHandlers) {
      try {
        await h({ reconnect });
      } catch (err) {
        this.opts.log?.warn({ err: (err as Error).message }, 'ARI ready handler failed');
      }
    }
  }

  private dispatch(event: AriEvent): void {
    this.opts.onEvent?.(event.type);
    for (const h of this.handlers.get(event.type) ?? []) {
      try {
        h(event);
      } catch (err) {
        this.opts.log?.warn({ err: (err as Error).message, type: event.type }, 'ARI event handler failed');
      }
    }
  }
}
