import t from 'tap';
import { CALL_EVENTS, CALL_STATES, TRANSITIONS, decide, type CallState } from '../../src/calls/call-state.js';

// The table itself: every event from every state either moves the call where the
// table says or is refused with a reason, and the guards hold.

t.test('every (state, event) pair: allowed exactly where the table says', async (t) => {
  for (const state of CALL_STATES) {
    for (const event of CALL_EVENTS) {
      const tr = TRANSITIONS[event] as { from: readonly CallState[]; to: CallState };
      const d = decide({ state, legId: 'leg-1' }, event, { legId: 'leg-1', digit: '1' });
      const allowed = tr.from.includes(state);
      if (event === 'seat_offered') {
        // guarded: never while a seat leg is out
        t.equal(d.ok, false, `${state} -[${event}]-> refused while a leg is out`);
        const free = decide({ state, legId: null }, event);
        t.equal(free.ok, tr.from.includes(state), `${state} -[${event}]-> ${free.ok ? 'ok' : 'refused'} with no leg`);
        continue;
      }
      t.equal(d.ok, allowed, `${state} -[${event}]-> ${allowed ? tr.to : 'refused'}`);
      if (d.ok) t.equal(d.to, tr.to);
      else t.ok(d.reason.length > 0, 'a refusal says why');
    }
  }
});

t.test('nothing leaves ended; everything live can end', async (t) => {
  for (const event of CALL_EVENTS) t.equal(decide({ state: 'ended', legId: null }, event).ok, false, `ended -[${event}]-> refused`);
  for (const state of CALL_STATES.filter((s) => s !== 'ended')) {
    t.same(decide({ state, legId: null }, 'hung_up'), { ok: true, to: 'ended' });
    t.same(decide({ state, legId: null }, 'cut'), { ok: true, to: 'ended' });
  }
});

t.test('guards: the seat-leg events name the leg of this call; the callback needs a 1', async (t) => {
  for (const event of ['seat_ringing', 'seat_answered', 'seat_missed'] as const) {
    t.equal(decide({ state: 'offering', legId: 'a' }, event, { legId: 'b' }).ok, false, `${event} of another leg is refused`);
    t.equal(decide({ state: 'offering', legId: 'a' }, event, { legId: 'a' }).ok, true, `${event} of this leg moves the call`);
  }
  t.equal(decide({ state: 'connected', legId: 'a' }, 'seat_left', { legId: 'old' }).ok, false, 'a replaced seat leaving does not start the survey');
  t.equal(decide({ state: 'callback_offer', legId: null }, 'callback_accepted', { digit: '2' }).ok, false);
  // screening: only a 1 from this call's leg puts the far end through
  t.equal(decide({ state: 'screening', legId: 'a' }, 'screening_accepted', { legId: 'a', digit: '2' }).ok, false, 'another key does not accept');
  t.equal(decide({ state: 'screening', legId: 'a' }, 'screening_accepted', { legId: 'b', digit: '1' }).ok, false, 'a 1 from another leg does not accept');
  t.same(decide({ state: 'screening', legId: 'a' }, 'screening_accepted', { legId: 'a', digit: '1' }), { ok: true, to: 'connected' });
  for (const event of ['screening_declined', 'screening_missed'] as const) t.same(decide({ state: 'screening', legId: 'a' }, event, { legId: 'a' }), { ok: true, to: 'queued' }, `${event}: the next seat`);
  t.equal(decide({ state: 'ringing', legId: 'a' }, 'seat_answered', { legId: 'a' }).ok, true, 'an unscreened seat connects at once');
  t.same(decide({ state: 'callback_offer', legId: null }, 'callback_accepted', { digit: '1' }), { ok: true, to: 'leaving' });
});

t.test('every state is reachable and every state but ended can be left', async (t) => {
  const reach = new Set<CallState>(['ivr']);
  for (let changed = true; changed; ) {
    changed = false;
    for (const tr of Object.values(TRANSITIONS) as Array<{ from: readonly CallState[]; to: CallState }>) {
      if (tr.from.some((f) => reach.has(f)) && !reach.has(tr.to)) {
        reach.add(tr.to);
        changed = true;
      }
    }
  }
  t.same([...reach].sort(), [...CALL_STATES].sort(), 'all reachable from the IVR');
  const leavable = new Set((Object.values(TRANSITIONS) as Array<{ from: readonly CallState[]; to: CallState }>).flatMap((tr) => tr.from.filter((f) => f !== tr.to)));
  t.same([...leavable].sort(), CALL_STATES.filter((s) => s !== 'ended').sort());
});
