// #14 point 6 (第十四、十六、十七条): the review cannot be bypassed, nor the kinds that
// bring a supervisor in. Shown through app.inject against the lifecycle table.
import t from 'tap';
import { allowedActions, decide, LIFECYCLE } from '../../src/tickets/lifecycle.js';
import { setup } from './_fixtures.js';

t.test('after send_back the reply goes only through a new draft and its approval', async (t) => {
  const { act, ticket, get, events } = await setup(t);
  const tk = ticket({ kind: 'immediate' });
  t.equal((await act(tk.id, 'draft_reply', 'operator', { draft: '初稿' })).json().status, 'in_review');
  t.equal((await act(tk.id, 'send_back', 'supervisor', { reason: '答复不完整' })).json().status, 'sent_back');

  const before = { version: get(tk.id).version, events: events(tk.id).length };
  for (const who of ['operator', 'supervisor'] as const) {
    const r = await act(tk.id, 'answer', who, { reply: '直接答复' });
    t.equal(r.statusCode, 409, `answer by ${who} after send_back is refused`);
  }
  t.equal(get(tk.id).version, before.version, 'nothing changed');
  t.equal(events(tk.id).length, before.events);
  t.notOk(allowedActions(get(tk.id), { role: 'operator', name: 'op1', userId: 11 }).includes('answer'));
  t.equal((await act(tk.id, 'give_reply', 'operator')).statusCode, 409, 'nor the old draft');

  t.equal((await act(tk.id, 'draft_reply', 'operator', { draft: '修改稿' })).json().status, 'in_review');
  t.equal((await act(tk.id, 'approve', 'supervisor', {})).json().status, 'approved');
  t.equal((await act(tk.id, 'give_reply', 'operator2')).statusCode, 403, 'another operator may not give it');
  const given = await act(tk.id, 'give_reply', 'operator');
  t.equal(given.json().status, 'closed');
  t.equal(given.json().reply, '修改稿');
});

t.test('the approved reply is given by its drafter or a supervisor', async (t) => {
  const { act, ticket } = await setup(t);
  const tk = ticket({ kind: 'immediate' });
  await act(tk.id, 'draft_reply', 'operator2', { draft: '答复' });
  await act(tk.id, 'approve', 'supervisor');
  const r = await act(tk.id, 'give_reply', 'operator');
  t.equal(r.statusCode, 403);
  t.match(r.json().message, /只有起草该答复的话务员或主管/);
  t.equal((await act(tk.id, 'give_reply', 'supervisor')).json().status, 'closed');
});

t.test('an operator cannot change a 督办 or an emergency into a kind they close themselves; a supervisor may, with a reason', async (t) => {
  const { act, ticket, get, events } = await setup(t);
  for (const kind of ['supervised', 'emergency'] as const) {
    const tk = ticket({ kind });
    const before = { version: get(tk.id).version, events: events(tk.id).length };
    const r = await act(tk.id, 'classify', 'operator', { kind: 'immediate' });
    t.equal(r.statusCode, 403, `${kind} → immediate by an operator`);
    t.match(r.json().message, /只能由主管更改/);
    const noReason = await act(tk.id, 'classify', 'supervisor', { kind: 'immediate' });
    t.equal(noReason.statusCode, 400, 'a supervisor without a reason: 400');
    t.match(noReason.json().message, /^reason: /);
    t.equal(get(tk.id).version, before.version, 'nothing changed');
    t.equal(events(tk.id).length, before.events);
    // the category may still be set by the desk
    t.equal((await act(tk.id, 'classify', 'operator', { category: 'consult' })).statusCode === 403, false, 'classifying the category alone is not a kind change');
    const ok = await act(tk.id, 'classify', 'supervisor', { kind: 'immediate', reason: '经核实不属于应急事项' });
    t.equal(ok.statusCode, 200, ok.body);
    t.equal(get(tk.id).kind, 'immediate');
    t.equal(events(tk.id).at(-1)!.reason, '经核实不属于应急事项', 'the reason is in the history');
  }
  // into those kinds the desk still goes freely
  const plain = ticket();
  t.equal((await act(plain.id, 'classify', 'operator', { kind: 'emergency' })).statusCode, 200);
});

t.test('the lifecycle stays data: the table says it, decide() is pure', async (t) => {
  t.same(LIFECYCLE.immediate.answer.from, ['open']);
  t.same(LIFECYCLE.immediate.give_reply.roles, ['operator', 'supervisor']);
  t.same(LIFECYCLE.routed.callback.orTo, ['in_progress']);
  const tk = { kind: 'emergency', status: 'open', draftedByUserId: null } as unknown as Parameters<typeof decide>[0];
  const d = decide(tk, 'classify', { role: 'operator', name: 'x', userId: 1 }, { kind: 'immediate' }, 0);
  t.same(d, { ok: false, status: 403, reason: '应急件的类型只能由主管更改' });
});
