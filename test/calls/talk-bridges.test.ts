import t, { type Test as Tap } from 'tap';
import { TalkBridges } from '../../src/calls/talk-bridges.js';
import { AsteriskDouble } from './asterisk-double.js';
import { callLab, connectedCall, fastCallflow, type Lab } from './harness.js';

// Talk bridges are kept between calls (src/calls/talk-bridges.ts): a bridge is taken
// again only once both its channels are out, oldest idle first.

/** a caller and a seat leg in the app, as the double has them */
/** a caller in Stasis and a seat leg that answered, not yet bridged */
function pair(ari: AsteriskDouble, n: number): [string, string] {
  const caller = ari.dial(`1380000${String(n).padStart(4, '0')}`)!;
  inStasis(ari, `leg-${n}`);
  return [caller, `leg-${n}`];
}

/** the double with a channel `id` in Stasis (a seat leg that answered) */
function inStasis(ari: AsteriskDouble, id: string): void {
  ari.channels.set(id, { id, state: 'Up', caller: { number: '', name: '' }, args: ['seat'], vars: new Map(), endpoint: 'PJSIP/1001', createdAt: Date.now() });
}

t.test('a bridge is made once, kept empty after the call and taken again by the next', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  const [c1, l1] = pair(ari, 1);
  const b1 = await talk.connect(c1, l1, 'call 1');
  t.match(b1, /^talk-/);
  t.same(ari.bridges.get(b1)?.channels, [c1, l1]);
  t.equal(talk.partnerOf(c1), l1, 'the caller talks with the leg');
  t.equal(talk.bridgeOf(l1), b1);
  talk.left(c1);
  t.same(talk.counts, { idle: 0, inUse: 1 }, 'the leg is still in it: not idle');
  talk.left(l1);
  t.same(talk.counts, { idle: 1, inUse: 0 }, 'both out: idle');
  talk.left(l1);
  t.same(talk.counts, { idle: 1, inUse: 0 }, 'a second leave of the same channel changes nothing');

  const [c2, l2] = pair(ari, 2);
  t.equal(await talk.connect(c2, l2, 'call 2'), b1, 'the kept bridge');
  t.equal([...ari.bridges.keys()].filter((b) => b.startsWith('talk-')).length, 1, 'no second bridge made');
});

t.test('a bridge one channel is still in is never handed to another call', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  const [c1, l1] = pair(ari, 1);
  const [c2, l2] = pair(ari, 2);
  const b1 = await talk.connect(c1, l1, 'call 1');
  talk.left(c1);
  const b2 = await talk.connect(c2, l2, 'call 2');
  t.not(b2, b1, 'a new bridge while the first seat is still in the first');
  t.same(ari.bridges.get(b2)?.channels, [c2, l2]);
});

t.test('idle bridges are taken oldest first, so one just emptied waits longest', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  const ids: string[] = [];
  const pairs = [1, 2, 3].map((n) => pair(ari, n));
  for (const [c, l] of pairs) {
    ids.push(await talk.connect(c, l, 'call'));
  }
  for (const [c, l] of [pairs[1], pairs[0], pairs[2]]) {
    talk.left(c);
    talk.left(l);
  }
  const next = pair(ari, 4);
  t.equal(await talk.connect(...next, 'call 4'), ids[1], 'the first emptied');
});

t.test('a kept bridge Asterisk no longer has (404) is dropped and the next one used', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  const [c1, l1] = pair(ari, 1);
  const b1 = await talk.connect(c1, l1, 'call 1');
  talk.left(c1);
  talk.left(l1);
  await ari.destroyBridge(b1);
  const [c2, l2] = pair(ari, 2);
  const b2 = await talk.connect(c2, l2, 'call 2');
  t.not(b2, b1);
  t.same(ari.bridges.get(b2)?.channels, [c2, l2], 'connected in a new bridge');
  t.same(talk.counts, { idle: 0, inUse: 1 }, 'the lost bridge is forgotten');
});

t.test('a refused add (a channel gone) leaves nothing half-kept', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  const [c1] = pair(ari, 1);
  await t.rejects(talk.connect(c1, 'leg-gone', 'call 1'));
  t.equal(talk.bridgeOf(c1), undefined);
  t.same(talk.counts, { idle: 0, inUse: 0 });
});

t.test('adopt after a restart: a bridge with channels is in use, an empty one idle', async (t) => {
  const ari = new AsteriskDouble();
  const talk = new TalkBridges(ari);
  talk.adopt('talk-a', ['caller-a', 'leg-a']);
  talk.adopt('talk-b', []);
  talk.adopt('talk-b', []);
  t.same(talk.counts, { idle: 1, inUse: 1 });
  t.equal(talk.partnerOf('caller-a'), 'leg-a');
});

async function oneCall(t: Tap, lab: Lab, n: number): Promise<string> {
  const { id, leg } = await connectedCall(lab, `1390000${String(n).padStart(4, '0')}`);
  const bridge = lab.ari.bridgeOf(id)!;
  t.same([...bridge.channels].sort(), [id, leg].sort(), 'caller and seat only');
  lab.ari.hangUp(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  return bridge.id;
}

t.test('calls one after another through whole calls: one talk bridge, never destroyed', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }], callflow: fastCallflow((c) => (c.queues.seats.wrapUpSeconds = 0.001)) });
  t.teardown(lab.close);
  const used = new Set<string>();
  for (let i = 0; i < 5; i++) used.add(await oneCall(t, lab, i));
  t.equal(used.size, 1, 'the same bridge for every call');
  t.same(lab.ari.bridges.get([...used][0])?.channels, [], 'empty between calls');
});

t.test('the seat hangs up first: the caller is taken out for the rating, and the bridge is idle again', async (t) => {
  const lab = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  t.teardown(lab.close);
  const { id, leg } = await connectedCall(lab, '13900009999');
  const bridge = lab.ari.bridgeOf(id)!.id;
  lab.ari.hangUp(leg);
  await lab.until('asked for a rating', () => lab.calls.query.get(id)?.state === 'survey');
  await lab.until('the caller out of the talk bridge', () => !lab.ari.bridges.get(bridge)?.channels.includes(id));
  t.same(lab.calls.core.talk.counts, { idle: 1, inUse: 0 });
});

t.test('a restart while talking: the call goes on in its bridge, which is reused after', async (t) => {
  const first = await callLab({ seats: [{ id: '1001', state: 'ready' }] });
  const { id, leg } = await connectedCall(first, '13900008888');
  const bridge = first.ari.bridgeOf(id)!.id;
  const lab = await first.restartServer();
  t.teardown(lab.close);
  t.equal(lab.calls.query.get(id)?.state, 'connected', 'still talking');
  t.equal(lab.calls.core.talk.partnerOf(id), leg, 'the bridge adopted with both in it');
  lab.ari.hangUp(id);
  await lab.until('ended', () => !lab.calls.query.get(id));
  await lab.until('idle again', () => lab.calls.core.talk.counts.idle === 1);
  t.equal(await oneCall(t, lab, 77), bridge, 'the next call talks in the same bridge');
});
