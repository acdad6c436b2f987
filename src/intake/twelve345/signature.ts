import { createHmac, timingSafeEqual } from 'node:crypto';

// 12345 and the hotline sign each other's requests the same way (DESIGN §7):
// header X-Signature = hex HMAC-SHA256 of the raw body with the shared secret.
export const SIGNATURE_HEADER = 'x-signature';

export function sign(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time check of a hex signature against the raw bytes received. */
export function verifySignature(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header.trim())) return false;
  const given = Buffer.from(header.trim(), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(given, expected);
}
