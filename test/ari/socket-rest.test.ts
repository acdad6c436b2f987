import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { WebSocketServer, type WebSocket } from 'ws';
import { AriClient, AriError } from '../../src/ari/index.js';

// ARI's REST requests over websocket lanes, against a stand-in for Asterisk that speaks
// its RESTRequest/RESTResponse protocol on /ari/events and plain HTTP everywhere else.
// The real Asterisk answers the same way (test/e2e/* run every call over the lanes).

interface Seen {
  via: 'socket' | 'http';
  app?: string;
  method: string;
  uri: string;
  body?: unknown;
}

interface FakeAsterisk {
  url: string;
  seen: Seen[];
  sockets: Map<string, WebSocket>;
  /** answers RESTRequests (false: ignores them, as an Asterisk before 22.4 does) */
  answers: boolean;
  /** requests held unanswered while true */
  hold: boolean;
  /** answers the held requests, in order */
  release(): void;
  close(): Promise<void>;
}

async function fakeAsterisk(t: Test): Promise<FakeAsterisk> {
  const seen: Seen[] = [];
  const sockets = new Map<string, WebSocket>();
  const held: Array<() => void> = [];
  const fake = { seen, sockets, answers: true, hold: false } as FakeAsterisk;
  fake.release = () => held.splice(0).forEach((send) => send());
  const reply = (uri: string, method: string): { status: number; body?: unknown } => {
    if (uri.startsWith('asterisk/ping')) return { status: 200, body: { ping: 'pong' } };
    if (uri.startsWith('channels/gone')) return { status: 404, body: { message: 'Channel not found' } };
    if (method === 'DELETE') return { status: 204 };
    return { status: 200, body: { id: uri.split('?')[0].split('/')[1] ?? '', method } };
  };
  const http: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const uri = (req.url ?? '').replace(/^\/ari\//, '');
      seen.push({ via: 'http', method: req.method!, uri, body: raw ? JSON.parse(raw) : undefined });
      const r = reply(uri, req.method!);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const app = new URL(req.url!, 'http://x').searchParams.get('app')!;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(app, ws);
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { type: string; request_id: string; method: string; uri: string; content_type?: string; message_body?: string };
        if (m.type !== 'RESTRequest' || !fake.answers) return;
        seen.push({ via: 'socket', app, method: m.method, uri: m.uri, body: m.message_body ? JSON.parse(m.message_body) : undefined });
        const r = reply(m.uri, m.method);
        const send = () =>
          ws.send(JSON.stringify({ type: 'RESTResponse', transaction_id: '', request_id: m.request_id, status_code: r.status, reason_phrase: 'x', uri: m.uri, ...(r.body === undefined ? {} : { content_type: 'application/json', message_body: JSON.stringify(r.body) }) }));
        if (fake.hold) held.push(send);
        else send();
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  t.teardown(() => fake.close());
  return fake;
}

async function until(what: string, fn: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** a uri with its path and query decoded as Asterisk decodes them */
function readable(uri: string): string {
  const [path, query] = uri.split('?');
  const q = query === undefined ? '' : `?${[...new URLSearchParams(query)].map(([k, v]) => `${k}=${v}`).join('&')}`;
  return decodeURIComponent(path) + q;
}

function client(t: Test, url: string, restLanes: number, timeoutMs = 5000): AriClient {
  const c = new AriClient({ url, user: 'u', password: 'p', app: 'hotline', restLanes, timeoutMs });
  c.start();
  t.teardown(() => c.stop());
  return c;
}

t.test('requests go over the lanes once Asterisk answers there: paths, query strings and bodies as over HTTP', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 2);
  await until('both lanes open', () => c.restLanesOpen === 2);
  t.ok(fake.sockets.has('hotline-rest-1') && fake.sockets.has('hotline-rest-2'), 'each lane registers an app of its own');
  fake.seen.length = 0;

  const ch = await c.rest.originate({ endpoint: 'PJSIP/1001', channelId: 'leg-1', appArgs: 'seat,c1', timeout: 30, callerId: '张三 <138>', variables: { HOTLINE_CALL: 'c1' } });
  t.same(ch, { id: '', method: 'POST' }, 'the answer body is parsed');
  await c.rest.play('ch 1', 'pb+1', ['sound:hotline/welcome', 'digits:12'], 'zh');
  await c.rest.hangup('gone-1');
  const err = await c.rest.getChannel('gone-2').catch((e: unknown) => e);
  t.ok(err instanceof AriError && err.status === 404 && /Channel not found/.test(err.message), "a 404 is an AriError with Asterisk's message");

  t.same(
    fake.seen.map((s) => ({ via: s.via, method: s.method, uri: readable(s.uri), body: s.body })),
    [
      { via: 'socket', method: 'POST', uri: 'channels?endpoint=PJSIP/1001&app=hotline&appArgs=seat,c1&channelId=leg-1&timeout=30&callerId=张三 <138>', body: { variables: { HOTLINE_CALL: 'c1' } } },
      { via: 'socket', method: 'POST', uri: 'channels/ch 1/play/pb+1?media=sound:hotline/welcome&media=digits:12&lang=zh', body: undefined },
      { via: 'socket', method: 'DELETE', uri: 'channels/gone-1?reason=normal', body: undefined },
      { via: 'socket', method: 'GET', uri: 'channels/gone-2', body: undefined },
    ],
    'every request went over a lane, encoded as the HTTP request line would be',
  );
  t.ok(fake.seen.every((s) => !s.uri.startsWith('/')), 'uris are relative to /ari');
});

