import { S3Error, S3Errors } from '@myfsio/common';
import { payloadWithoutSigV4 } from './content-sha256';
import { stringsMatch } from './crypto';
import { invalidAccessKeyId } from './errors';
import type { RequestHeaders } from './request-parts';
import type { AuthenticatedRequest, CredentialSource } from './types';

/** True when the request carries MyFSIO's X-Access-Key / X-Secret-Key headers (either of them). */
export function hasAccessKeyHeaders(headers: RequestHeaders): boolean {
  return headers.get('x-access-key') !== undefined || headers.get('x-secret-key') !== undefined;
}

/**
 * MyFSIO's plain credential headers: the secret travels with the request (for TLS-only, scripted
 * use) and is compared in constant time with the stored one.
 */
export async function authenticateAccessKeyHeaders(
  headers: RequestHeaders,
  credentials: CredentialSource,
): Promise<AuthenticatedRequest> {
  const accessKeyId = headers.get('x-access-key')?.trim();
  const providedSecret = headers.get('x-secret-key');
  if (!accessKeyId || providedSecret === undefined) {
    throw S3Errors.accessDenied('X-Access-Key and X-Secret-Key must be sent together.');
  }
  const secret = await credentials.findSecret(accessKeyId);
  if (secret === null) {
    throw invalidAccessKeyId(accessKeyId);
  }
  if (!stringsMatch(secret, providedSecret)) {
    throw new S3Error('SignatureDoesNotMatch', {
      message: 'The secret key you provided does not match the access key.',
      fields: { AWSAccessKeyId: accessKeyId },
    });
  }
  return { scheme: 'access-key-headers', accessKeyId, payload: payloadWithoutSigV4(headers) };
}
