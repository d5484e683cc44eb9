import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SHA-256 of the empty string, the payload hash of a bodiless request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Lower-case hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HMAC-SHA256. */
export function hmacSha256(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** Constant-time comparison of a computed SigV4 signature with a client-supplied hex string. */
export function signatureMatches(expected: Buffer, providedHex: string): boolean {
  if (!HEX_SIGNATURE.test(providedHex)) {
    return false;
  }
  return timingSafeEqual(expected, Buffer.from(providedHex, 'hex'));
}

/** Constant-time string comparison (SigV2 base64 signatures, secret keys); lengths are not secret. */
export function stringsMatch(expected: string, provided: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(provided, 'utf8').digest();
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return timingSafeEqual(a, b) && expected === provided;
}
