import t from 'tap';
import { setup } from './_fixtures.js';

// PATCH /api/tickets/:id: an agent corrects the text of a ticket while or after talking
// to the caller. Not a lifecycle step: the status stays, the history keeps the old text.

t.test('an operator corrects title, address and content; the event keeps the old text', async (t) => {
  const { h, headers, ticket, get, events } = await setup(t);
  const tk = ticket({ status: 'open', assignedUserId: 11, title: '水管', address: '田林路' });
  const r = await h.app.inject({
    method: 'PATCH',
    url: `/api/tickets/${tk.id}`,
    headers: headers('operator'),
    payload: { title: '厨房水管漏水', address: '徐汇区田林路 100 弄 5 号 302 室', content: '  厨房水管接口漏水，已关总阀。 ', callerName: '张三' },
  });
  t.equal(r.statusCode, 200, r.body);
  t.match(r.json(), { title: '厨房水管漏水', address: '徐汇区田林路 100 弄 5 号 302 室', content: '厨房水管接口漏水，已关总阀。', status: 'open' });
  t.equal(get(tk.id).version, tk.version + 1, 'one change');
  const edit = events(tk.id).at(-1)!;
  t.equal(edit.action, 'edit');
  t.equal(edit.actor, 'op1');
  t.same(edit.data, {
    before: { title: '水管', address: '田林路', content: '家里水管漏水' },
    after: { title: '厨房水管漏水', address: '徐汇区田林路 100 弄 5 号 302 室', content: '厨房水管接口漏水，已关总阀。' },
  }, 'only what changed (the name was the same), old and new');
  t.equal(edit.fromStatus, edit.toStatus, 'the status stays');

  const count = events(tk.id).length;
  const same = await h.app.inject({ method: 'PATCH', url: `/api/tickets/${tk.id}`, headers: headers('operator'), payload: { title: '厨房水管漏水' } });
  t.equal(same.statusCode, 200);
  t.equal(events(tk.id).length, count, 'no change, no event');
  t.equal(get(tk.id).version, tk.version + 1);
});

t.test('refusals change nothing: bad bodies 400, wrong role 403, masked name 403, finished 409, unseen 404', async (t) => {
  const { h, headers, ticket, get } = await setup(t);
  const open = ticket({ status: 'open' });
  const patch = (id: number, who: Parameters<typeof headers>[0], payload: object) => h.app.inject({ method: 'PATCH', url: `/api/tickets/${id}`, headers: headers(who), payload });

  for (const bad of [{}, { title: '' }, { title: '   ' }, { title: 'x'.repeat(201) }, { status: 'closed' }, { title: 'ok', number: 'x' }, { content: 42 }]) {
    const r = await patch(open.id, 'supervisor', bad);
    t.equal(r.statusCode, 400, `400 for ${JSON.stringify(bad).slice(0, 40)}`);
  }
  t.equal((await patch(open.id, 'inspector', { title: '改' })).statusCode, 403, 'inspectors read, they do not write');
  t.equal((await patch(open.id, 'admin', { title: '改' })).statusCode, 403);
  // operator2 does not work this ticket: they see the caller masked, so may not overwrite the name
  const masked = await patch(open.id, 'operator2', { callerName: '李四' });
  t.equal(masked.statusCode, 403);
  t.match(masked.json().message, /遮蔽/);
  const closed = ticket({ status: 'closed' });
  const late = await patch(closed.id, 'supervisor', { title: '改' });
  t.equal(late.statusCode, 409);
  t.match(late.json().message, /reopen/);
  const elsewhere = ticket({ status: 'routed', assignedStreet: 's1' });
  t.equal((await patch(elsewhere.id, 'street_seat2', { title: '改' })).statusCode, 404, "another street's ticket does not exist for them");
  t.equal((await patch(999_999, 'supervisor', { title: '改' })).statusCode, 404);
  for (const tk of [open, closed, elsewhere]) t.same(get(tk.id), tk, `ticket ${tk.id} unchanged`);

  // the street seat the ticket is routed to may record what it found
  const fixed = await patch(elsewhere.id, 'street_seat', { address: '漕河泾街道 宜山路 700 号' });
  t.equal(fixed.statusCode, 200, fixed.body);
  t.equal(get(elsewhere.id).address, '漕河泾街道 宜山路 700 号');
});
