import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordingKind } from './repository.js';

/**
 * A player link: an <audio> element cannot send the Authorization header, so the desk
 * asks for a short-lived link to one ticket's one recording. It is signed with a key of
 * its own derived from the JWT secret, so a link is never a bearer token, and it names
 * the user and their token version: logging out or disabling the user ends it too.
 */
export interface PlayClaims {
  userId: number;
  tokenVersion: number;
  ticketId: number;
  kind: RecordingKind;
  /** epoch ms */
  exp: number;
}

export const LINK_TTL_MS = 10 * 60_000;

export class PlayLinks {
  private readonly key: Buffer;
  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('hotline recording play links v1').digest();
  }

  sign(c: PlayClaims): string {
    const body = Buffer.from(JSON.stringify([c.userId, c.tokenVersion, c.ticketId, c.kind, c.exp])).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a good, unexpired link; null otherwise. */
  verify(token: string, now: number): PlayClaims | null {
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const want = Buffer.from(this.mac(body));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    try {
      const [userId, tokenVersion, ticketId, kind, exp] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [number, number, number, RecordingKind, number];
      if (!Number.isInteger(userId) || !Number.isInteger(ticketId) || (kind !== 'call' && kind !== 'voice_message') || !(exp > now)) return null;
      return { userId, tokenVersion, ticketId, kind, exp };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
