import { hmacSha256 } from '../crypto';

/**
 * Derived SigV4 signing keys, keyed by (secret, date, region, service). A key is valid for a whole
 * day, so caching saves four HMACs per request. Bounded LRU: a Map keeps insertion order, and a hit
 * is re-inserted to become the newest entry.
 */
export class SigningKeyCache {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 512) {}

  /** The signing key for a credential scope, derived on a miss. */
  get(secret: string, date: string, region: string, service: string): Buffer {
    const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
    const cached = this.keys.get(cacheKey);
    if (cached) {
      this.keys.delete(cacheKey);
      this.keys.set(cacheKey, cached);
      return cached;
    }
    const key = deriveSigningKey(secret, date, region, service);
    this.keys.set(cacheKey, key);
    if (this.keys.size > this.maxEntries) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) {
        this.keys.delete(oldest.value);
      }
    }
    return key;
  }

  /** Number of cached keys (for tests). */
  get size(): number {
    return this.keys.size;
  }
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmacSha256(`AWS4${secret}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, 'aws4_request');
}
