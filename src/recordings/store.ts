// Where the audio comes from: Asterisk's stored recordings, by name (ARI
// `GET /recordings/stored/{name}/file`, `DELETE /recordings/stored/{name}`). Chosen over
// reading the spool folder because it works the same whether the server shares the host
// with Asterisk (dev, CI) or runs in its own container (deploy/: the spool is mounted
// there read-only, so deleting must go through Asterisk anyway), and because it knows
// only names: whatever made the file (bridge recording, MixMonitor) and wherever Asterisk
// keeps it, the call row's name is all the server needs. A client never names a path.
import type { AriRest } from '../ari/rest.js';
import { HttpError } from '../shared/errors.js';

export interface StoredAudio {
  body: Buffer;
  contentType: string;
}

export interface RecordingStore {
  /** The file of a stored recording; null when Asterisk has none of that name. `cache: false` while the call goes on (the file still grows). */
  fetch(name: string, opts?: { cache?: boolean }): Promise<StoredAudio | null>;
  /** Deletes it; false when there was none. */
  remove(name: string): Promise<boolean>;
}

const unavailable = () => new HttpError(503, 'recordings_unavailable', '录音服务暂不可用（未连接 Asterisk）');

/** Without telephony (API-only tests, a server with no Asterisk): every play is a 503. */
export const NO_RECORDINGS: RecordingStore = {
  fetch: () => Promise.reject(unavailable()),
  remove: () => Promise.reject(unavailable()),
};

const CACHE_MS = 60_000;
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Asterisk's stored recordings. ARI serves a whole file with no Range support, so the
 * last few files fetched are kept for a minute: a browser seeking in one play asks for
 * several ranges of the same file, and each is cut from the copy here.
 */
export class AriRecordingStore implements RecordingStore {
  private readonly cache = new Map<string, { audio: StoredAudio; until: number }>();

  constructor(
    private readonly rest: Pick<AriRest, 'storedRecording' | 'deleteStoredRecording'>,
    private readonly now: () => number = Date.now,
  ) {}

  async fetch(name: string, opts: { cache?: boolean } = {}): Promise<StoredAudio | null> {
    const cached = opts.cache === false ? undefined : this.cache.get(name);
    if (cached && cached.until > this.now()) return cached.audio;
    let res: Response;
    try {
      res = await this.rest.storedRecording(name);
    } catch {
      throw unavailable();
    }
    if (res.status === 404) return null;
    if (res.status !== 200) throw new HttpError(502, 'recordings_failed', `录音服务返回错误（${res.status}）`);
    const type = res.headers.get('content-type') ?? '';
    const audio = { body: Buffer.from(await res.arrayBuffer()), contentType: type.startsWith('audio/') ? type : contentTypeOf(name) };
    if (opts.cache !== false) this.keep(name, audio);
    return audio;
  }

  async remove(name: string): Promise<boolean> {
    this.cache.delete(name);
    try {
      return await this.rest.deleteStoredRecording(name);
    } catch (err) {
      throw new HttpError(502, 'recordings_failed', `删除录音失败：${(err as Error).message}`);
    }
  }

  private keep(name: string, audio: StoredAudio): void {
    const now = this.now();
    for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
    let total = audio.body.length;
    for (const v of this.cache.values()) total += v.audio.body.length;
    // the oldest first (a Map keeps insertion order)
    for (const k of this.cache.keys()) {
      if (total <= CACHE_BYTES) break;
      total -= this.cache.get(k)!.audio.body.length;
      this.cache.delete(k);
    }
    if (audio.body.length <= CACHE_BYTES) this.cache.set(name, { audio, until: now + CACHE_MS });
  }
}

/** Recordings are made as WAV (calls/connecting.ts, calls/voicemail.ts). */
export const contentTypeOf = (_name: string) => 'audio/wav';
