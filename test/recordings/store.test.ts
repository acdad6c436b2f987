// Asterisk's stored recordings through ARI (src/recordings/store.ts): by name only,
// 404 → none, errors → 502/503, a player's several ranges served from one fetch.
import t from 'tap';
import { AriRecordingStore, NO_RECORDINGS } from '../../src/recordings/store.js';
import { wav } from './_fixtures.js';

function fakeRest(files: Map<string, Buffer>, opts: { status?: number; down?: boolean; type?: string } = {}) {
  const asked: string[] = [];
  return {
    asked,
    deleted: [] as string[],
    storedRecording: async (name: string) => {
      asked.push(name);
      if (opts.down) throw new Error('ECONNREFUSED');
      const body = files.get(name);
      if (opts.status) return new Response('boom', { status: opts.status });
      return body ? new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': opts.type ?? 'audio/wav' } }) : new Response('{"message":"Recording not found"}', { status: 404 });
    },
    async deleteStoredRecording(name: string) {
      this.deleted.push(name);
      return files.delete(name);
    },
  };
}

t.test('fetch by name, kept a minute for the next ranges, deleted through ARI', async (t) => {
  const files = new Map([['call-a', wav(1)]]);
  const rest = fakeRest(files);
  let now = 1_000_000;
  const store = new AriRecordingStore(rest, () => now);
  const a = await store.fetch('call-a');
  t.ok(a?.body.equals(wav(1)));
  t.equal(a?.contentType, 'audio/wav');
  await store.fetch('call-a');
  t.same(rest.asked, ['call-a'], 'the second range comes from the copy');
  now += 61_000;
  await store.fetch('call-a');
  t.same(rest.asked, ['call-a', 'call-a'], 'fetched again after a minute');
  await store.fetch('call-a', { cache: false });
  t.equal(rest.asked.length, 3, 'a call still going on is fetched afresh: its file still grows');
  t.equal(await store.fetch('call-none'), null, '404: none');
  t.equal(await store.remove('call-a'), true);
  t.equal(await store.remove('call-a'), false, 'gone already');
  t.equal(await store.fetch('call-a'), null, 'a removed recording is not served from the copy');
});

t.test("Asterisk's errors are the API's 502/503, never a crash; no telephony is a 503", async (t) => {
  await t.rejects(new AriRecordingStore(fakeRest(new Map(), { status: 500 })).fetch('x'), { statusCode: 502, code: 'recordings_failed' });
  await t.rejects(new AriRecordingStore(fakeRest(new Map(), { down: true })).fetch('x'), { statusCode: 503, code: 'recordings_unavailable' });
  await t.rejects(NO_RECORDINGS.fetch('x'), { statusCode: 503, code: 'recordings_unavailable' });
  const odd = await new AriRecordingStore(fakeRest(new Map([['y', wav(1)]]), { type: 'application/octet-stream' })).fetch('y');
  t.equal(odd?.contentType, 'audio/wav', 'a generic type from Asterisk is served as the WAV it is');
});
