// A generated month of hotline work (November 2026, and October before it) with every
// answer known: the tickets, their history, calls with IVR ratings, spot-check draws and
// online questions are made here from a seeded random stream, written straight into the
// database, and kept as plain objects so the tests count the expected figures themselves.
import type { Db } from '../../src/db/index.js';
import { calls } from '../../src/calls/schema.js';
import { callbackSamples } from '../../src/jobs/schema.js';
import { kbOnlineQuestions } from '../../src/kb/schema.js';
import { shanghaiDate, shanghaiInstant } from '../../src/shared/time.js';
import { ticketEscalations, ticketEvents, tickets } from '../../src/tickets/schema.js';
import { SEED_TAXONOMY } from '../../src/taxonomy/seed.js';
import { rebuildRatings } from '../../src/stats/ratings.js';

export const DAY = 86_400_000;
export const NOV = { from: '2026-11-01', to: '2026-11-30', start: shanghaiInstant('2026-11-01'), end: shanghaiInstant('2026-12-01') };
export const OCT = { start: shanghaiInstant('2026-10-02'), end: NOV.start }; // the 30 days before November
/** the app's clock: after the month, so every November figure is final */
export const NOW = shanghaiInstant('2026-12-10', 10);

export const DEPARTMENTS = ['civil-affairs', 'welfare', 'veterans'];
export const STREETS = ['xuhui-tianlin', 'minhang-qibao'];
export const SEATS = ['1001', '1002', '1003'];
/** words ICU keeps whole, plus 低保 (joined back from 低|保 by the hotline vocabulary) */
export const WORDS = ['电梯', '噪音', '养老', '漏水', '停车', '物业', '垃圾', '空调', '补贴', '装修', '绿化', '路灯', '低保'];

export interface Ev {
  at: number;
  action: string;
  to: string | null;
  data?: Record<string, unknown>;
}
export interface GenTicket {
  id: number;
  createdAt: number;
  source: 'phone' | 'email' | 'online' | '12345' | 'manual';
  kind: string | null;
  category: string | null;
  subcategory: string | null;
  departmentId: string | null;
  assignedStreet: string | null;
  assignedSeatId: string | null;
  content: string;
  words: string[];
  routeDueAt: number | null;
  contactDueAt: number | null;
  resolveDueAt: number | null;
  routedAt: number | null;
  contactedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  overdue: boolean;
  satisfaction: string | null;
  escalated: boolean;
  events: Ev[];
}
export interface GenCall {
  ticketId: number;
  startedAt: number;
  seatId: string | null;
  rating: string | null;
}
export interface GenSample {
  day: string;
  ticketId: number;
  sampledAt: number;
}
export interface GenQuestion {
  at: number;
  question: string;
  answered: boolean;
  ticketId: number | null;
}
export interface Month {
  tickets: GenTicket[];
  calls: GenCall[];
  samples: GenSample[];
  questions: GenQuestion[];
}

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATINGS = ['satisfied', 'satisfied', 'satisfied', 'fair', 'unsatisfied'];
const KINDS = ['immediate', 'routed', 'routed', 'routed', 'supervised', 'emergency', 'collaborative', null];
const SOURCES = ['phone', 'phone', 'phone', 'email', 'online', '12345', 'manual'] as const;

