// Fault drill (issue #7): garbage on /ws/supervisor?token= over a real port. Whatever a
// bad client does (bad tokens, oversized frames, invalid UTF-8, protocol junk, floods,
// vanishing, never reading), the server stays up, a good supervisor client connected all
// along still gets every update sent after the bad act, and the bad client is closed
// with a code that says why: 4401/4403 (the app's, see src/stats/supervisor-ws.ts),
// 1002 protocol error, 1007 invalid UTF-8, 1009 too big (maxPayload 4096), or dropped.
// test/stats/supervisor-ws.test.ts covers the normal behaviour.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import net from 'node:net';
import { createHmac, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { makeApp } from '../helpers/app.js';

const RUNS = Number(process.env.FAULT_RUNS ?? 40);

type Msg = { type: string; [k: string]: unknown };

/** A ws client that keeps what it receives; `closed` resolves with the close code, or the HTTP status of a refused upgrade. */
function client(url: string, opts: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url, opts);
  const messages: Msg[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(String(d)));
    for (const w of waiters) w();
  });
  ws.on('error', () => undefined); // the close code tells us what happened
  const closed = new Promise<{ code: number; http?: number }>((resolve) => {
    ws.once('close', (code) => resolve({ code }));
    ws.once('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      resolve({ code: -1, http: res.statusCode });
    });
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    void closed.then((c) => reject(new Error(`not opened: ${JSON.stringify(c)}`)));
  });
  opened.catch(() => undefined); // refused clients are awaited through `closed`
  /** the next message matching `pick`, within ms */
  const next = (pick: (m: Msg) => boolean, ms = 3000) =>
    new Promise<Msg>((resolve, reject) => {
      const check = () => {
        const i = messages.findIndex(pick);
        if (i < 0) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(messages.splice(i, 1)[0]);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message within ${ms} ms`));
      }, ms);
      waiters.add(check);
      check();
    });
  return { ws, messages, opened, closed, next };
}

/** A raw TCP client that does the websocket handshake by hand, then writes whatever bytes it is given. */
async function rawClient(port: number, path: string) {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => undefined);
  let buf = Buffer.alloc(0);
  let handshake: ((status: number) => void) | null = null;
  const upgraded = new Promise<number>((resolve) => (handshake = resolve));
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    const end = buf.indexOf('\r\n\r\n');
    if (handshake && end >= 0) {
      handshake(Number(/^HTTP\/1\.1 (\d+)/.exec(buf.subarray(0, end).toString())?.[1] ?? 0));
      handshake = null;
      buf = buf.subarray(end + 4);
    }
  });
  const ended = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const status = await upgraded;
  /** the server's close code (from its close frame), null if it dropped the line without one, or 'open' after ms */
  const closeCode = async (ms = 2000): Promise<number | null | 'open'> => {
    const timer = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), ms));
    if ((await Promise.race([ended, timer])) === 'open') return 'open';
    // server frames are unmasked: walk them and find the close frame (opcode 8)
    for (let i = 0; i + 2 <= buf.length; ) {
      const opcode = buf[i] & 0x0f;
      let len = buf[i + 1] & 0x7f;
      let at = i + 2;
      if (len === 126) (len = buf.readUInt16BE(at)), (at += 2);
      else if (len === 127) (len = Number(buf.readBigUInt64BE(at))), (at += 8);
      if (opcode === 8) return len >= 2 ? buf.readUInt16BE(at) : 1005;
      i = at + len;
    }
    return null;
  };
  return { sock, status, closeCode, end: () => sock.destroy(), ended };
}

/** A client frame: masked, as RFC 6455 requires of clients (unless `masked` is false). */
function frame(opcode: number, payload: Buffer, { fin = true, rsv = 0, masked = true, fakeLength }: { fin?: boolean; rsv?: number; masked?: boolean; fakeLength?: bigint } = {}) {
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const m = masked ? 0x80 : 0;
  const ext: Buffer[] = [];
  if (fakeLength !== undefined) {
    head.push(m | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(fakeLength);
    ext.push(b);
  } else if (payload.length < 126) head.push(m | payload.length);
  else if (payload.length < 65536) {
    head.push(m | 126);
    const b = Buffer.alloc(2);
    b.writeUInt16BE(payload.length);
    ext.push(b);
  } else {
    head.push(m | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(payload.length));
    ext.push(b);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ...ext, payload]);
  const key = randomBytes(4);
  return Buffer.concat([Buffer.from(head), ...ext, key, Buffer.from(payload.map((x, i) => x ^ key[i % 4]))]);
}

function hs256(payload: object, secret: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

t.test('garbage on /ws/supervisor: the server stays up and keeps serving a good client', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const { app } = h;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as net.AddressInfo).port;
  const base = `ws://127.0.0.1:${port}/ws/supervisor`;
  const supervisorToken = h.token({ role: 'supervisor', name: 'sup', userId: 1 });
  const good = `${base}?token=${supervisorToken}`;

  // the good client, connected through everything below
  const wall = client(good);
  await wall.opened;
  await wall.next((m) => m.type === 'snapshot');
  let alerts = 0;
  /** an emergency alert now: the good client must get it, whatever happened just before */
  const stillServed = async (t: Test, what: string) => {
    const ticketId = 1_000_000 + ++alerts;
    app.services.bus.emit('emergency', { ticketId, callId: null, callerNumber: null, at: Date.now(), summary: `after ${what}` });
    const m = await wall.next((x) => x.type === 'emergency' && x.ticketId === ticketId);
    t.equal(m.summary, `after ${what}`, `the wallboard still gets updates after ${what}`);
  };

  t.test('bad, expired, forged and foreign tokens are closed 4401, other roles 4403', async (t) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 1, username: 'sup', role: 'supervisor', street: null, departmentId: null, seatId: null };
    const cases: Array<[string, string, number]> = [
      ['no token', base, 4401],
      ['an empty token', `${base}?token=`, 4401],
      ['garbage', `${base}?token=garbage`, 4401],
      ['a forged signature', `${base}?token=${hs256({ ...claims, iat: now }, 'guessed-secret')}`, 4401],
      ['an expired token', `${base}?token=${hs256({ ...claims, iat: now - 86_400, exp: now - 60 }, app.services.config.jwtSecret)}`, 4401],
      ['alg none', `${base}?token=${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`, 4401],
      // a well-signed token whose claims do not match its user row (role, version) is not that user's
      ['a token with a role no one has', `${base}?token=${hs256({ ...claims, role: 'root', iat: now }, app.services.config.jwtSecret)}`, 4401],
      ['a token cut short', `${base}?token=${supervisorToken.slice(0, -5)}`, 4401],
      ...(['operator', 'street_seat', 'department', 'inspector', 'integration'] as const).map((role): [string, string, number] => [`role ${role}`, `${base}?token=${h.token({ role })}`, 4403]),
    ];
    for (const [what, url, code] of cases) {
      const c = client(url);
      const closed = await c.closed;
      t.equal(closed.code, code, what);
      t.equal(c.messages.length, 0, `${what}: not one message`);
    }
    // ?token= twice fails the route's querystring schema: refused before the upgrade
    const twice = client(`${base}?token=${supervisorToken}&token=${supervisorToken}`);
    t.equal((await twice.closed).http, 400, 'two tokens: 400');
    // a token in the Authorization header instead of ?token= is not how the wallboard logs in
    const header = client(base, { headers: { authorization: `Bearer ${supervisorToken}` } });
    t.equal((await header.closed).code, 4401, 'the token goes in ?token=');
    // a token too big for the HTTP head is refused before any websocket
    const huge = client(`${base}?token=${'x'.repeat(20_000)}`);
    t.equal((await huge.closed).http, 431, 'a 20 kB token: 431 Request Header Fields Too Large');
    // a refused client that sends before it reads its close frame changes nothing
    const pushy = client(`${base}?token=${h.token({ role: 'operator' })}`);
    pushy.ws.once('open', () => {
      pushy.ws.send(Buffer.alloc(10_000));
      pushy.ws.send('junk');
    });
    t.ok([4403, 1009, 1006].includes((await pushy.closed).code), 'an operator sending junk while refused is closed');
    await stillServed(t, 'bad tokens');
  });

  t.test('frames a client must not send', async (t) => {
    const cases: Array<[string, (c: ReturnType<typeof client>) => void, number[]]> = [
      // maxPayload is 4096: ws closes with 1009 Message Too Big
      ['a 5000-byte text frame', (c) => c.ws.send('x'.repeat(5000)), [1009]],
      ['a 1 MB binary frame', (c) => c.ws.send(randomBytes(1 << 20)), [1009]],
      ['a message fragmented past maxPayload', (c) => {
        c.ws.send('a'.repeat(3000), { fin: false });
        c.ws.send('b'.repeat(3000), { fin: true });
      }, [1009]],
      // text frames must be UTF-8: 1007 Invalid Frame Payload Data
      ['invalid UTF-8 in a text frame', (c) => c.ws.send(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28]), { binary: false }), [1007]],
      ['a lone surrogate encoded in a text frame', (c) => c.ws.send(Buffer.from([0xed, 0xa0, 0x80]), { binary: false }), [1007]],
    ];
    for (const [what, act, codes] of cases) {
      const c = client(good);
      await c.opened;
      await c.next((m) => m.type === 'snapshot');
      act(c);
      const { code } = await c.closed;
      // 1006: the server may drop the line before its close frame gets out
      t.ok([...codes, 1006].includes(code), `${what}: closed ${code}`);
      await stillServed(t, what);
    }
  });

  t.test('what a client may send is ignored: binary junk, JSON, a flood', async (t) => {
    const c = client(good);
    await c.opened;
    await c.next((m) => m.type === 'snapshot');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.string({ unit: 'binary', maxLength: 1000 }), fc.json().map((j) => j.slice(0, 4096))), async (data) => {
        c.ws.send(data);
      }),
      { numRuns: RUNS * 5 },
    );
    // thousands of messages as fast as the client can write them
    for (let i = 0; i < 5000; i++) c.ws.send(i % 2 ? `{"type":"subscribe","n":${i}}` : randomBytes(64));
    const started = Date.now();
    t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'HTTP answers during the flood');
    await stillServed(t, 'a flood of 5000 messages');
    t.ok(Date.now() - started < 3000, 'and promptly');
    t.equal(c.ws.readyState, WebSocket.OPEN, 'a client that only talks is not punished: clients only listen, and what they send is dropped');
    const late = await c.next((m) => m.type === 'emergency');
    t.equal(late.summary, 'after a flood of 5000 messages', 'the flooding client got the alert too');
    c.ws.close(1000);
    t.equal((await c.closed).code, 1000);
  });

  t.test('protocol junk on the raw socket after a good handshake', async (t) => {
    const junk: Array<[string, Buffer, number[]]> = [
      ['an unmasked client frame', frame(1, Buffer.from('{}'), { masked: false }), [1002]],
      ['RSV1 set without an extension', frame(1, Buffer.from('hi'), { rsv: 4 }), [1002]],
      ['a reserved opcode', frame(3, Buffer.from('hi')), [1002]],
      ['a ping longer than 125 bytes', frame(9, Buffer.alloc(200)), [1002]],
      ['a fragmented ping', frame(9, Buffer.from('hi'), { fin: false }), [1002]],
      ['a continuation with nothing to continue', frame(0, Buffer.from('hi')), [1002]],
      ['a length of 2^63-1', frame(2, Buffer.alloc(0), { fakeLength: 2n ** 63n - 1n }), [1009, 1002]],
      ['a close frame with a 1-byte payload', frame(8, Buffer.from([3])), [1002]],
      ['a close frame with an invalid code', frame(8, Buffer.from([0x03, 0xe7])), [1002]], // 999
      ['HTTP again, as if the upgrade had not happened', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), [1002, 1009]],
    ];
    for (const [what, bytes, codes] of junk) {
      const r = await rawClient(port, `/ws/supervisor?token=${supervisorToken}`);
      t.equal(r.status, 101, `${what}: upgraded`);
      r.sock.write(bytes);
      const code = await r.closeCode();
      t.ok(code === null || codes.includes(code as number), `${what}: closed ${code}`);
      r.end();
      await stillServed(t, what);
    }

    // and random bytes: any close must carry a protocol code; a half frame may just wait
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const r = await rawClient(port, `/ws/supervisor?token=${supervisorToken}`);
        r.sock.write(bytes);
        const code = await r.closeCode(300);
        seen[String(code)] = (seen[String(code)] ?? 0) + 1;
        r.end();
        if (!(code === 'open' || code === null || [1000, 1002, 1005, 1007, 1009].includes(code))) throw new Error(`closed ${code} after ${Buffer.from(bytes).toString('hex')}`);
      }),
      { numRuns: RUNS },
    );
    t.comment(`random bytes, how the server ended it: ${JSON.stringify(seen)}`);
    await stillServed(t, 'random bytes on raw sockets');
  });

  t.test('clients that vanish or never read', async (t) => {
    // gone without a close frame, mid-handshake and mid-stream
    const r = await rawClient(port, `/ws/supervisor?token=${supervisorToken}`);
    r.sock.write(frame(1, Buffer.from('half a'), { fin: false }).subarray(0, 5));
    r.sock.destroy();
    const half = net.connect(port, '127.0.0.1', () => half.end('GET /ws/supervisor?token=x HTTP/1.1\r\nUpgrade: websocket\r\n'));
    half.on('error', () => undefined);
    await stillServed(t, 'clients vanishing');

    // a supervisor screen that stops reading: once more than 1 MiB waits for it, it is
    // dropped instead of holding memory and slowing the others
    const slow = await rawClient(port, `/ws/supervisor?token=${supervisorToken}`);
    t.equal(slow.status, 101);
    slow.sock.pause();
    const big = 'x'.repeat(200_000);
    for (let i = 0; i < 100; i++) {
      app.services.bus.emit('emergency', { ticketId: 2_000_000 + i, callId: null, callerNumber: null, at: Date.now(), summary: big });
      await new Promise((resolve) => setImmediate(resolve));
    }
    // the good client reads all 20 MB; the slow one is cut off
    await wall.next((m) => m.type === 'emergency' && m.ticketId === 2_000_099, 10_000);
    wall.messages.splice(0);
    slow.sock.resume();
    await Promise.race([slow.ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    t.ok(slow.sock.destroyed || slow.sock.readableEnded, 'the client that did not read was dropped');
    await stillServed(t, 'a client that never read');
  });

  t.test('after all that', async (t) => {
    const fresh = client(good);
    await fresh.opened;
    t.ok(await fresh.next((m) => m.type === 'snapshot'), 'a new supervisor gets its snapshot');
    fresh.ws.close();
    t.equal(wall.ws.readyState, WebSocket.OPEN, 'the first good client never lost its connection');
    t.equal((await app.inject({ method: 'GET', url: '/ws/supervisor' })).statusCode < 500, true, 'a plain GET (no upgrade) is no 5xx');
  });

  t.teardown(() => wall.ws.terminate());
});
