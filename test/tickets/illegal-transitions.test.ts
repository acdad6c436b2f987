import t from 'tap';
import { setup, type Person } from './_fixtures.js';
import type { Ticket } from '../../src/tickets/services.js';

// Each row: a ticket in some state, an action a permitted role tries that its state
// (or kind) forbids → 409 with a reason, and the ticket and its history unchanged.
const ILLEGAL: Array<[string, Partial<Ticket>, string, Person, object]> = [
  ['callback before it is resolved', { kind: 'routed', status: 'in_progress', departmentId: 'd1' }, 'callback', 'operator', { satisfaction: 'satisfied' }],
  ['close before the callback', { kind: 'routed', status: 'resolved', departmentId: 'd1' }, 'close', 'operator', {}],
  ['resolve before contacting the citizen', { kind: 'routed', status: 'accepted', departmentId: 'd1' }, 'resolve', 'department', { result: 'x' }],
  ['contact before accepting', { kind: 'routed', status: 'routed', departmentId: 'd1' }, 'contact', 'department', { note: 'x' }],
  ['accept twice', { kind: 'routed', status: 'accepted', departmentId: 'd1' }, 'accept', 'department', {}],
  ['route again once routed', { kind: 'routed', status: 'routed', departmentId: 'd1' }, 'route', 'operator', { departmentId: 'd2' }],
  ['bounce once contacted', { kind: 'routed', status: 'in_progress', departmentId: 'd1' }, 'bounce', 'department', { reason: 'x' }],
  ['answer a routed ticket', { kind: 'routed' }, 'answer', 'operator', { reply: 'x' }],
  ['route an immediate ticket', { kind: 'immediate' }, 'route', 'operator', { departmentId: 'd1' }],
  ['approve with no draft in review', { kind: 'immediate' }, 'approve', 'supervisor', {}],
  ['give the reply before approval', { kind: 'immediate', status: 'in_review', draftReply: 'x' }, 'give_reply', 'operator', {}],
  ['answer a closed ticket', { kind: 'immediate', status: 'closed' }, 'answer', 'operator', { reply: 'x' }],
  ['reopen an open ticket', { kind: 'routed' }, 'reopen', 'operator', { reason: 'x' }],
  ['change the kind once work started', { kind: 'routed', status: 'routed', departmentId: 'd1' }, 'classify', 'operator', { kind: 'immediate' }],
  ['spot-check a ticket not drawn', { kind: 'immediate', status: 'closed' }, 'spot_check', 'operator', { satisfaction: 'fair' }],
  ['supervise a supervision', { kind: 'supervised' }, 'supervise', 'operator', { reason: 'x' }],
  ['respond before the inspector acts', { kind: 'supervised', departmentId: 'd1' }, 'respond', 'department', { result: 'x' }],
  ['start supervision with no department', { kind: 'supervised' }, 'start_supervision', 'inspector', { note: 'x' }],
  ['return a phone ticket to 12345', { kind: 'collaborative' }, 'return_to_12345', 'operator', { reason: 'x' }],
  ['return a 12345 order the department is working on', { kind: 'routed', source: '12345', status: 'in_progress', departmentId: 'd1' }, 'return_to_12345', 'operator', { reason: 'x' }],
  ['recall once the handler accepted', { kind: 'routed', status: 'accepted', departmentId: 'd1' }, 'recall', 'supervisor', { reason: 'x' }],
  ['re-route a resolved ticket', { kind: 'routed', status: 'resolved', departmentId: 'd1' }, 'reroute', 'supervisor', { departmentId: 'd2', reason: 'x' }],
  ['re-route to the same department', { kind: 'routed', status: 'accepted', departmentId: 'd1' }, 'reroute', 'supervisor', { departmentId: 'd1', reason: 'x' }],
  ['grant an extension nobody asked for', { kind: 'routed', status: 'in_progress', departmentId: 'd1' }, 'grant_extension', 'supervisor', {}],
  ['refuse an extension nobody asked for', { kind: 'routed', status: 'in_progress', departmentId: 'd1' }, 'refuse_extension', 'supervisor', { reason: 'x' }],
  ['ask for a second extension while one is pending', { kind: 'routed', status: 'in_progress', departmentId: 'd1', extensionRequest: { days: 5, unit: 'working', reason: 'x', at: 1, by: 'x' } }, 'request_extension', 'department', { days: 3, reason: 'x' }],
  ['answer a coordination nobody asked for', { kind: 'routed', status: 'in_progress', departmentId: 'd1' }, 'answer_coordination', 'supervisor', { answer: 'x' }],
  ['ask the bureau office twice', { kind: 'routed', status: 'in_progress', departmentId: 'd1', coordinationDepartmentId: 'office', coordinationRequestedAt: 1 }, 'request_coordination', 'operator', { reason: 'x' }],
  ['reclassify once the handler works on it', { kind: 'routed', status: 'accepted', departmentId: 'd1' }, 'classify', 'operator', { kind: 'collaborative' }],
  ['dispatch twice', { kind: 'emergency', status: 'dispatched' }, 'dispatch', 'supervisor', { note: 'x' }],
  ['route before classifying', {}, 'route', 'operator', { departmentId: 'd1' }],
  ['anything on a returned order', { kind: 'collaborative', source: '12345', status: 'returned' }, 'close', 'operator', {}],
];

