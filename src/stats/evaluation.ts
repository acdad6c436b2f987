// 通报评价 (第二十一条): how each department and street handled the tickets routed to it in
// a period — routing (2 WD), contact (3 WD) and answer (10 WD or its own limit) on time,
// overdue, supervised, bounces, extensions, satisfaction — with a score and a ranking.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { TaxonomyService } from '../taxonomy/service.js';
import { LIMITS } from '../tickets/lifecycle.js';
import { unitLabel } from './labels.js';
import type { Period } from './period.js';
import { satisfaction, tally, type Tally, type UnitScope } from './satisfaction.js';
import { UNIT, UNIT_KIND } from './ticket-counts.js';

/*
 * What is counted (tickets created in the period and now with the unit: tickets.departmentId,
 * else tickets.assignedStreet; statuses and lateness read at the period's end, or now if sooner):
 * - routing: the centre's 2 WD to route it (routedAt ≤ routeDueAt); shown per unit because it
 *   is the time the unit's citizens waited, not counted in the unit's score;
 * - contact: contactedAt ≤ contactDueAt (3 WD from routing, or a shorter promise);
 * - answer: resolvedAt ≤ resolveDueAt (10 WD from routing, or the ticket's own limit; for a
 *   supervision, the 10 WD the inspection office set);
 *   late = done after the limit; overdue = not done and the limit passed; pending = neither yet;
 *   onTimeRate = onTime ÷ (onTime + late + overdue);
 * - overdue: tickets late or overdue on contact or answer;
 * - supervised: 督办件 of the unit created in the period;
 * - bounces: bounce events in the period, put on the unit of the route they sent back;
 * - extensions: extensions a supervisor granted (grant_extension) in the period on the unit's tickets;
 * - satisfaction: callback, spot-check and IVR ratings given in the period (src/stats/satisfaction.ts).
 * score = 100 × weighted mean of answer on time (0.4), contact on time (0.2) and satisfaction
 * (满意 + 基本满意 share, 0.4), over the parts that have figures; ranked within departments
 * and within streets, highest first, ties by id.
 */
export const SCORE_WEIGHTS = { answer: 0.4, contact: 0.2, satisfaction: 0.4 } as const;

export interface Timeliness {
  due: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  onTimeRate: number | null;
}

export interface UnitEvaluation {
  unitKind: 'department' | 'street';
  unit: string;
  unitLabel: string;
  /** tickets of the unit created in the period */
  tickets: number;
  routing: { due: number; onTime: number; late: number; onTimeRate: number | null; limitDays: number };
  contact: Timeliness & { limitDays: number };
  answer: Timeliness & { limitDays: number };
  overdue: number;
  supervised: number;
  bounces: number;
  extensions: number;
  satisfaction: Tally;
  score: number | null;
  /** 1 = best among its kind */
  rank: number;
  /** how many units of its kind were ranked */
  rankOf: number;
}

export interface EvaluationReport {
  asOf: number;
  departments: UnitEvaluation[];
  streets: UnitEvaluation[];
}

const rate = (on: number, decided: number) => (decided ? on / decided : null);
const timeliness = (due: number, onTime: number, late: number, overdue: number): Timeliness => ({
  due,
  onTime,
  late,
  overdue,
  pending: due - onTime - late - overdue,
  onTimeRate: rate(onTime, onTime + late + overdue),
});

export function score(e: Pick<UnitEvaluation, 'answer' | 'contact' | 'satisfaction'>): number | null {
  const parts: Array<[number, number | null]> = [
    [SCORE_WEIGHTS.answer, e.answer.onTimeRate],
    [SCORE_WEIGHTS.contact, e.contact.onTimeRate],
    [SCORE_WEIGHTS.satisfaction, e.satisfaction.acceptableRate],
  ];
  const known = parts.filter((p): p is [number, number] => p[1] !== null);
  const weight = known.reduce((s, [w]) => s + w, 0);
  return weight ? Math.round((1000 * known.reduce((s, [w, v]) => s + w * v, 0)) / weight) / 10 : null;
}

