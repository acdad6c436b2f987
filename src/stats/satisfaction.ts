// Satisfaction (第二十一条 市民满意度): every rating a citizen gave in a period, from the
// desk's callback after a routed ticket is resolved, the spot-check callback (抽查回访) of
// closed tickets, and the IVR's 1/2/3 after a call (satisfaction_ratings, ratings.ts),
// counted per unit, seat or category, per channel and together; and how many of the
// spot-check draw were reached. The unit, seat and category are the ticket's when it was rated.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { TaxonomyService } from '../taxonomy/service.js';
import { unitLabel } from './labels.js';
import type { Period } from './period.js';
import { shanghaiDate } from '../shared/time.js';

export const SATISFACTION_GROUPINGS = ['unit', 'seat', 'category'] as const;
export type SatisfactionGrouping = (typeof SATISFACTION_GROUPINGS)[number];
export const CHANNELS = ['callback', 'spot_check', 'ivr'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Tally {
  satisfied: number;
  fair: number;
  unsatisfied: number;
  /** the sample: ratings counted */
  total: number;
  /** satisfied ÷ total (满意率) */
  rate: number | null;
  /** (satisfied + fair) ÷ total (满意 + 基本满意) */
  acceptableRate: number | null;
}

export interface SatisfactionItem extends Tally {
  unitKind: string;
  unit: string | null;
  unitLabel: string;
  channels: Record<Channel, Tally>;
}

export interface SatisfactionReport {
  total: Tally;
  channels: Record<Channel, Tally>;
  /** the spot-check draw of the period's days: drawn, reached (a result recorded), reached ÷ drawn */
  spotCheck: { drawn: number; responded: number; responseRate: number | null };
  items: SatisfactionItem[];
}

/** Only this unit's tickets (a department or street reading its own figures). */
export interface UnitScope {
  unitKind: 'department' | 'street';
  unit: string;
}

type Raw = { satisfied: number; fair: number; unsatisfied: number };
const zero = (): Raw => ({ satisfied: 0, fair: 0, unsatisfied: 0 });
export function tally(r: Raw): Tally {
  const total = r.satisfied + r.fair + r.unsatisfied;
  return { ...r, total, rate: total ? r.satisfied / total : null, acceptableRate: total ? (r.satisfied + r.fair) / total : null };
}
const channelsOf = (m: Map<Channel, Raw>) => Object.fromEntries(CHANNELS.map((c) => [c, tally(m.get(c) ?? zero())])) as Record<Channel, Tally>;

export function scopeSql(scope: UnitScope | undefined): SQL {
  if (!scope) return sql`1`;
  return scope.unitKind === 'department' ? sql`"tickets"."department_id" = ${scope.unit}` : sql`"tickets"."assigned_street" = ${scope.unit}`;
}

export function satisfaction(db: Db, taxonomy: TaxonomyService, p: Period, by: SatisfactionGrouping, scope?: UnitScope, withSpotCheck = true): SatisfactionReport {
  const [keyKind, keyValue] =
    by === 'unit' ? [sql`unit_kind`, sql`unit`] : by === 'seat' ? [sql`'seat'`, sql`seat_id`] : [sql`'category'`, sql`category`];
  const where = scope ? sql`unit_kind = ${scope.unitKind} and unit = ${scope.unit}` : sql`1`;
  // satisfaction_ratings_at_idx covers the query: a month is one range of the index
  const rows = db.all<{ channel: Channel; unitKind: string; unit: string | null; rating: string; n: number }>(sql`
    select channel, ${keyKind} as unitKind, ${keyValue} as unit, rating, count(*) as n
    from satisfaction_ratings indexed by satisfaction_ratings_at_idx
    where at >= ${p.start} and at < ${p.end} and ${where}
    group by 1, 2, 3, 4`);

  const all = new Map<Channel, Raw>();
  const units = new Map<string, { unitKind: string; unit: string | null; channels: Map<Channel, Raw> }>();
  for (const r of rows) {
    const n = Number(r.n);
    const rating = r.rating as keyof Raw;
    const ch = all.get(r.channel) ?? all.set(r.channel, zero()).get(r.channel)!;
    ch[rating] += n;
    const k = `${r.unitKind}\u0000${r.unit ?? ''}`;
    const u = units.get(k) ?? units.set(k, { unitKind: r.unitKind, unit: r.unit, channels: new Map() }).get(k)!;
    const uc = u.channels.get(r.channel) ?? u.channels.set(r.channel, zero()).get(r.channel)!;
    uc[rating] += n;
  }
  const sum = (m: Map<Channel, Raw>) => [...m.values()].reduce((a, b) => ({ satisfied: a.satisfied + b.satisfied, fair: a.fair + b.fair, unsatisfied: a.unsatisfied + b.unsatisfied }), zero());
  const label = (unitKind: string, unit: string | null) =>
    unitKind === 'seat' ? (unit ?? '未知坐席') : unitKind === 'category' ? (taxonomy.label(unit) ?? '未分类') : unitLabel(unitKind, unit);
  const items = [...units.values()]
    .map((u) => ({ unitKind: u.unitKind, unit: u.unit, unitLabel: label(u.unitKind, u.unit), ...tally(sum(u.channels)), channels: channelsOf(u.channels) }))
    .sort((a, b) => a.unitKind.localeCompare(b.unitKind) || (a.unit ?? '').localeCompare(b.unit ?? ''));
  return { total: tally(sum(all)), channels: channelsOf(all), spotCheck: withSpotCheck ? spotCheckResponse(db, p, scope) : { drawn: 0, responded: 0, responseRate: null }, items };
}

/** Of the tickets drawn for the days of the period, how many got a spot-check result since. */
export function spotCheckResponse(db: Db, p: Period, scope?: UnitScope): SatisfactionReport['spotCheck'] {
  const r = db.get<{ drawn: number; responded: number }>(sql`
    select count(*) as drawn,
      coalesce(sum(exists (select 1 from ticket_events e indexed by ticket_events_ticket_idx where e.ticket_id = s.ticket_id and e.action = 'spot_check' and e.at >= s.sampled_at)), 0) as responded
    from callback_samples s join tickets on tickets.id = s.ticket_id
    where s.day >= ${shanghaiDate(p.start)} and s.day <= ${shanghaiDate(p.end - 1)} and ${scopeSql(scope)}`);
  const drawn = Number(r?.drawn ?? 0);
  const responded = Number(r?.responded ?? 0);
  return { drawn, responded, responseRate: drawn ? responded / drawn : null };
}