export function generateMonth(seed = 16): Month {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const leaves: Array<[string, string | null]> = SEED_TAXONOMY.flatMap((c): Array<[string, string | null]> => (c.subcategories?.length ? c.subcategories.map((s): [string, string | null] => [c.id, s.id]) : [[c.id, null]]));
  const out: Month = { tickets: [], calls: [], samples: [], questions: [] };
  // October's 30 days (for "change") and November
  const spans = [
    { start: OCT.start, end: OCT.end, n: 150 },
    { start: NOV.start, end: NOV.end, n: 420 },
  ];
  let id = 0;
  for (const span of spans) {
    for (let i = 0; i < span.n; i++) {
      id++;
      const createdAt = Math.floor(span.start + r() * (span.end - span.start - 1000));
      const kind = pick(KINDS);
      const source = pick(SOURCES);
      const [category, subcategory]: [string | null, string | null] = kind === null && r() < 0.5 ? [null, null] : pick(leaves);
      const w = [pick(WORDS), pick(WORDS), pick(WORDS)];
      const content = `${w[0]}问题，${w[1]}和${w[2]}。`;
      const t: GenTicket = {
        id, createdAt, source, kind, category, subcategory, departmentId: null, assignedStreet: null, assignedSeatId: source === 'phone' ? pick(SEATS) : null,
        content, words: [...new Set(w)], routeDueAt: null, contactDueAt: null, resolveDueAt: null, routedAt: null, contactedAt: null, resolvedAt: null, closedAt: null,
        overdue: false, satisfaction: null, escalated: false, events: [{ at: createdAt, action: 'created', to: 'open' }],
      };
      let at = createdAt;
      const step = (action: string, to: string | null, days: number, data?: Record<string, unknown>) => {
        at += Math.floor(days * DAY);
        t.events.push({ at, action, to, data });
        return at;
      };
      if (kind === 'routed') {
        t.routeDueAt = createdAt + 2 * DAY;
        const toStreet = r() < 0.35;
        const unit = toStreet ? { street: pick(STREETS) } : { departmentId: pick(DEPARTMENTS) };
        if (r() < 0.1) {
          // first routed somewhere else, which sends it back
          const first = r() < 0.5 ? { street: pick(STREETS) } : { departmentId: pick(DEPARTMENTS) };
          step('route', 'routed', r() * 1.5, first);
          step('bounce', 'bounced', r() * 2);
        }
        const stage = r();
        t.routedAt = step('route', 'routed', r() * 3, unit);
        t.departmentId = unit.departmentId ?? null;
        t.assignedStreet = unit.street ?? null;
        t.contactDueAt = t.routedAt + 3 * DAY;
        t.resolveDueAt = t.routedAt + (r() < 0.2 ? 5 : 10) * DAY;
        if (r() < 0.08) step('grant_extension', null, r(), { days: 5 });
        if (stage > 0.1) {
          step('accept', 'accepted', r() * 0.5);
          if (stage > 0.2) {
            t.contactedAt = step('contact', 'in_progress', r() * 4);
            if (stage > 0.35) {
              t.resolvedAt = step('resolve', 'resolved', r() * 12);
              if (stage > 0.45) {
                const sat = pick(RATINGS);
                step('callback', 'called_back', r() * 2, { satisfaction: sat });
                t.satisfaction = sat;
                if (sat === 'unsatisfied') t.escalated = true;
                t.closedAt = step('close', 'closed', r() * 0.5);
              }
            }
          }
        }
      } else if (kind === 'supervised') {
        const departmentId = pick(DEPARTMENTS);
        step('start_supervision', 'supervising', r() * 2, { departmentId });
        t.departmentId = departmentId;
        t.resolveDueAt = at + 10 * DAY;
        if (r() < 0.7) {
          t.resolvedAt = step('respond', 'responded', r() * 14);
          if (r() < 0.8) t.closedAt = step('close', 'closed', r());
        }
      } else if (kind === 'immediate' || kind === 'emergency' || kind === 'collaborative') {
        if (r() < 0.85) t.closedAt = step(kind === 'immediate' ? 'answer' : 'close', 'closed', r() * 2);
      }
      // overdue as the sweep would have flagged it by NOW
      const missed = (done: number | null, due: number | null) => due !== null && (done === null ? due < NOW : done > due);
      t.overdue = missed(t.contactedAt, t.contactDueAt) || missed(t.resolvedAt, t.resolveDueAt);
      // drawn for a spot-check the day after closing; some reached
      if (t.closedAt !== null && r() < 0.3) {
        const day = shanghaiDate(t.closedAt);
        const sampledAt = shanghaiInstant(day) + DAY + 3_600_000;
        out.samples.push({ day, ticketId: id, sampledAt });
        t.events.push({ at: sampledAt, action: 'sampled_for_callback', to: 'closed' });
        if (r() < 0.6) {
          const sat = pick(RATINGS);
          t.events.push({ at: sampledAt + Math.floor(r() * 2 * DAY), action: 'spot_check', to: 'closed', data: { satisfaction: sat } });
          t.satisfaction = sat;
        }
      }
      t.events.sort((a, b) => a.at - b.at);
      out.tickets.push(t);
      if (source === 'phone') out.calls.push({ ticketId: id, startedAt: createdAt - 60_000, seatId: t.assignedSeatId, rating: r() < 0.5 ? pick(RATINGS) : null });
    }
  }
  // online questions: a few asked again and again that nothing answers
  const GAPS = ['火星移民签证怎么办理', '宠物殡葬在哪里', '无人机备案流程'];
  for (const span of spans) {
    for (let i = 0; i < (span.start === NOV.start ? 160 : 60); i++) {
      const at = Math.floor(span.start + r() * (span.end - span.start - 1000));
      const gap = r() < 0.25;
      const question = gap ? pick(GAPS) : `${pick(WORDS)}怎么申请${pick(WORDS)}`;
      out.questions.push({ at, question, answered: !gap, ticketId: gap && r() < 0.7 ? 100_000 + i : null });
    }
  }
  return out;
}