export function evaluation(db: Db, taxonomy: TaxonomyService, p: Period, now: number, scope?: UnitScope): EvaluationReport {
  const asOf = Math.min(p.end, now);
  const done = (at: string, due: string) => sql.raw(`sum(case when ${due} is not null and ${at} is not null and ${at} < ${asOf} and ${at} <= ${due} then 1 else 0 end)`);
  const lateOf = (at: string, due: string) => sql.raw(`sum(case when ${due} is not null and ${at} is not null and ${at} < ${asOf} and ${at} > ${due} then 1 else 0 end)`);
  const overdueOf = (at: string, due: string) => sql.raw(`sum(case when ${due} is not null and (${at} is null or ${at} >= ${asOf}) and ${due} < ${asOf} then 1 else 0 end)`);
  const dueOf = (due: string) => sql.raw(`sum(case when ${due} is not null then 1 else 0 end)`);
  const missed = (at: string, due: string) => `(${due} is not null and ((${at} is not null and ${at} < ${asOf} and ${at} > ${due}) or ((${at} is null or ${at} >= ${asOf}) and ${due} < ${asOf})))`;
  const T = (c: string) => `"tickets"."${c}"`;

  const rows = db.all<Record<string, number | string>>(sql`
    select ${UNIT_KIND} as unitKind, ${UNIT} as unit, count(*) as tickets,
      ${dueOf(T('route_due_at') + ' is not null and ' + T('routed_at'))} as routeDue,
      ${done(T('routed_at'), T('route_due_at'))} as routeOnTime,
      ${lateOf(T('routed_at'), T('route_due_at'))} as routeLate,
      ${dueOf(T('contact_due_at'))} as contactDue, ${done(T('contacted_at'), T('contact_due_at'))} as contactOnTime,
      ${lateOf(T('contacted_at'), T('contact_due_at'))} as contactLate, ${overdueOf(T('contacted_at'), T('contact_due_at'))} as contactOverdue,
      ${dueOf(T('resolve_due_at'))} as answerDue, ${done(T('resolved_at'), T('resolve_due_at'))} as answerOnTime,
      ${lateOf(T('resolved_at'), T('resolve_due_at'))} as answerLate, ${overdueOf(T('resolved_at'), T('resolve_due_at'))} as answerOverdue,
      sum(case when ${sql.raw(missed(T('contacted_at'), T('contact_due_at')))} or ${sql.raw(missed(T('resolved_at'), T('resolve_due_at')))} then 1 else 0 end) as overdue,
      sum(case when "tickets"."kind" = 'supervised' then 1 else 0 end) as supervised
    from tickets
    where "tickets"."created_at" >= ${p.start} and "tickets"."created_at" < ${p.end}
      and ("tickets"."department_id" is not null or "tickets"."assigned_street" is not null)
    group by 1, 2`);

  // a bounce clears the ticket's unit: it belongs to the unit of the route it sent back
  const bounces = db.all<{ dept: string | null; street: string | null; n: number }>(sql`
    select json_extract(r.data, '$.departmentId') as dept, json_extract(r.data, '$.street') as street, count(*) as n
    from ticket_events e indexed by ticket_events_action_at_idx
    left join ticket_events r on r.id = (select max(x.id) from ticket_events x where x.ticket_id = e.ticket_id and x.action = 'route' and x.id < e.id)
    where e.action = 'bounce' and e.at >= ${p.start} and e.at < ${p.end}
    group by 1, 2`);
  const extensions = db.all<{ unitKind: string; unit: string; n: number }>(sql`
    select ${UNIT_KIND} as unitKind, ${UNIT} as unit, count(*) as n
    from ticket_events e indexed by ticket_events_action_at_idx join tickets on tickets.id = e.ticket_id
    where e.action = 'grant_extension' and e.at >= ${p.start} and e.at < ${p.end}
    group by 1, 2`);
  const sat = satisfaction(db, taxonomy, p, 'unit', undefined, false);

  const key = (kind: string, unit: string) => `${kind}\u0000${unit}`;
  const units = new Map<string, UnitEvaluation>();
  const blank = (unitKind: 'department' | 'street', unit: string): UnitEvaluation => ({
    unitKind,
    unit,
    unitLabel: unitLabel(unitKind, unit),
    tickets: 0,
    routing: { due: 0, onTime: 0, late: 0, onTimeRate: null, limitDays: LIMITS.route },
    contact: { ...timeliness(0, 0, 0, 0), limitDays: LIMITS.contact },
    answer: { ...timeliness(0, 0, 0, 0), limitDays: LIMITS.resolve },
    overdue: 0,
    supervised: 0,
    bounces: 0,
    extensions: 0,
    satisfaction: tally({ satisfied: 0, fair: 0, unsatisfied: 0 }),
    score: null,
    rank: 0,
    rankOf: 0,
  });
  const slot = (unitKind: string, unit: string | null) => {
    if ((unitKind !== 'department' && unitKind !== 'street') || !unit) return null;
    const k = key(unitKind, unit);
    return units.get(k) ?? units.set(k, blank(unitKind, unit)).get(k)!;
  };
  const n = (v: unknown) => Number(v ?? 0);
  for (const r of rows) {
    const u = slot(String(r.unitKind), r.unit === null ? null : String(r.unit));
    if (!u) continue;
    u.tickets = n(r.tickets);
    u.routing = { due: n(r.routeDue), onTime: n(r.routeOnTime), late: n(r.routeLate), onTimeRate: rate(n(r.routeOnTime), n(r.routeOnTime) + n(r.routeLate)), limitDays: LIMITS.route };
    u.contact = { ...timeliness(n(r.contactDue), n(r.contactOnTime), n(r.contactLate), n(r.contactOverdue)), limitDays: LIMITS.contact };
    u.answer = { ...timeliness(n(r.answerDue), n(r.answerOnTime), n(r.answerLate), n(r.answerOverdue)), limitDays: LIMITS.resolve };
    u.overdue = n(r.overdue);
    u.supervised = n(r.supervised);
  }
  for (const b of bounces) {
    const u = b.dept ? slot('department', b.dept) : slot('street', b.street);
    if (u) u.bounces += n(b.n);
  }
  for (const e of extensions) {
    const u = slot(e.unitKind, e.unit);
    if (u) u.extensions += n(e.n);
  }
  for (const s of sat.items) {
    const u = slot(s.unitKind, s.unit);
    if (u) u.satisfaction = tally(s);
  }
  const ranked = (kind: 'department' | 'street') => {
    const list = [...units.values()].filter((u) => u.unitKind === kind);
    for (const u of list) u.score = score(u);
    list.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.unit.localeCompare(b.unit));
    list.forEach((u, i) => ((u.rank = i + 1), (u.rankOf = list.length)));
    return scope ? list.filter((u) => u.unitKind === scope.unitKind && u.unit === scope.unit) : list;
  };
  return { asOf, departments: ranked('department'), streets: ranked('street') };
}
