import { S3Error, S3Errors } from '@myfsio/common';
import type { RequestHeaders } from './request-parts';
import type { PayloadVerification } from './types';

/** x-amz-content-sha256 literal values. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_ECDSA = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';
const STREAMING_ECDSA_TRAILER = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER';

/** What an x-amz-content-sha256 value announces about the body. */
export type ContentSha256 =
  | { readonly kind: 'sha256'; readonly sha256Hex: string }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'streaming-signed'; readonly hasTrailer: boolean }
  | { readonly kind: 'streaming-unsigned-trailer' };

/**
 * Classifies an x-amz-content-sha256 value; throws InvalidArgument for anything S3 does not accept,
 * and NotImplemented for the SigV4a (ECDSA) streaming forms.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
export function classifyContentSha256(value: string): ContentSha256 {
  switch (value) {
    case UNSIGNED_PAYLOAD:
      return { kind: 'unsigned' };
    case STREAMING_SIGNED:
      return { kind: 'streaming-signed', hasTrailer: false };
    case STREAMING_SIGNED_TRAILER:
      return { kind: 'streaming-signed', hasTrailer: true };
    case STREAMING_UNSIGNED_TRAILER:
      return { kind: 'streaming-unsigned-trailer' };
    case STREAMING_ECDSA:
    case STREAMING_ECDSA_TRAILER:
      throw S3Errors.notImplemented(`x-amz-content-sha256 ${value}`);
  }
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return { kind: 'sha256', sha256Hex: value.toLowerCase() };
  }
  throw new S3Error('InvalidArgument', {
    message: `x-amz-content-sha256 must be ${UNSIGNED_PAYLOAD}, ${STREAMING_UNSIGNED_TRAILER}, ${STREAMING_SIGNED}, ${STREAMING_SIGNED_TRAILER}, ${STREAMING_ECDSA}, ${STREAMING_ECDSA_TRAILER} or a valid sha256 value.`,
    fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
  });
}

/**
 * The body checks of a request not signed with SigV4 (anonymous, SigV2, access-key headers): a
 * declared SHA-256 is still verified and an unsigned aws-chunked body still decoded, but signed
 * streaming needs a SigV4 seed signature and is refused (InvalidRequest).
 */
export function payloadWithoutSigV4(headers: RequestHeaders): PayloadVerification {
  const declared = headers.get('x-amz-content-sha256')?.trim();
  if (declared === undefined) {
    return { mode: 'unsigned' };
  }
  const content = classifyContentSha256(declared);
  switch (content.kind) {
    case 'sha256':
      return { mode: 'sha256', sha256Hex: content.sha256Hex };
    case 'unsigned':
      return { mode: 'unsigned' };
    case 'streaming-unsigned-trailer':
      return { mode: 'aws-chunked', signing: null, hasTrailer: true };
    case 'streaming-signed':
      throw S3Errors.invalidRequest(
        `x-amz-content-sha256 ${declared} requires a SigV4 Authorization header.`,
      );
  }
}