/** The month into the database: rows as the lifecycle leaves them (updatedAt = the last event). */
export function writeMonth(db: Db, m: Month): void {
  db.transaction((tx) => {
    for (const t of m.tickets) {
      const last = t.events[t.events.length - 1];
      const status = [...t.events].reverse().find((e) => e.to !== null)!.to!;
      tx.insert(tickets)
        .values({
          id: t.id, number: `962200-${shanghaiDate(t.createdAt).replaceAll('-', '')}-${String(t.id).padStart(6, '0')}`, source: t.source, kind: t.kind, status,
          category: t.category, subcategory: t.subcategory, content: t.content, title: t.content.slice(0, 10), callerNumber: `1380000${String(t.id).padStart(4, '0')}`,
          departmentId: t.departmentId, assignedStreet: t.assignedStreet, assignedSeatId: t.assignedSeatId, routeDueAt: t.routeDueAt, contactDueAt: t.contactDueAt,
          resolveDueAt: t.resolveDueAt, routedAt: t.routedAt, contactedAt: t.contactedAt, resolvedAt: t.resolvedAt, closedAt: t.closedAt, overdue: t.overdue,
          satisfaction: t.satisfaction, createdAt: t.createdAt, updatedAt: last.at, bounceCount: t.events.filter((e) => e.action === 'bounce').length,
        })
        .run();
      let from: string | null = null;
      for (const e of t.events) {
        tx.insert(ticketEvents).values({ ticketId: t.id, at: e.at, actor: 'month', actorRole: 'system', action: e.action, fromStatus: from, toStatus: e.to, data: e.data ?? null }).run();
        if (e.to) from = e.to;
      }
    }
    // supervisions opened for the unsatisfied callbacks (ids after the generated ones)
    let sup = 50_000;
    for (const t of m.tickets.filter((x) => x.escalated)) {
      sup++;
      tx.insert(tickets).values({ id: sup, number: `962200-SUP-${sup}`, source: 'manual', kind: 'supervised', status: 'open', content: t.content, parentTicketId: t.id, createdAt: NOW - DAY, updatedAt: NOW - DAY }).run();
      tx.insert(ticketEscalations).values({ ticketId: t.id, reason: 'unsatisfied', supervisionTicketId: sup, at: NOW - DAY }).run();
    }
    m.calls.forEach((c, i) => tx.insert(calls).values({ id: `call-${i}`, ticketId: c.ticketId, startedAt: c.startedAt, seatId: c.seatId, rating: c.rating, outcome: 'answered' }).run());
    m.samples.forEach((s, rank) => tx.insert(callbackSamples).values({ day: s.day, ticketId: s.ticketId, rank, population: 10, sampledAt: s.sampledAt }).run());
    for (const q of m.questions) tx.insert(kbOnlineQuestions).values({ askedAt: q.at, question: q.question, outcome: q.answered ? 'answered' : 'unanswered', confidence: q.answered ? 90 : 10, ticketId: q.ticketId === null ? null : m.tickets[q.ticketId % m.tickets.length].id }).run(); // a real ticket: the column is a foreign key
  });
  // written around the bus: the ratings table is built from the history and calls, as its migration does
  rebuildRatings(db);
}
