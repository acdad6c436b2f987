import type { AriClient } from './ari/index.js';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import { HotlineBus } from './shared/bus.js';
import { TicketService } from './tickets/services.js';
import { UserService } from './auth/services.js';
import { CallRepository } from './calls/repository.js';
import { NO_CALLS, type CallControl, type CallQuery } from './calls/query.js';
import { HttpError } from './shared/errors.js';
import type { ListenIn } from './calls/listen-in.js';
import type { Callflow } from './calls/callflow-config.js';
import { SeatService } from './seats/services.js';
import type { MetricsRecorder } from './stats/metrics.js';

/**
 * The server's services, built once per app and shared by every feature through
 * `app.services`. Features add theirs here rather than reaching into each other.
 */
export interface Services {
  config: Config;
  db: Db;
  bus: HotlineBus;
  now: () => number;
  tickets: TicketService;
  users: UserService;
  calls: CallRepository;
  seats: SeatService;
  /** the IVR and queue definitions (null without telephony) */
  callflow: Callflow | null;
  /** null when the app runs without telephony (tests of the API alone) */
  ari: AriClient | null;
  /** live calls, read by the wallboard, desk socket, metrics and routes (no calls without telephony) */
  liveCalls: CallQuery;
  /** transfers; without telephony every request is a 503 */
  callControl: CallControl;
  /** supervisors listening in on live calls (null without telephony) */
  listenIn: ListenIn | null;
  /** counters other features feed (stats/metrics.ts fills it; a no-op until then) */
  metrics: MetricsRecorder;
  /** things /ready reports without failing (e.g. a missing calendar year) */
  readinessWarnings(): string[];
  addReadinessWarning(source: () => string[]): void;
}

const NO_TELEPHONY: CallControl = {
  transfer: () => Promise.reject(new HttpError(503, 'no_telephony', 'telephony is not running')),
};

export function createServices(config: Config, db: Db, now: () => number = Date.now): Services {
  const bus = new HotlineBus();
  const warningSources: Array<() => string[]> = [];
  return {
    config,
    db,
    bus,
    now,
    tickets: new TicketService(db, bus, now),
    users: new UserService(db),
    calls: new CallRepository(db),
    seats: new SeatService(db, bus, now),
    callflow: null,
    ari: null,
    metrics: { ariRequest: () => undefined },
    liveCalls: NO_CALLS,
    callControl: NO_TELEPHONY,
    listenIn: null,
    readinessWarnings: () => warningSources.flatMap((s) => s()),
    addReadinessWarning: (s) => warningSources.push(s),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
