// A call path on the in-memory Asterisk: a fresh DB, seats, the real CallService wired
// to the double's events as to AriClient's, and every notification recorded.
import { openDatabase, type Db } from '../../src/db/index.js';
import { HotlineBus } from '../../src/shared/bus.js';
import { TicketService } from '../../src/tickets/services.js';
import { SeatService } from '../../src/seats/services.js';
import { seats as seatsTable } from '../../src/seats/schema.js';
import { loadCallflow, type Callflow } from '../../src/calls/callflow-config.js';
import { CallService } from '../../src/calls/call-service.js';
import { CallRepository } from '../../src/calls/repository.js';
import { CallNotifier, type CallChange } from '../../src/calls/notifier.js';
import { ListenIn } from '../../src/calls/listen-in.js';
import { wireCallEvents } from '../../src/calls/stasis.js';
import type { CallState } from '../../src/calls/call-state.js';
import { AsteriskDouble } from './asterisk-double.js';
import { SeatPhoneLine } from '../../src/seats/phone-line.js';
import { UserService } from '../../src/auth/services.js';
import { AuditLog } from '../../src/auth/audit.js';

export const quiet = { info() {}, warn() {}, error() {} };

/** The shipped IVR and queues with timers short enough for a unit test. */
export function fastCallflow(tweak: (c: Callflow) => void = () => {}): Callflow {
  const c = structuredClone(loadCallflow());
  c.ivr.digitTimeoutSeconds = 0.05;
  c.queues.seats.ringTimeoutSeconds = 2;
  c.queues.seats.wrapUpSeconds = 0.03;
  c.queues.announceEverySeconds = 600;
  for (const q of Object.values(c.queues.queues)) q.maxWaitSeconds = 600;
  tweak(c);
  return c;
}

export interface SeatSpec {
  id: string;
  kind?: 'center' | 'street';
  street?: string;
  skills?: string[];
  state?: string;
  /** ms ago it became idle (longest idle is offered first) */
  idleFor?: number;
  /** the far end hears a whisper and must press 1 (default: street seats) */
  screening?: boolean;
  pinHash?: string;
  /** what Asterisk dials (default PJSIP/<id>, or PJSIP/<id>@street-gw) */
  dial?: string;
}

export interface Lab {
  db: Db;
  bus: HotlineBus;
  tickets: TicketService;
  seats: SeatService;
  ari: AsteriskDouble;
  calls: CallService;
  changes: CallChange[];
  users: UserService;
  seatLine: SeatPhoneLine;
  /** seats whose desk page is open */
  onDesk: Set<string>;
  /** the states a call went through, in order */
  statesOf(callId: string): CallState[];
  /** lets queued events, REST replies and follow-up steps run */
  settle(): Promise<void>;
  until<T>(what: string, fn: () => T | undefined | null | false, ms?: number): Promise<T>;
  /** the server dies hard and a new one starts on the same DB and the same Asterisk */
  restartServer(): Promise<Lab>;
  close(): void;
}

export function seedSeats(db: Db, list: SeatSpec[]): void {
  const now = Date.now();
  for (const s of list) {
    db.insert(seatsTable)
      .values({ id: s.id, name: s.id, kind: s.kind ?? 'center', dial: s.dial ?? (s.kind === 'street' ? `PJSIP/${s.id}@street-gw` : `PJSIP/${s.id}`), street: s.street ?? null, skills: s.skills ?? ['general', 'consultation', 'community_life', 'complaint'], state: s.state ?? 'logged_out', stateSince: now - (s.idleFor ?? 0), screening: s.screening ?? s.kind === 'street', pinHash: s.pinHash ?? null })
      .run();
  }
}

export async function callLab(opts: { seats?: SeatSpec[]; callflow?: Callflow; db?: Db; ari?: AsteriskDouble; businessHours?: string } = {}): Promise<Lab> {
  const db = opts.db ?? openDatabase(':memory:');
  if (opts.seats) seedSeats(db, opts.seats);
  const bus = new HotlineBus();
  const tickets = new TicketService(db, bus);
  const seats = new SeatService(db, bus);
  const ari = opts.ari ?? new AsteriskDouble();
  const callflow = opts.callflow ?? fastCallflow();
  const onDesk = new Set<string>();
  const calls = new CallService({ ari, tickets, seats, repo: new CallRepository(db), notifier: new CallNotifier(bus, Date.now), log: quiet, now: Date.now, callflow, businessHours: opts.businessHours ?? 'always', surveyTimeoutMs: 150, onDesk: (id) => onDesk.has(id) });
  const users = new UserService(db, bus);
  const auditLog = new AuditLog(db);
  const seatLine = new SeatPhoneLine({ ari, seats, audit: (...a) => users.audit(...a), countAudits: (...a) => auditLog.countSince(...a), log: quiet });
  ari.reconnect();
  wireCallEvents(ari, calls, new ListenIn(ari, quiet, Date.now), seatLine);
  bus.on('seat.changed', (e) => {
    if (e.state === 'ready') calls.seatReady();
  });
  const changes: CallChange[] = [];
  bus.on('call.changed', (e) => changes.push(e));
  const settle = async () => {
    for (let i = 0; i < 30 || !ari.idle; i++) await new Promise((r) => setImmediate(r));
  };
  const lab: Lab = {
    db,
    bus,
    tickets,
    seats,
    ari,
    calls,
    changes,
    users,
    seatLine,
    onDesk,
    statesOf: (id) => changes.filter((c) => c.callId === id).map((c) => c.to),
    settle,
    async until(what, fn, ms = 3000) {
      const end = Date.now() + ms;
      for (;;) {
        await settle();
        const v = fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async restartServer() {
      calls.shutdown();
      seatLine.shutdown();
      ari.disconnect();
      const next = await callLab({ db, ari, callflow, businessHours: opts.businessHours });
      await next.calls.resync();
      await next.seatLine.resync();
      await next.settle();
      return next;
    },
    close: () => {
      calls.shutdown();
      seatLine.shutdown();
    },
  };
  return lab;
}

/** a caller who pressed 0, rang the first seat and was answered: the call is connected */
export async function connectedCall(lab: Lab, number: string): Promise<{ id: string; leg: string }> {
  const id = lab.ari.dial(number)!;
  await lab.until('in the IVR', () => lab.calls.query.get(id)?.state === 'ivr');
  lab.ari.press(id, '0');
  const leg = await lab.until('a seat rings', () => lab.ari.ringingLegs()[0]);
  lab.ari.pickUp(leg);
  await lab.until('connected', () => lab.calls.query.get(id)?.state === 'connected');
  return { id, leg };
}
