import { S3Error } from '@myfsio/common';
import { hmacSha256, sha256Hex, signatureMatches } from '../crypto';
import type { RequestHeaders, RequestTarget } from '../request-parts';
import { buildCanonicalRequest, buildStringToSign, canonicalUri } from './canonical-request';
import { scopeString } from './credential-scope';
import type { SigV4Claims } from './sigv4-claims';

/** Everything needed to recompute a request's SigV4 signature. */
export interface SigV4CheckInput {
  readonly method: string;
  readonly target: RequestTarget;
  readonly headers: RequestHeaders;
  readonly claims: SigV4Claims;
  /** The payload hash line of the canonical request (a digest or a literal such as UNSIGNED-PAYLOAD). */
  readonly payloadHash: string;
  readonly signingKey: Buffer;
}

/** The canonical request and string to sign for one spelling of the canonical URI. */
export function signingStrings(input: SigV4CheckInput, keepEncodedSlash: boolean) {
  const canonicalRequest = buildCanonicalRequest({
    method: input.method,
    canonicalUri: canonicalUri(input.target.rawPath, keepEncodedSlash),
    params: input.target.params,
    excludeParam: input.claims.location === 'query' ? 'X-Amz-Signature' : undefined,
    signedHeaders: input.claims.signedHeaders,
    headers: input.headers,
    payloadHash: input.payloadHash,
  });
  const stringToSign = buildStringToSign(
    input.claims.timestamp,
    scopeString(input.claims.scope),
    sha256Hex(canonicalRequest),
  );
  return { canonicalRequest, stringToSign };
}

/**
 * Recomputes the signature and compares it in constant time; throws SignatureDoesNotMatch with the
 * debugging fields S3 returns (the string to sign and canonical request hold no secret).
 */
export function checkSigV4Signature(input: SigV4CheckInput): void {
  const primary = signingStrings(input, true);
  if (signatureMatches(hmacSha256(input.signingKey, primary.stringToSign), input.claims.signature)) {
    return;
  }
  // Signers that decode the whole path before encoding it turn %2F into '/'; accept both spellings.
  if (/%2f/i.test(input.target.rawPath)) {
    const decoded = signingStrings(input, false);
    if (signatureMatches(hmacSha256(input.signingKey, decoded.stringToSign), input.claims.signature)) {
      return;
    }
  }
  throw new S3Error('SignatureDoesNotMatch', {
    fields: {
      AWSAccessKeyId: input.claims.scope.accessKeyId,
      StringToSign: primary.stringToSign,
      SignatureProvided: input.claims.signature,
      CanonicalRequest: primary.canonicalRequest,
    },
  });
}