t.test('illegal transitions: 409 with the reason, nothing changed', async (t) => {
  const { act, ticket, get, events } = await setup(t);
  for (const [why, state, action, who, body] of ILLEGAL) {
    const tk = ticket(state);
    const before = { row: get(tk.id), events: events(tk.id).length };
    const r = await act(tk.id, action, who, body);
    t.equal(r.statusCode, 409, `${why}: ${r.body}`);
    t.equal(r.json().error, 'conflict');
    t.ok(r.json().message.length > 10, `${why}: says why (${r.json().message})`);
    t.same(get(tk.id), before.row, `${why}: ticket unchanged`);
    t.equal(events(tk.id).length, before.events, `${why}: no event`);
  }
});

t.test('bad input: 400, nothing changed', async (t) => {
  const { act, ticket, get, events, h, headers } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'resolved', departmentId: 'd1' });
  const cases: Array<[string, object | undefined]> = [
    ['route', { departmentId: 'd1', street: 's1' }],
    ['route', {}],
    ['route', { departmentId: 'd1', promisedDays: 30 }],
    ['route', { departmentId: 'no-such-department' }],
    ['route', { street: 'nowhere-street' }],
    ['route', { departmentId: 'd1', coHandlers: ['d1'] }],
    ['route', { departmentId: 'd1', coHandlers: ['nobody'] }],
    ['route', { street: 's1', coHandlers: ['d2'] }],
    ['route', { departmentId: 'd1', limit: { days: 20, unit: 'weeks', basis: 'x' } }],
    ['route', { departmentId: 'd1', limit: { days: 20, unit: 'working' } }],
    ['route', { departmentId: 'd1', limit: { days: 20, unit: 'working', basis: 'x' }, promisedDays: 3 }],
    ['reroute', { departmentId: 'd2' }],
    ['recall', {}],
    ['request_extension', { days: 0, reason: 'x' }],
    ['request_extension', { days: 5 }],
    ['grant_extension', { days: 'five' }],
    ['record_part', {}],
    ['request_coordination', { reason: '' }],
    ['answer_coordination', {}],
    ['callback', { satisfaction: 'great' }],
    ['callback', undefined],
    ['classify', {}],
    ['classify', { kind: 'urgent' }],
    ['resolve', { result: '   ' }],
    ['bounce', { reason: 'x', extra: true }],
  ];
  const before = { row: get(tk.id), events: events(tk.id).length };
  for (const [action, body] of cases) {
    const r = await act(tk.id, action, 'operator', body);
    t.equal(r.statusCode, 400, `${action} ${JSON.stringify(body)}: ${r.body}`);
  }
  t.equal((await h.app.inject({ method: 'POST', url: `/api/tickets/${tk.id}/actions/fly`, headers: headers('operator'), payload: {} })).statusCode, 404, 'no such action');
  t.equal((await act(99999, 'take', 'operator')).statusCode, 404, 'no such ticket');
  t.same(get(tk.id), before.row);
  t.equal(events(tk.id).length, before.events);
});
