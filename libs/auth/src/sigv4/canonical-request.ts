import type { QueryParam, RequestHeaders } from '../request-parts';
import { canonicalEncode } from '../uri-encode';

/**
 * The canonical URI of an S3 request: the path exactly as sent (S3 neither normalises '.'/'..' nor
 * merges '//'), each segment decoded once and re-encoded the AWS way.
 *
 * A '%2F' inside a segment is kept encoded when `keepEncodedSlash` (what a signer that encodes each
 * segment computes); some signers decode the whole path first, so the caller may retry with false.
 */
export function canonicalUri(rawPath: string, keepEncodedSlash: boolean): string {
  return rawPath
    .split('/')
    .map((segment) => canonicalEncode(segment, !keepEncodedSlash))
    .join('/');
}

/** The canonical query string: names and values re-encoded, sorted by name then value. */
export function canonicalQueryString(params: readonly QueryParam[], excludeName?: string): string {
  const pairs: [string, string][] = [];
  for (const param of params) {
    if (param.name === excludeName) {
      continue;
    }
    pairs.push([canonicalEncode(param.rawName, false), canonicalEncode(param.rawValue ?? '', false)]);
  }
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "name:value\n" for each signed header, values trimmed with inner whitespace runs collapsed. */
export function canonicalHeaders(signedHeaders: readonly string[], headers: RequestHeaders): string {
  let block = '';
  for (const name of signedHeaders) {
    const value = headers.combined(name) ?? '';
    block += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  return block;
}

/** Everything a canonical request is made of. */
export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly params: readonly QueryParam[];
  /** A parameter left out of the canonical query (X-Amz-Signature for presigned URLs). */
  readonly excludeParam?: string;
  readonly signedHeaders: readonly string[];
  readonly headers: RequestHeaders;
  readonly payloadHash: string;
}

/** The SigV4 canonical request. */
export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    canonicalQueryString(parts.params, parts.excludeParam),
    canonicalHeaders(parts.signedHeaders, parts.headers),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** The SigV4 string to sign for a request. */
export function buildStringToSign(timestamp: string, scope: string, canonicalRequestHash: string): string {
  return `AWS4-HMAC-SHA256\n${timestamp}\n${scope}\n${canonicalRequestHash}`;
}
