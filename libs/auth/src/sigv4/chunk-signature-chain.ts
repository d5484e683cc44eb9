import { EMPTY_SHA256, hmacSha256, sha256Hex, signatureMatches } from '../crypto';
import type { ChunkSigningContext } from '../types';

/**
 * The signature chain of a streaming SigV4 body: each chunk's signature covers the previous
 * signature (the request's for the first chunk), so chunks cannot be dropped or reordered.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
export class ChunkSignatureChain {
  private previous: string;

  constructor(private readonly context: ChunkSigningContext) {
    this.previous = context.seedSignature.toLowerCase();
  }

  /** Checks the next chunk's signature given the hex SHA-256 of its data; advances the chain on success. */
  verifyChunk(chunkSha256Hex: string, providedSignature: string): boolean {
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.context.timestamp,
      this.context.scope,
      this.previous,
      EMPTY_SHA256,
      chunkSha256Hex,
    ].join('\n');
    return this.advance(stringToSign, providedSignature);
  }

  /** Checks x-amz-trailer-signature over the canonical trailer block ("name:value\n" per trailer). */
  verifyTrailer(canonicalTrailers: string, providedSignature: string): boolean {
    const stringToSign = [
      'AWS4-HMAC-SHA256-TRAILER',
      this.context.timestamp,
      this.context.scope,
      this.previous,
      sha256Hex(canonicalTrailers),
    ].join('\n');
    return this.advance(stringToSign, providedSignature);
  }

  private advance(stringToSign: string, providedSignature: string): boolean {
    if (!signatureMatches(hmacSha256(this.context.signingKey, stringToSign), providedSignature)) {
      return false;
    }
    this.previous = providedSignature.toLowerCase();
    return true;
  }
}
