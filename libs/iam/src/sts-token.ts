import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The session token of temporary credentials: an HMAC over the access key id under the server's
 * SECRET_KEY, so any gateway sharing the key verifies it without storing it. The expiry is not
 * in the token: it is the key row's, checked on every request.
 */
export function sessionTokenFor(serverKey: string, accessKeyId: string): string {
  const mac = createHmac('sha256', serverKey).update(`myfsio-sts\n${accessKeyId}`).digest('base64url');
  return `MFST1.${mac}`;
}

/** Constant-time comparison of a presented token with the expected one. */
export function sessionTokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) {
    return false;
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
