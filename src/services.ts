import type { Checkpointer } from './db/checkpointer.js';
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
import { CalendarService } from './calendar/service.js';
import { recomputeDeadlines } from './tickets/deadline-recompute.js';
import { RegistryService } from './registry/services.js';
import { UserAdmin } from './registry/user-admin.js';
import { TaxonomyService } from './taxonomy/service.js';
import type { MetricsRecorder } from './stats/metrics.js';
import { KnowledgeBase } from './kb/services.js';
import { createIntake, type Intake } from './intake/services.js';
import type { FastifyBaseLogger } from 'fastify';
import { AlertService } from './alerts/services.js';
import { alertOnEmergencies } from './alerts/raise.js';
import { MailOut } from './mailout/services.js';
import { ReplyTokens } from './intake/mail/threading.js';
import { NO_RECORDINGS, type RecordingStore } from './recordings/store.js';
import { QualityService } from './quality/service.js';

/**
 * The server's services, built once per app and shared by every feature through
 * `app.services`. Features add theirs here rather than reaching into each other.
 */
export interface Services {
  config: Config;
  db: Db;
  /** WAL checkpoints off the request thread (app.ts starts it for a database it opened itself) */
  walCheckpoints: Checkpointer | null;
  bus: HotlineBus;
  now: () => number;
  tickets: TicketService;
  /** the holiday notices in force and the working-day calendar built from them */
  calendar: CalendarService;
  users: UserService;
  calls: CallRepository;
  seats: SeatService;
  /** departments and streets/towns: the units tickets are routed to */
  registry: RegistryService;
  /** the admin's side of user accounts */
  userAdmin: UserAdmin;
  /** categories and subcategories (第十三条), seeded on a fresh database */
  taxonomy: TaxonomyService;
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
  /** the knowledge base: entries, search and answering, links to tickets */
  kb: KnowledgeBase;
  /** e-mail and 12345 intake, and the outbox of updates to 12345 (intake/plugin starts the listener and loop) */
  intake: Intake;
  /** counters other features feed (stats/metrics.ts fills it; a no-op until then) */
  metrics: MetricsRecorder;
  /** whose desk page is open (seats/desk-ws.ts fills it): a remote agent off the desk hears the ticket's summary in the whisper */
  deskPresence: { onDesk(seatId: string): boolean };
  /** Asterisk's stored recordings by name (calls/plugin.ts fills it; without telephony every play is a 503) */
  recordingStore: RecordingStore;
  /** quality inspection: score sheet, daily draw, scores */
  quality: QualityService;
  /** things /ready reports without failing (e.g. a missing calendar year) */
  readinessWarnings(): string[];
  addReadinessWarning(source: () => string[]): void;
  /** stored alerts for supervisors (emergencies, drafts to review, urgings, overdue steps) */
  alerts: AlertService;
  /** mail the hotline sends: replies to e-mail tickets, alerts to duty supervisors */
  mailOut: MailOut;
}

const NO_TELEPHONY: CallControl = {
  transfer: () => Promise.reject(new HttpError(503, 'no_telephony', '话务系统未运行')),
};

export function createServices(config: Config, db: Db, log: FastifyBaseLogger, now: () => number = Date.now): Services {
  const bus = new HotlineBus();
  const warningSources: Array<() => string[]> = [];
  const tickets = new TicketService(db, bus, now);
  // tickets older than the text search's index (once, after its migration)
  const indexed = tickets.text.catchUp();
  if (indexed) log.info({ tickets: indexed }, 'ticket text search: older tickets indexed');
  const calendar = new CalendarService(db, now);
  calendar.start();
  // a loaded notice counts open deadlines again, in the notice's own transaction
  calendar.onNoticeLoaded((change) => recomputeDeadlines({ db, tickets, now }, change));
  const users = new UserService(db, bus);
  const taxonomy = new TaxonomyService(db, now);
  taxonomy.seedIfEmpty();
  const registry = new RegistryService(db, now);
  const intake = createIntake({ config, db, tickets, now, registry }, log);
  const alerts = new AlertService(db, bus, now);
  alertOnEmergencies(bus, alerts, tickets, log);
  const mailOut = new MailOut({ config, db, tickets, now, tokens: new ReplyTokens(config.jwtSecret), threadOf: (id) => intake.mail.messageIdsOf(id), log });
  return {
    config,
    db,
    walCheckpoints: null,
    bus,
    now,
    tickets,
    calendar,
    users,
    calls: new CallRepository(db),
    seats: new SeatService(db, bus, now),
    registry,
    userAdmin: new UserAdmin(db, now, (id) => users.revokeSessions(id)),
    taxonomy,
    kb: new KnowledgeBase(db, tickets, now),
    intake,
    callflow: null,
    ari: null,
    metrics: { ariRequest: () => undefined, ariEvent: () => undefined },
    deskPresence: { onDesk: () => false },
    liveCalls: NO_CALLS,
    callControl: NO_TELEPHONY,
    listenIn: null,
    recordingStore: NO_RECORDINGS,
    quality: new QualityService(db, now),
    readinessWarnings: () => warningSources.flatMap((s) => s()),
    addReadinessWarning: (s) => warningSources.push(s),
    alerts,
    mailOut,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
