// What a seat says once it answers, for sipp's rtp_stream: a µ-law (PCMU) WAV that loops
// for the whole talk. Real phones send a packet every 20 ms from answer to hang-up; a
// silent sipp sends none, and an audiohook recording (MixMonitor) of a leg that carries
// no frames is empty. Written once per machine, from code, so no tool is needed.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RATE = 8000;
const SECONDS = 2;

/** G.711 µ-law of one 16-bit sample */
function ulaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa);
  return s & 0xff;
}

export function talkAudioFile(): string {
  const file = join(tmpdir(), 'hotline-sipp-talk-ulaw.wav');
  if (existsSync(file)) return file;
  const n = RATE * SECONDS;
  const data = Buffer.alloc(n);
  // a voice-like tone: 220 Hz with a syllable rhythm, so it is neither silence nor a test tone
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    data[i] = ulaw(Math.round(8000 * envelope * Math.sin(2 * Math.PI * 220 * t)));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + n, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(n, 40);
  // written aside then moved: parallel test files may ask at the same time
  const part = `${file}.${process.pid}`;
  writeFileSync(part, Buffer.concat([header, data]));
  renameSync(part, file);
  return file;
}
