// Shared set-up for the ticket lifecycle tests: an app on a clock the test moves.
import type { Test } from 'tap';
import { makeApp } from '../helpers/app.js';
import { systemActor, type Actor } from '../../src/shared/actor.js';
import type { NewTicket, Ticket } from '../../src/tickets/services.js';

/** Monday 2 March 2026, 09:00 in Shanghai: an ordinary working week. */
export const MONDAY_9AM = Date.parse('2026-03-02T01:00:00Z');
export const DAY = 86_400_000;

export type Who = Partial<Actor> & { role: Actor['role'] };
export const PEOPLE = {
  operator: { role: 'operator', name: 'op1', userId: 11 },
  operator2: { role: 'operator', name: 'op2', userId: 12 },
  supervisor: { role: 'supervisor', name: 'sup', userId: 13 },
  department: { role: 'department', name: 'civil-d1', userId: 14, departmentId: 'd1' },
  department2: { role: 'department', name: 'civil-d2', userId: 15, departmentId: 'd2' },
  street_seat: { role: 'street_seat', name: 'street-s1', userId: 16, street: 's1', seatId: 'st1' },
  street_seat2: { role: 'street_seat', name: 'street-s2', userId: 17, street: 's2', seatId: 'st2' },
  inspector: { role: 'inspector', name: 'insp', userId: 18 },
  admin: { role: 'admin', name: 'admin', userId: 19 },
  integration: { role: 'integration', name: '12345', userId: 20 },
} satisfies Record<string, Who>;
export type Person = keyof typeof PEOPLE;

export async function setup(t: Test, start = MONDAY_9AM) {
  const clock = { now: start };
  const h = await makeApp({ now: () => clock.now });
  t.teardown(h.close);
  const s = h.app.services;
  // the units the tests route to
  for (const id of ['d1', 'd2', 'd3']) s.registry.upsertDepartment({ id, name: `部门${id}`, kind: 'bureau_division' });
  s.registry.upsertDepartment({ id: 'office', name: '市局办公室', kind: 'bureau_office' });
  for (const id of ['s1', 's2']) s.registry.upsertStreet({ id, name: `街道${id}`, kind: 'street', district: '徐汇区' });
  const headers = (who: Person) => h.auth(PEOPLE[who]);
  const act = (id: number, action: string, who: Person, body: unknown = {}) =>
    h.app.inject({ method: 'POST', url: `/api/tickets/${id}/actions/${action}`, headers: headers(who), payload: body as object });
  /** a ticket straight into the state a test needs (fields written without the lifecycle) */
  const ticket = (fields: Partial<Ticket> & Partial<NewTicket> = {}): Ticket => {
    const { source = 'phone', ...rest } = fields;
    const made = s.tickets.create({ source, callerNumber: '13800138000', callerName: '张三', content: '家里水管漏水' }, systemActor('test'));
    if (!Object.keys(rest).length) return made;
    return s.tickets.update(made.id, rest, { actor: systemActor('test'), action: 'fixture' });
  };
  const get = (id: number) => s.tickets.get(id)!;
  const events = (id: number) => s.tickets.events(id);
  return { h, s, clock, headers, act, ticket, get, events };
}
