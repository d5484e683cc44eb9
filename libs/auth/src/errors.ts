import { S3Error, S3Errors } from '@myfsio/common';

/** Where SigV4 parameters came from; S3 reports malformed ones with a different code for each. */
export type SigV4Location = 'header' | 'query';

/** AuthorizationHeaderMalformed / AuthorizationQueryParametersError with S3's wording. */
export function malformedAuth(
  location: SigV4Location,
  detail: string,
  fields?: Record<string, string>,
): S3Error {
  return location === 'header'
    ? new S3Error('AuthorizationHeaderMalformed', {
        message: `The authorization header is malformed; ${detail}`,
        fields,
      })
    : new S3Error('AuthorizationQueryParametersError', { message: detail, fields });
}

/** The error S3 returns when a request carries more than one way of authenticating. */
export function multipleAuthMechanisms(): S3Error {
  return S3Errors.invalidArgument(
    'Authorization',
    '',
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  );
}

/** AccessDenied for a request without a usable Date / x-amz-date. */
export function missingDate(): S3Error {
  return S3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
}

/** RequestTimeTooSkewed with the fields S3 includes. */
export function timeTooSkewed(requestTime: Date, now: Date, maxSkewMs: number): S3Error {
  return new S3Error('RequestTimeTooSkewed', {
    fields: {
      RequestTime: requestTime.toISOString(),
      ServerTime: now.toISOString(),
      MaxAllowedSkewMilliseconds: maxSkewMs,
    },
  });
}

/** Throws RequestTimeTooSkewed when `requestTime` is further than `maxSkewMs` from `now`. */
export function assertWithinSkew(requestTime: Date, now: Date, maxSkewMs: number): void {
  if (Math.abs(now.getTime() - requestTime.getTime()) > maxSkewMs) {
    throw timeTooSkewed(requestTime, now, maxSkewMs);
  }
}

/** InvalidAccessKeyId for an unknown key. */
export function invalidAccessKeyId(accessKeyId: string): S3Error {
  return new S3Error('InvalidAccessKeyId', { fields: { AWSAccessKeyId: accessKeyId } });
}

/** An expired presigned URL (SigV4 or SigV2). */
export function requestExpired(expires: Date, now: Date): S3Error {
  return new S3Error('AccessDenied', {
    message: 'Request has expired',
    fields: { Expires: expires.toISOString(), ServerTime: now.toISOString() },
  });
}
