import { S3Error, S3Errors } from '@myfsio/common';
import type { ByteRange, HeaderBag } from '@myfsio/objects';

/** S3's limit on the number of parts of one upload. */
export const MAX_PART_NUMBER = 10000;
/** The most parts ListParts returns, and the most uploads ListMultipartUploads returns, per page. */
export const MAX_LIST_ITEMS = 1000;

/** `partNumber` of UploadPart/UploadPartCopy; `InvalidArgument` unless an integer in 1..10000. */
export function readPartNumber(query: URLSearchParams): number {
  const value = query.get('partNumber') ?? '';
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_PART_NUMBER) {
    throw S3Errors.invalidArgument(
      'partNumber',
      value,
      'Part number must be an integer between 1 and 10000, inclusive',
    );
  }
  return n;
}

/** The `uploadId` query parameter as sent ('' when absent). */
export function readUploadIdParam(query: URLSearchParams): string {
  return query.get('uploadId') ?? '';
}

/** A non-negative integer query parameter, or `fallback` when absent; `InvalidArgument` otherwise. */
function readCount(query: URLSearchParams, name: string, fallback: number, message: string): number {
  const value = query.get(name);
  if (value === null) {
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) > 2147483647) {
    throw S3Errors.invalidArgument(name, value, message);
  }
  return Number(value);
}

/** `max-parts` of ListParts: default and cap 1000. */
export function readMaxParts(query: URLSearchParams): number {
  const n = readCount(
    query,
    'max-parts',
    MAX_LIST_ITEMS,
    'Argument max-parts must be an integer between 0 and 2147483647',
  );
  return Math.min(n, MAX_LIST_ITEMS);
}

/** `part-number-marker` of ListParts: parts after it are listed; 0 when absent. */
export function readPartNumberMarker(query: URLSearchParams): number {
  return readCount(
    query,
    'part-number-marker',
    0,
    'Argument part-number-marker must be an integer between 0 and 2147483647',
  );
}

/** `max-uploads` of ListMultipartUploads: default and cap 1000. */
export function readMaxUploads(query: URLSearchParams): number {
  const n = readCount(
    query,
    'max-uploads',
    MAX_LIST_ITEMS,
    'Argument max-uploads must be an integer between 0 and 2147483647',
  );
  return Math.min(n, MAX_LIST_ITEMS);
}

const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

/**
 * `x-amz-copy-source-range` of UploadPartCopy against a source of `size` bytes, or null to copy
 * the whole source (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html).
 * Anything but `bytes=first-last` with first ≤ last is `InvalidArgument`; a range that reaches
 * past the source is `InvalidRange`.
 */
export function readCopySourceRange(headers: HeaderBag, size: number): ByteRange | null {
  const raw = headers['x-amz-copy-source-range'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value === undefined) {
    return null;
  }
  const match = COPY_RANGE.exec(value.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end) {
    throw S3Errors.invalidArgument(
      'x-amz-copy-source-range',
      value,
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    );
  }
  if (end >= size) {
    throw new S3Error('InvalidRange', {
      message: `Range specified is not valid for source object of size: ${size}`,
      fields: { RangeRequested: value, ActualObjectSize: size },
    });
  }
  return { start, end };
}
