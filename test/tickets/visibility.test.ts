import t from 'tap';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../src/auth/schema.js';
import { setup, type Person } from './_fixtures.js';

// Who may see what (DESIGN §6): street seats and departments only their own tickets
// (another's is 404 even by id); caller number/name in clear only for supervisors and
// whoever works the ticket, and each clear read is audited.
t.test('who sees which ticket, and in clear or masked', async (t) => {
  const { h, headers, ticket, s, act } = await setup(t);
  const T = {
    d1: ticket({ kind: 'routed', status: 'routed', departmentId: 'd1' }),
    d2: ticket({ kind: 'routed', status: 'routed', departmentId: 'd2' }),
    s1: ticket({ kind: 'routed', status: 'routed', assignedStreet: 's1' }),
    s2: ticket({ kind: 'routed', status: 'routed', assignedStreet: 's2' }),
    op1: ticket({ kind: 'immediate', assignedUserId: 11 }),
    seat1: ticket({ assignedSeatId: 'st1' }),
  };
  type Name = keyof typeof T;
  const all = Object.keys(T) as Name[];
  // [who, sees, sees in clear]
  const MATRIX: Array<[Person, Name[], Name[]]> = [
    ['operator', all, ['op1']],
    ['operator2', all, []],
    ['supervisor', all, all],
    ['department', ['d1'], ['d1']],
    ['department2', ['d2'], ['d2']],
    ['street_seat', ['s1', 'seat1'], ['s1', 'seat1']],
    ['street_seat2', ['s2'], ['s2']],
    ['inspector', all, []],
    ['admin', all, []],
    ['integration', [], []],
  ];
  const audits = (who: Person) => s.db.select().from(auditLog).where(eq(auditLog.username, who === 'operator' ? 'op1' : who === 'operator2' ? 'op2' : nameOf(who))).all();
  const nameOf = (who: Person) => ({ supervisor: 'sup', department: 'civil-d1', department2: 'civil-d2', street_seat: 'street-s1', street_seat2: 'street-s2', inspector: 'insp', admin: 'admin', integration: '12345', operator: 'op1', operator2: 'op2' })[who];

  for (const [who, sees, clear] of MATRIX) {
    const list = await h.app.inject({ url: '/api/tickets?limit=100', headers: headers(who) });
    t.equal(list.statusCode, 200);
    const ids = list.json().items.map((x: { id: number }) => x.id).sort();
    t.same(ids, sees.map((n) => T[n].id).sort(), `${who} lists only their tickets`);
    for (const name of all) {
      const r = await h.app.inject({ url: `/api/tickets/${T[name].id}`, headers: headers(who) });
      if (!sees.includes(name)) {
        t.equal(r.statusCode, 404, `${who} cannot see ${name}, not even by id`);
        t.equal((await act(T[name].id, 'take', who)).statusCode, 404, `${who} cannot act on ${name}`);
        continue;
      }
      t.equal(r.statusCode, 200);
      const inClear = clear.includes(name);
      t.equal(r.json().callerNumber, inClear ? '13800138000' : '138******00', `${who} reads ${name}'s number ${inClear ? 'in clear' : 'masked'}`);
      t.equal(r.json().callerName, inClear ? '张三' : '张**');
    }
    // one audit row per clear read: the list and each detail
    const detailAudits = audits(who).filter((a) => a.detail === 'detail');
    t.same(detailAudits.map((a) => a.ticketId).sort(), clear.map((n) => T[n].id).sort(), `${who}: each clear detail read is audited`);
    t.equal(audits(who).filter((a) => a.detail === 'list').length, clear.length, `${who}: clear list rows audited`);
  }
});

t.test('taking a ticket makes the operator one who works it', async (t) => {
  const { h, headers, ticket, act } = await setup(t);
  const tk = ticket({ kind: 'routed' });
  const read = async () => (await h.app.inject({ url: `/api/tickets/${tk.id}`, headers: headers('operator2') })).json().callerNumber;
  t.equal(await read(), '138******00');
  const r = await act(tk.id, 'take', 'operator2');
  t.equal(r.json().callerNumber, '13800138000', 'the action response is in clear for who works it');
  t.equal(await read(), '13800138000');
});

t.test('a bounced ticket leaves the department that bounced it', async (t) => {
  const { h, headers, ticket, act } = await setup(t);
  const tk = ticket({ kind: 'routed', status: 'routed', departmentId: 'd1' });
  t.equal((await act(tk.id, 'bounce', 'department', { reason: '不属于本部门' })).statusCode, 200);
  t.equal((await h.app.inject({ url: `/api/tickets/${tk.id}`, headers: headers('department') })).statusCode, 404);
});

t.test('list filters for the desk: overdue, waiting for a callback, supervisions of a ticket', async (t) => {
  const { h, headers, ticket } = await setup(t);
  const late = ticket({ kind: 'routed', overdue: true });
  const callback = ticket({ kind: 'immediate', status: 'closed', needsCallback: true });
  const sup = ticket({ kind: 'supervised', parentTicketId: late.id });
  const ids = async (q: string) => (await h.app.inject({ url: `/api/tickets?${q}`, headers: headers('supervisor') })).json().items.map((x: { id: number }) => x.id);
  t.same(await ids('overdue=true'), [late.id]);
  t.same(await ids('needsCallback=true'), [callback.id]);
  t.same(await ids(`parentTicketId=${late.id}`), [sup.id]);
  t.equal((await h.app.inject({ url: '/api/tickets?overdue=maybe', headers: headers('supervisor') })).statusCode, 400);
});
