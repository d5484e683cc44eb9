import {
  CHECKSUM_ALGORITHMS,
  CHECKSUM_DIGEST_BYTES,
  type ChecksumAlgorithm,
  checksumHeader,
  parseChecksumAlgorithm,
  S3Error,
  S3Errors,
} from '@myfsio/common';
import type { HeaderBag } from './objects.types';
import { headerValue } from './header-values';

/**
 * The checksum a write request asks for: the algorithm to compute and the value the client
 * claims, either in a header now or in a trailer at the end of an aws-chunked body.
 */
export interface ChecksumRequest {
  algorithm: ChecksumAlgorithm;
  /** The claimed base64 value; null when it arrives as a trailer. */
  value: string | null;
  /** The trailer that carries the value (`x-amz-checksum-crc32`), or null. */
  trailer: string | null;
}

/** True when `value` is the canonical base64 of a digest of the algorithm's length. */
function isValidDigest(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === CHECKSUM_DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}

function invalidHeaderValue(header: string): S3Error {
  return S3Errors.invalidRequest(`Value for ${header} header is invalid.`);
}

/**
 * Reads `x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm` and `x-amz-trailer`, with S3's
 * errors (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
 * more than one checksum, a malformed value, an unknown algorithm or trailer, or an SDK
 * algorithm without its value are `InvalidRequest`. Null when the client sent no checksum.
 */
export function readChecksumRequest(headers: HeaderBag): ChecksumRequest | null {
  const sent = CHECKSUM_ALGORITHMS.filter((a) => headerValue(headers, checksumHeader(a)) !== undefined);
  if (sent.length > 1) {
    throw S3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const trailerName = headerValue(headers, 'x-amz-trailer')?.trim().toLowerCase();
  let trailerAlgorithm: ChecksumAlgorithm | null = null;
  if (trailerName !== undefined && trailerName !== '') {
    trailerAlgorithm = trailerName.startsWith('x-amz-checksum-')
      ? parseChecksumAlgorithm(trailerName.slice('x-amz-checksum-'.length))
      : null;
    if (trailerAlgorithm === null) {
      throw S3Errors.invalidRequest('The value specified in the x-amz-trailer header is not supported');
    }
  }
  const sdkHeader = headerValue(headers, 'x-amz-sdk-checksum-algorithm');
  const sdkAlgorithm = sdkHeader === undefined ? null : parseChecksumAlgorithm(sdkHeader);
  if (sdkHeader !== undefined && sdkAlgorithm === null) {
    throw invalidHeaderValue('x-amz-sdk-checksum-algorithm');
  }
  const [headerAlgorithm] = sent;
  if (headerAlgorithm !== undefined && trailerAlgorithm !== null) {
    throw S3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const algorithm = headerAlgorithm ?? trailerAlgorithm;
  if (algorithm === null || algorithm === undefined) {
    if (sdkAlgorithm !== null) {
      throw S3Errors.invalidRequest(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    return null;
  }
  if (sdkAlgorithm !== null && sdkAlgorithm !== algorithm) {
    throw invalidHeaderValue('x-amz-sdk-checksum-algorithm');
  }
  if (headerAlgorithm === undefined) {
    return { algorithm, value: null, trailer: checksumHeader(algorithm) };
  }
  const value = headerValue(headers, checksumHeader(algorithm)) ?? '';
  if (!isValidDigest(algorithm, value)) {
    throw invalidHeaderValue(checksumHeader(algorithm));
  }
  return { algorithm, value, trailer: null };
}

/**
 * The claimed value once the body has been read: the header value, or the trailer's.
 * Throws `InvalidRequest` when the declared trailer is missing or malformed.
 */
export function claimedChecksum(request: ChecksumRequest, trailers: Record<string, string>): string {
  if (request.value !== null) {
    return request.value;
  }
  const name = request.trailer ?? checksumHeader(request.algorithm);
  const value = trailers[name]?.trim();
  if (value === undefined || !isValidDigest(request.algorithm, value)) {
    throw invalidHeaderValue(name);
  }
  return value;
}

/** Throws `BadDigest` when the computed checksum differs from the claimed one, as S3 words it. */
export function verifyChecksum(algorithm: ChecksumAlgorithm, claimed: string, computed: string): void {
  if (claimed !== computed) {
    throw new S3Error('BadDigest', {
      message: `The ${algorithm} you specified did not match the calculated checksum.`,
    });
  }
}

/**
 * `Content-MD5` as raw bytes, or null when absent. Throws `InvalidDigest` unless it is the
 * base64 of 16 bytes.
 */
export function readContentMd5(headers: HeaderBag): Buffer | null {
  const value = headerValue(headers, 'content-md5');
  if (value === undefined) {
    return null;
  }
  const bytes = Buffer.from(value.trim(), 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value.trim()) {
    throw new S3Error('InvalidDigest');
  }
  return bytes;
}

/** Throws `BadDigest` when the body's MD5 (hex) differs from `Content-MD5`. */
export function verifyContentMd5(expected: Buffer, md5Hex: string): void {
  if (expected.toString('hex') !== md5Hex.toLowerCase()) {
    throw new S3Error('BadDigest');
  }
}

/** True for `x-amz-checksum-mode: ENABLED`: only then does S3 return stored checksums on reads. */
export function isChecksumModeEnabled(headers: HeaderBag): boolean {
  return headerValue(headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
}

/** `x-amz-checksum-<algo>` headers for stored checksums, with `x-amz-checksum-type`. */
export function checksumResponseHeaders(
  checksums: Record<string, string> | null,
  type: string | null,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(checksums ?? {})) {
    const algorithm = parseChecksumAlgorithm(name);
    if (algorithm !== null) {
      headers[checksumHeader(algorithm)] = value;
    }
  }
  if (Object.keys(headers).length > 0) {
    headers['x-amz-checksum-type'] = type ?? 'FULL_OBJECT';
  }
  return headers;
}
