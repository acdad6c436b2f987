import t from 'tap';
import { decodeArgs, encodeArgs, inboundOf } from '../../src/calls/app-args.js';
import type { Channel } from '../../src/ari/index.js';

t.test('Stasis args: what is encoded decodes the same', async (t) => {
  for (const a of [
    { kind: 'inbound', source: 'phone' },
    { kind: 'inbound', source: '12345' },
    { kind: 'seat', callId: 'c1', seatId: '1001', transfer: false, recorded: false },
    { kind: 'seat', callId: 'c1', seatId: 'number:021', transfer: true, recorded: false },
    { kind: 'seat', callId: 'c1', seatId: '1001', transfer: false, recorded: true },
    { kind: 'seat', callId: 'c1', seatId: 'number:021', transfer: true, recorded: true },
    { kind: 'snoop', listenId: 'l1' },
    { kind: 'listen', listenId: 'l1' },
  ] as const) {
    t.same(decodeArgs(encodeArgs(a).split(',')), a, encodeArgs(a));
  }
  t.same(decodeArgs(['seat']), { kind: 'unknown' }, 'incomplete args are unknown, not guessed');
  t.same(decodeArgs([]), { kind: 'unknown' });
});

t.test('a citizen channel in GET /channels is recognised by its dialplan Stasis(app,inbound,source)', async (t) => {
  const ch = (app_name: string, app_data: string) => ({ dialplan: { context: 'c', exten: '962200', priority: 1, app_name, app_data } }) as Channel;
  t.same(inboundOf(ch('Stasis', 'hotline,inbound,12345'), 'hotline'), { kind: 'inbound', source: '12345' });
  t.equal(inboundOf(ch('Stasis', 'other,inbound,phone'), 'hotline'), null, 'another app');
  t.equal(inboundOf(ch('Queue', 'hotline-fallback'), 'hotline'), null, 'the fallback queue');
  t.equal(inboundOf(ch('Stasis', 'hotline,seat,c1,1001'), 'hotline'), null, 'a seat leg');
});
