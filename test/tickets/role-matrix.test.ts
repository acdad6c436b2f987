import t from 'tap';
import { setup, PEOPLE, type Person } from './_fixtures.js';
import type { Ticket } from '../../src/tickets/services.js';

// Who may do what (DESIGN §2, §6). Each row puts a ticket in a state where the action
// is legal, routed to department d1 and street s1 so both handlers can see it; every
// role tries it. Allowed roles → 200; others → 403 (integration sees no ticket → 404).
const DESK = ['operator', 'supervisor'];
const HANDLER = ['department', 'street_seat'];
const MATRIX: Array<[kind: string | null, state: Partial<Ticket>, action: string, body: object, allowed: string[]]> = [
  [null, {}, 'classify', { kind: 'routed' }, DESK],
  ['immediate', {}, 'answer', { reply: 'x' }, DESK],
  ['immediate', {}, 'draft_reply', { draft: 'x' }, ['operator']],
  ['immediate', { status: 'in_review', draftReply: 'x' }, 'approve', {}, ['supervisor']],
  ['immediate', { status: 'in_review', draftReply: 'x' }, 'send_back', { reason: 'x' }, ['supervisor']],
  // the drafter (op1, userId 11) or a supervisor (第十四条)
  ['immediate', { status: 'approved', draftReply: 'x', draftedByUserId: 11 }, 'give_reply', {}, DESK],
  ['routed', {}, 'classify', { category: 'community_life' }, DESK],
  ['routed', {}, 'take', {}, ['operator']],
  ['routed', {}, 'route', { departmentId: 'd1' }, DESK],
  ['routed', { status: 'routed' }, 'accept', {}, HANDLER],
  ['routed', { status: 'routed' }, 'bounce', { reason: 'x' }, HANDLER],
  ['routed', { status: 'accepted' }, 'contact', { note: 'x' }, HANDLER],
  ['routed', { status: 'in_progress' }, 'resolve', { result: 'x' }, HANDLER],
  ['routed', { status: 'resolved' }, 'callback', { satisfaction: 'fair' }, DESK],
  ['routed', { status: 'called_back' }, 'close', {}, DESK],
  ['routed', { status: 'closed' }, 'reopen', { reason: 'x' }, DESK],
  ['routed', { status: 'routed' }, 'supervise', { reason: 'x' }, DESK],
  // only the operator who took the drawn callback (callbackUserId 11 is op1) records it
  ['routed', { status: 'closed', needsCallback: true }, 'take_spot_check', {}, ['operator']],
  ['routed', { status: 'closed', needsCallback: true, callbackUserId: 11 }, 'spot_check', { satisfaction: 'satisfied' }, ['operator']],
  ['supervised', {}, 'start_supervision', { note: 'x' }, ['inspector']],
  ['supervised', {}, 'take', {}, ['operator', 'inspector']],
  ['supervised', { status: 'supervising' }, 'respond', { result: 'x' }, HANDLER],
  ['supervised', { status: 'responded' }, 'close', {}, ['inspector']],
  ['emergency', {}, 'dispatch', { note: 'x' }, ['supervisor']],
  ['emergency', { status: 'dispatched' }, 'resolve', { result: 'x' }, DESK],
  ['emergency', { status: 'resolved' }, 'close', {}, DESK],
  ['collaborative', {}, 'coordinate', { organisation: 'x', note: 'x' }, ['operator']],
  ['collaborative', { source: '12345' }, 'return_to_12345', { reason: 'x' }, DESK],
  ['collaborative', { source: '12345', status: 'coordinated' }, 'return_to_12345', { reason: 'x' }, DESK],
  ['routed', { source: '12345', status: 'bounced' }, 'return_to_12345', { reason: 'x' }, DESK],
  ['routed', { status: 'bounced' }, 'classify', { kind: 'collaborative' }, DESK],
  ['routed', { status: 'routed' }, 'recall', { reason: 'x' }, DESK],
  ['routed', { status: 'accepted' }, 'reroute', { departmentId: 'd2', reason: 'x' }, ['supervisor']],
  ['routed', { status: 'accepted', coHandlers: [{ departmentId: 'd1', part: null, partAt: null }] }, 'record_part', { part: 'x' }, ['department']],
  ['routed', { status: 'accepted' }, 'request_coordination', { reason: 'x' }, [...DESK, 'department']],
  ['routed', { status: 'accepted', coordinationDepartmentId: 'd1', coordinationRequestedAt: 1 }, 'answer_coordination', { answer: 'x' }, ['department', 'supervisor']],
  ['routed', { status: 'in_progress' }, 'request_extension', { days: 5, reason: 'x' }, HANDLER],
  ['routed', { status: 'in_progress', resolveDueAt: Date.parse('2026-03-16T15:59:59.999Z'), extensionRequest: { days: 5, unit: 'working', reason: 'x', at: 1, by: 'x' } }, 'grant_extension', {}, ['supervisor']],
  ['routed', { status: 'in_progress', extensionRequest: { days: 5, unit: 'working', reason: 'x', at: 1, by: 'x' } }, 'refuse_extension', { reason: 'x' }, ['supervisor']],
  ['collaborative', { status: 'coordinated' }, 'close', {}, DESK],
];
const ROLES: Person[] = ['operator', 'street_seat', 'department', 'supervisor', 'inspector', 'admin', 'integration'];

t.test('role × action matrix', async (t) => {
  const { act, ticket, get, events } = await setup(t);
  for (const [kind, state, action, body, allowed] of MATRIX) {
    for (const who of ROLES) {
      const tk = ticket({ kind, departmentId: 'd1', assignedStreet: 's1', ...state });
      const before = { version: get(tk.id).version, events: events(tk.id).length };
      const r = await act(tk.id, action, who, body);
      const expected = allowed.includes(PEOPLE[who].role) ? 200 : who === 'integration' ? 404 : 403;
      t.equal(r.statusCode, expected, `${kind ?? 'unclassified'}/${state.status ?? 'open'} ${action} by ${who}: ${r.statusCode === expected ? '' : r.body}`);
      if (expected !== 200) {
        t.equal(get(tk.id).version, before.version, `${action} by ${who}: unchanged`);
        t.equal(events(tk.id).length, before.events);
      }
    }
  }
});

t.test('a handler acts only on its own tickets: another department or street gets 404', async (t) => {
  const { act, ticket, get } = await setup(t);
  const mine = ticket({ kind: 'routed', status: 'routed', departmentId: 'd1' });
  t.equal((await act(mine.id, 'accept', 'department2')).statusCode, 404);
  const street = ticket({ kind: 'routed', status: 'routed', assignedStreet: 's1' });
  t.equal((await act(street.id, 'accept', 'street_seat2')).statusCode, 404);
  t.equal((await act(street.id, 'accept', 'department')).statusCode, 404);
  t.equal(get(street.id).status, 'routed');
  t.equal((await act(street.id, 'accept', 'street_seat')).statusCode, 200);
});
