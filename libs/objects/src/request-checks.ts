import { S3Error, S3Errors } from '@myfsio/common';
import { validateWritePreconditions, type WritePreconditions } from './conditionals';
import { headerValue } from './header-values';
import type { HeaderBag } from './objects.types';

/** S3's largest single PUT (and CopyObject source): 5 GiB. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** S3's key limit: 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** Throws `KeyTooLongError` for keys over 1024 UTF-8 bytes. */
export function checkKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', { fields: { Size: bytes, MaxSizeAllowed: MAX_KEY_BYTES } });
  }
}

/**
 * Checks the announced body length before any byte is read: a plain (not aws-chunked) body
 * without Content-Length is `MissingContentLength` (411), and a length over the limit is
 * `EntityTooLarge` straight away, as S3 answers without reading the body.
 */
export function checkBodyLength(length: number | undefined, isAwsChunked: boolean, maxSize: number): void {
  if (length === undefined) {
    if (!isAwsChunked) {
      throw new S3Error('MissingContentLength');
    }
    return;
  }
  if (length > maxSize) {
    throw new S3Error('EntityTooLarge', { fields: { ProposedSize: length, MaxSizeAllowed: maxSize } });
  }
}

/** `If-Match` / `If-None-Match` of a write, validated (`If-None-Match` must be `*`). */
export function readWritePreconditions(headers: HeaderBag): WritePreconditions {
  const conditions = {
    ifMatch: headerValue(headers, 'if-match'),
    ifNoneMatch: headerValue(headers, 'if-none-match'),
  };
  validateWritePreconditions(conditions);
  return conditions;
}

/** Longest version id the metadata schema stores. */
const MAX_VERSION_ID_LENGTH = 64;

/** True for a version id that could exist: 1-64 printable ASCII characters (or 'null'). */
export function isValidVersionId(value: string): boolean {
  return value.length <= MAX_VERSION_ID_LENGTH && /^[\x21-\x7e]+$/.test(value);
}

/**
 * The `versionId` query parameter, or undefined when absent. An empty or impossible id is
 * `InvalidArgument`, as S3 answers for a malformed version id.
 */
export function readVersionId(query: URLSearchParams): string | undefined {
  const value = query.get('versionId');
  if (value === null) {
    return undefined;
  }
  if (value === '') {
    throw S3Errors.invalidArgument('versionId', value, 'Version id cannot be the empty string');
  }
  if (!isValidVersionId(value)) {
    throw S3Errors.invalidArgument('versionId', value, 'Invalid version id specified');
  }
  return value;
}

/**
 * The `partNumber` query parameter of GetObject/HeadObject, or undefined. Throws
 * `InvalidArgument` outside 1..10000 and `InvalidRequest` when combined with `Range`.
 */
export function readPartNumber(query: URLSearchParams, rangeHeader: string | undefined): number | undefined {
  const value = query.get('partNumber');
  if (value === null) {
    return undefined;
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10000) {
    throw S3Errors.invalidArgument(
      'partNumber',
      value,
      'Part number must be an integer between 1 and 10000, inclusive',
    );
  }
  if (rangeHeader !== undefined) {
    throw S3Errors.invalidRequest('Cannot specify both Range header and partNumber query parameter');
  }
  return n;
}
