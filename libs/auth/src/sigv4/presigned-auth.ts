import { S3Error } from '@myfsio/common';
import { requestExpired } from '../errors';
import { queryParam, type RequestHeaders, type RequestTarget } from '../request-parts';
import { parseAmzDate } from '../time';
import { parseCredential, type ScopeRules } from './credential-scope';
import { SIGV4_ALGORITHM } from './header-auth';
import { parseSignedHeaders, type SigV4Claims } from './sigv4-claims';

/** The longest validity of a presigned URL: one week. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

function queryError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', { message });
}

/**
 * Parses and time-checks presigned SigV4 query parameters. Throws AuthorizationQueryParametersError
 * for malformed ones and AccessDenied once the URL has expired.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export function parsePresignedQuery(
  target: RequestTarget,
  headers: RequestHeaders,
  rules: ScopeRules,
  now: Date,
  maxClockSkewMs: number,
): SigV4Claims {
  const values = new Map<string, string>();
  for (const name of REQUIRED) {
    const value = queryParam(target, name);
    if (value === undefined) {
      throw queryError(
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    values.set(name, value);
  }
  const get = (name: (typeof REQUIRED)[number]) => values.get(name) ?? '';
  if (get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) {
    throw queryError(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
  }
  const timestamp = get('X-Amz-Date');
  const requestTime = parseAmzDate(timestamp);
  if (!requestTime) {
    throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expiresSeconds = parseExpires(get('X-Amz-Expires'));
  const scope = parseCredential('query', get('X-Amz-Credential'), rules);
  if (scope.date !== timestamp.slice(0, 8)) {
    throw queryError(
      'Error parsing the X-Amz-Credential parameter; Invalid credential date. Date is not the same as X-Amz-Date.',
    );
  }
  const signedHeaders = parseSignedHeaders(get('X-Amz-SignedHeaders'));
  if (!signedHeaders) {
    throw queryError('X-Amz-SignedHeaders must be a non-empty list that includes host.');
  }
  // A URL signed for later use is refused until its time comes (allowing for clock skew).
  if (requestTime.getTime() - now.getTime() > maxClockSkewMs) {
    throw new S3Error('AccessDenied', { message: 'Request is not valid yet' });
  }
  const expires = new Date(requestTime.getTime() + expiresSeconds * 1000);
  if (now.getTime() > expires.getTime()) {
    throw requestExpired(expires, now);
  }
  const sessionToken = queryParam(target, 'X-Amz-Security-Token') ?? headers.get('x-amz-security-token');
  return {
    location: 'query',
    scope,
    signedHeaders,
    signature: get('X-Amz-Signature'),
    timestamp,
    requestTime,
    sessionToken,
  };
}

function parseExpires(value: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw queryError('X-Amz-Expires should be a number');
  }
  const seconds = Number(value);
  if (seconds < 1) {
    throw queryError('X-Amz-Expires must be non-negative');
  }
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw queryError(
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`,
    );
  }
  return seconds;
}

const PRESIGNED_MARKERS = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature']);

/** True when the query carries presigned SigV4 parameters. */
export function hasPresignedV4(target: RequestTarget): boolean {
  return target.params.some((p) => PRESIGNED_MARKERS.has(p.name));
}