t.test('with no lane open, or lanes off, requests go over HTTP', async (t) => {
  const fake = await fakeAsterisk(t);
  const off = client(t, fake.url, 0);
  await off.rest.answer('c1');
  t.same(fake.seen.at(-1), { via: 'http', method: 'POST', uri: 'channels/c1/answer', body: undefined }, 'ARI_REST_LANES=0: HTTP');

  // an Asterisk older than REST over websocket ignores the request: the lane is never used
  fake.answers = false;
  const old = client(t, fake.url, 1);
  await until('lane connected', () => fake.sockets.has('hotline-rest-1'));
  await old.rest.answer('c2');
  t.equal(old.restLanesOpen, 0, 'an unanswered ping leaves the lane unused');
  t.same(fake.seen.at(-1), { via: 'http', method: 'POST', uri: 'channels/c2/answer', body: undefined }, 'the request went over HTTP');
});

t.test('a lane that closes fails its waiting requests at once; later ones go over the others or HTTP', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 1);
  await until('lane open', () => c.restLanesOpen === 1);
  fake.hold = true;
  const waiting = c.rest.answer('c1');
  await until('request sent', () => fake.seen.some((s) => s.uri === 'channels/c1/answer'));
  fake.sockets.get('hotline-rest-1')!.terminate();
  await t.rejects(waiting, /closed before the answer/, 'the request fails as over a dead HTTP socket');
  await until('lane closed', () => c.restLanesOpen === 0);
  fake.hold = false;
  fake.seen.length = 0;
  await c.rest.answer('c2');
  t.equal(fake.seen[0]?.via, 'http', 'with the lane down, HTTP carries the request');
  await until('lane back', () => c.restLanesOpen === 1);
  await c.rest.answer('c3');
  t.equal(fake.seen.at(-1)?.via, 'socket', 'the lane reconnects and is proven again');
});

t.test('a request Asterisk does not answer fails after the timeout, and a late answer is dropped', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 1, 200);
  await until('lane open', () => c.restLanesOpen === 1);
  fake.hold = true;
  await t.rejects(c.rest.answer('c1'), /no answer over the websocket within 200 ms/);
  fake.hold = false;
  fake.release();
  await new Promise((r) => setTimeout(r, 50));
  t.same(await c.rest.getChannel('c2'), { id: 'c2', method: 'GET' }, 'the late answer is dropped and the lane still works');
  t.equal(fake.seen.at(-1)?.via, 'socket', 'over the lane');
});

t.test('a lane carries one request at a time: with every lane busy the request goes over HTTP', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 3);
  await until('lanes open', () => c.restLanesOpen === 3);
  fake.seen.length = 0;
  fake.hold = true;
  const held = [c.rest.answer('a'), c.rest.answer('b'), c.rest.answer('c')];
  await until('three sent', () => fake.seen.length === 3);
  t.same(new Set(fake.seen.map((s) => s.app)).size, 3, 'three waiting requests went out on three lanes');
  await c.rest.answer('d');
  t.same(fake.seen.at(-1), { via: 'http', method: 'POST', uri: 'channels/d/answer', body: undefined }, 'the fourth, with no lane idle, went over HTTP at once');
  fake.hold = false;
  fake.release();
  await Promise.all(held);
  await c.rest.answer('e');
  t.equal(fake.seen.at(-1)?.via, 'socket', 'answered lanes are idle again');
});

t.test('a lane whose request timed out stays busy until Asterisk answers it late', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 1, 200);
  await until('lane open', () => c.restLanesOpen === 1);
  fake.hold = true;
  await t.rejects(c.rest.answer('slow'), /within 200 ms/);
  fake.hold = false;
  await c.rest.answer('next');
  t.equal(fake.seen.at(-1)?.via, 'http', 'Asterisk is still on the slow one: the next request goes over HTTP, not behind it');
  fake.release();
  await new Promise((r) => setTimeout(r, 50));
  await c.rest.answer('after');
  t.equal(fake.seen.at(-1)?.via, 'socket', 'once the late answer came, the lane is idle again');
});

t.test('a lane that never answers a timed-out request is reconnected after as long again', async (t) => {
  const fake = await fakeAsterisk(t);
  const c = client(t, fake.url, 1, 200);
  await until('lane open', () => c.restLanesOpen === 1);
  const first = fake.sockets.get('hotline-rest-1');
  fake.hold = true;
  await t.rejects(c.rest.answer('lost'), /within 200 ms/);
  fake.hold = false;
  await until('a new connection', () => fake.sockets.get('hotline-rest-1') !== first);
  await until('lane open again', () => c.restLanesOpen === 1);
  await c.rest.answer('after');
  t.equal(fake.seen.at(-1)?.via, 'socket', 'the new lane carries requests');
});
