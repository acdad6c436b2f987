import type { TestApp } from '../helpers/app.js';
import type { RecordingStore } from '../../src/recordings/store.js';
import { eq } from 'drizzle-orm';
import { systemActor } from '../../src/shared/actor.js';
import { tickets } from '../../src/tickets/schema.js';

/** A WAV of `seconds` of 8 kHz 16-bit mono silence-ish (a ramp, so ranges differ). */
export function wav(seconds: number): Buffer {
  const data = Buffer.alloc(8000 * 2 * seconds);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Asterisk's stored recordings, in memory. */
export function memoryStore(): RecordingStore & { files: Map<string, Buffer>; removed: string[] } {
  const files = new Map<string, Buffer>();
  const removed: string[] = [];
  return {
    files,
    removed,
    fetch: async (name) => (files.has(name) ? { body: files.get(name)!, contentType: 'audio/wav' } : null),
    remove: async (name) => {
      removed.push(name);
      return files.delete(name);
    },
  };
}

let n = 0;
/** A phone ticket with its call row, answered by `seatId`, recorded (and a voice message if asked). */
export function answeredCall(
  h: TestApp,
  opts: { seatId?: string | null; startedAt?: number; voicemail?: boolean; ticket?: Record<string, unknown>; outcome?: string; talkSeconds?: number } = {},
) {
  const s = h.app.services;
  const id = `test-${process.pid}-${++n}`;
  const t = s.tickets.create({ source: 'phone', callerNumber: '13800138000', callerName: '张三', content: '咨询低保' }, systemActor('test'));
  const at = opts.startedAt ?? Date.now() - 120_000;
  const seatId = opts.seatId === undefined ? '1001' : opts.seatId;
  s.calls.insert({
    id,
    ticketId: t.id,
    startedAt: at,
    answeredAt: at + 200,
    callerNumber: '13800138000',
    dialedNumber: '962200',
    ivrPath: opts.voicemail ? null : 'main:1>consultation:2',
    queue: opts.voicemail ? null : 'consultation',
    enqueuedAt: opts.voicemail ? null : at + 5000,
    offeredAt: seatId ? at + 8000 : null,
    seatId,
    seatAnsweredAt: seatId ? at + 10_000 : null,
    endedAt: at + 10_000 + (opts.talkSeconds ?? 60) * 1000,
    outcome: opts.outcome ?? (opts.voicemail ? 'voicemail' : 'answered'),
    recordingName: seatId ? `call-${id}` : null,
    voicemailName: opts.voicemail ? `vm-${id}` : null,
    talkSeconds: opts.talkSeconds ?? 60,
    waitSeconds: 5,
  });
  if (opts.ticket) s.db.update(tickets).set(opts.ticket).where(eq(tickets.id, t.id)).run();
  return { ticket: s.tickets.get(t.id)!, callId: id, recordingName: seatId ? `call-${id}` : null, voicemailName: opts.voicemail ? `vm-${id}` : null };
}
