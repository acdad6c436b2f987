// RFC 2833 digits for sipp in any order. The canned pcaps of sip-tester carry fixed RTP
// timestamps, and Asterisk drops a telephone-event whose timestamp is not newer than the
// last one's (see ARI-NOTES): so within one call "2 then 1" or "1 then 1" is lost. These
// are the same packets with the timestamp (and sequence numbers) moved to the digit's
// position in the call, always above every canned pcap's.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const SOURCE = '/usr/share/sip-tester';
const DIR = join(tmpdir(), 'hotline-dtmf-pcaps');
const BASE_TS = 200_000;
const STEP_TS = 8_000;

const fileOf = (d: string) => `dtmf_2833_${d === '*' ? 'star' : d === '#' ? 'pound' : d}.pcap`;

/** A pcap of `digit` as the `position`-th (0-based) ordered digit of a call. */
export function orderedDtmf(digit: string, position: number): string {
  const out = join(DIR, `${position}-${fileOf(digit)}`);
  if (existsSync(out)) return out;
  mkdirSync(DIR, { recursive: true });
  const b = Buffer.from(readFileSync(join(SOURCE, fileOf(digit))));
  for (let o = 24; o < b.length; ) {
    const incl = b.readUInt32LE(o + 8);
    const pkt = o + 16;
    const udp = pkt + 14 + (b[pkt + 14] & 0x0f) * 4;
    const rtp = udp + 8;
    b.writeUInt16BE(0, udp + 6); // no UDP checksum (IPv4 allows it) rather than a wrong one
    b.writeUInt16BE((b.readUInt16BE(rtp + 2) + position * 32) & 0xffff, rtp + 2);
    b.writeUInt32BE(BASE_TS + position * STEP_TS, rtp + 4);
    o = pkt + incl;
  }
  writeFileSync(out, b);
  return out;
}
