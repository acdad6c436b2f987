import t from 'tap';
import { citizen, fastQueues, ticketOf } from '../helpers/calls.js';
import { ensureAsterisk, placeCall, startHotline } from '../helpers/telephony.js';

ensureAsterisk();

t.test('IVR: each top-level choice lands in its queue with its category (barge-in during the welcome)', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const choices = [
    { digits: '12', queue: 'consultation', category: 'consultation', subcategory: 'social_welfare' },
    { digits: '14', queue: 'consultation', category: 'consultation', subcategory: 'marriage' },
    { digits: '23', queue: 'community_life', category: 'community_life', subcategory: 'housekeeping' },
    { digits: '3', queue: 'complaint', category: 'complaint', subcategory: null },
    { digits: '9', queue: 'operator', category: 'other', subcategory: null, kind: 'emergency' },
    { digits: '0', queue: 'operator', category: 'other', subcategory: null },
  ];
  const callers = choices.map(() => citizen());
  // digits go in 1 s into the 26 s welcome: only barge-in gets them queued in time
  const results = await Promise.all(choices.map((c, i) => placeCall({ from: callers[i], steps: [{ pause: 1000 }, { dtmf: c.digits }, { pause: 2500 }] })));
  for (const r of results) t.equal(r.code, 0, 'call ok');
  for (const [i, c] of choices.entries()) {
    const ticket = await ticketOf(h, callers[i]);
    t.equal(ticket.call.queue, c.queue, `${c.digits} -> queue ${c.queue}`);
    t.equal(ticket.category, c.category);
    t.equal(ticket.subcategory, c.subcategory);
    if (c.kind) t.equal(ticket.kind, c.kind);
    t.ok(ticket.call.enqueuedAt, 'enqueued');
    const toQueue = Date.parse(ticket.call.enqueuedAt) - Date.parse(ticket.call.answeredAt);
    t.ok(toQueue < 8000, `queued ${toQueue} ms after answer, long before the welcome ends`);
    t.equal(ticket.call.outcome, 'abandoned', 'hung up while waiting');
    t.equal(ticket.needsCallback, true, 'abandoned -> callback');
  }
});

t.test('IVR: invalid digits three times go to the operator queue', async (t) => {
  const h = await startHotline({ env: fastQueues });
  t.teardown(h.close);
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 800 }, { dtmf: '7' }, { pause: 800 }, { dtmf: '8' }, { pause: 800 }, { dtmf: '#' }, { pause: 2500 }] });
  t.equal(r.code, 0);
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.queue, 'operator');
  t.equal(ticket.category, 'other');
  t.equal(ticket.call.ivrPath, 'main:7>main:8>main:#');
});

t.test('IVR: no input three times goes to the operator queue', async (t) => {
  const h = await startHotline({ env: { ...fastQueues, IVR_CONFIG: new URL('../fixtures/ivr-short.json', import.meta.url).pathname } });
  t.teardown(h.close);
  const caller = citizen();
  const r = await placeCall({ from: caller, steps: [{ pause: 22_000 }] });
  t.equal(r.code, 0);
  const ticket = await ticketOf(h, caller);
  t.equal(ticket.call.queue, 'operator');
  t.equal(ticket.call.ivrPath, 'main:->main:->main:-');
});

