import { S3Error } from '@myfsio/common';
import { malformedAuth, missingDate } from '../errors';
import type { RequestHeaders } from '../request-parts';
import { formatAmzDate, parseAmzDate, parseHttpDate } from '../time';
import { parseCredential, type ScopeRules } from './credential-scope';
import { parseSignedHeaders, type SigV4Claims } from './sigv4-claims';

/** The Authorization header prefix of SigV4. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex` and the
 * request timestamp. Throws AuthorizationHeaderMalformed (or AccessDenied without a date).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
export function parseAuthorizationHeader(
  authorization: string,
  headers: RequestHeaders,
  rules: ScopeRules,
): SigV4Claims {
  const components = new Map<string, string>();
  for (const part of authorization.slice(SIGV4_ALGORITHM.length).split(',')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    if (equals <= 0) {
      throw malformedAuth('header', `the authorization component "${trimmed}" is malformed.`);
    }
    components.set(trimmed.slice(0, equals), trimmed.slice(equals + 1).trim());
  }
  const credential = components.get('Credential');
  const signedHeaderList = components.get('SignedHeaders');
  const signature = components.get('Signature');
  if (credential === undefined || signedHeaderList === undefined || signature === undefined) {
    throw malformedAuth(
      'header',
      'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    );
  }
  const scope = parseCredential('header', credential, rules);
  const signedHeaders = parseSignedHeaders(signedHeaderList);
  if (!signedHeaders) {
    throw malformedAuth('header', 'SignedHeaders must be a non-empty list that includes host.');
  }
  const { timestamp, requestTime } = requestTimestamp(headers);
  if (timestamp.slice(0, 8) !== scope.date) {
    throw malformedAuth('header', 'Invalid credential date. Date is not the same as X-Amz-Date.');
  }
  const sessionToken = headers.get('x-amz-security-token');
  return { location: 'header', scope, signedHeaders, signature, timestamp, requestTime, sessionToken };
}

/** The signed timestamp: X-Amz-Date, or the Date header converted to ISO 8601 basic. */
function requestTimestamp(headers: RequestHeaders): { timestamp: string; requestTime: Date } {
  const amzDate = headers.get('x-amz-date');
  if (amzDate !== undefined) {
    const requestTime = parseAmzDate(amzDate.trim());
    if (!requestTime) {
      throw missingDate();
    }
    return { timestamp: amzDate.trim(), requestTime };
  }
  const date = headers.get('date');
  const requestTime = date === undefined ? null : parseHttpDate(date);
  if (!requestTime) {
    throw missingDate();
  }
  return { timestamp: formatAmzDate(requestTime), requestTime };
}

/** The error for an Authorization header whose scheme this server does not implement (e.g. SigV4a). */
export function unsupportedAuthorization(authorization: string): S3Error {
  return new S3Error('InvalidArgument', {
    message: 'Unsupported Authorization Type',
    fields: { ArgumentName: 'Authorization', ArgumentValue: authorization.split(' ')[0] ?? '' },
  });
}
