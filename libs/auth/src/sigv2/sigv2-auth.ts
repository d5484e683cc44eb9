import { createHmac } from 'node:crypto';
import { S3Error, S3Errors } from '@myfsio/common';
import { payloadWithoutSigV4 } from '../content-sha256';
import { stringsMatch } from '../crypto';
import { assertWithinSkew, invalidAccessKeyId, missingDate, requestExpired } from '../errors';
import { queryParam, type RequestHeaders, type RequestTarget } from '../request-parts';
import { parseAnyDate, parseHttpDate } from '../time';
import type { AuthenticatedRequest, CredentialSource, IncomingSignedRequest } from '../types';
import {
  hasExtendedSubresource,
  sigV2StringToSign,
  type SigV2Request,
  type SigV2Variant,
} from './string-to-sign';

/** Server-side settings of SigV2 verification. */
export interface SigV2Settings {
  readonly maxClockSkewMs: number;
  readonly now: Date;
  readonly credentials: CredentialSource;
}

/**
 * Verifies `Authorization: AWS AKID:signature` (SigV2), as s3cmd and older SDKs send it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html
 */
export async function authenticateSigV2Header(
  req: IncomingSignedRequest,
  target: RequestTarget,
  headers: RequestHeaders,
  authorization: string,
  settings: SigV2Settings,
): Promise<AuthenticatedRequest> {
  const credential = authorization.slice('AWS '.length).trim();
  const colon = credential.lastIndexOf(':');
  if (colon <= 0 || colon === credential.length - 1) {
    throw S3Errors.invalidArgument(
      'Authorization',
      authorization.split(':')[0] ?? '',
      'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature',
    );
  }
  const accessKeyId = credential.slice(0, colon);
  const signature = credential.slice(colon + 1);
  const amzDate = headers.get('x-amz-date');
  const date = headers.get('date');
  const requestTime =
    amzDate !== undefined ? parseAnyDate(amzDate) : date !== undefined ? parseHttpDate(date) : null;
  if (!requestTime) {
    throw missingDate();
  }
  assertWithinSkew(requestTime, settings.now, settings.maxClockSkewMs);
  const request: SigV2Request = {
    method: req.method,
    headers,
    target,
    bucketFromHost: req.bucketFromHost,
    // With x-amz-date the Date line stays empty: the x-amz-date header is signed among the x-amz-* ones.
    dateLine: amzDate !== undefined ? '' : (date ?? ''),
    amzDate,
  };
  await verifySigV2(request, accessKeyId, signature, settings.credentials);
  return {
    scheme: 'sigv2-header',
    accessKeyId,
    sessionToken: headers.get('x-amz-security-token'),
    payload: payloadWithoutSigV4(headers),
  };
}

/** Verifies a SigV2 presigned URL (`AWSAccessKeyId`, `Signature`, `Expires` in the query). */
export async function authenticateSigV2Query(
  req: IncomingSignedRequest,
  target: RequestTarget,
  headers: RequestHeaders,
  settings: SigV2Settings,
): Promise<AuthenticatedRequest> {
  const accessKeyId = queryParam(target, 'AWSAccessKeyId');
  const signature = queryParam(target, 'Signature');
  const expires = queryParam(target, 'Expires');
  if (!accessKeyId || !signature || expires === undefined) {
    throw S3Errors.accessDenied(
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  }
  if (!/^\d+$/.test(expires)) {
    throw S3Errors.accessDenied('Invalid date (should be seconds since epoch): ' + expires);
  }
  const expiresAt = new Date(Number(expires) * 1000);
  if (settings.now.getTime() > expiresAt.getTime()) {
    throw requestExpired(expiresAt, settings.now);
  }
  const request: SigV2Request = {
    method: req.method,
    headers,
    target,
    bucketFromHost: req.bucketFromHost,
    dateLine: expires,
  };
  await verifySigV2(request, accessKeyId, signature, settings.credentials);
  return {
    scheme: 'sigv2-query',
    accessKeyId,
    sessionToken: headers.get('x-amz-security-token'),
    payload: payloadWithoutSigV4(headers),
  };
}

/**
 * Looks up the secret and compares the signature. S3's documented reading comes first; when it
 * fails, readings other signers use (decoded path, later sub-resources) are tried, only where the
 * request makes them differ.
 */
async function verifySigV2(
  request: SigV2Request,
  accessKeyId: string,
  signature: string,
  credentials: CredentialSource,
): Promise<void> {
  const secret = await credentials.findSecret(accessKeyId);
  if (secret === null) {
    throw invalidAccessKeyId(accessKeyId);
  }
  const documented: SigV2Variant = {
    decodePath: false,
    extendedSubresources: false,
    amzDateOnDateLine: false,
  };
  const variants = [documented];
  if (request.target.rawPath.includes('%')) {
    variants.push({ ...documented, decodePath: true });
  }
  if (hasExtendedSubresource(request.target)) {
    variants.push(...variants.map((v) => ({ ...v, extendedSubresources: true })));
  }
  if (request.amzDate !== undefined) {
    variants.push(...variants.map((v) => ({ ...v, amzDateOnDateLine: true })));
  }
  let primary: string | undefined;
  for (const variant of variants) {
    const stringToSign = sigV2StringToSign(request, variant);
    primary ??= stringToSign;
    const expected = createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
    if (stringsMatch(expected, signature)) {
      return;
    }
  }
  throw new S3Error('SignatureDoesNotMatch', {
    fields: { AWSAccessKeyId: accessKeyId, StringToSign: primary ?? '', SignatureProvided: signature },
  });
}
