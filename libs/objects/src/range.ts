import { S3Error } from '@myfsio/common';

/** An inclusive byte range within an object, as `Content-Range` writes it. */
export interface ByteRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Resolves a `Range` header against an object of `size` bytes.
 *
 * Returns null when the whole object is to be served: no header, a header S3 ignores
 * (not `bytes=`, malformed, `first > last`) or several ranges, which S3 does not support and
 * answers with the full object
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 * Throws `InvalidRange` (416, with `RangeRequested` and `ActualObjectSize`) when the range is
 * well formed but unsatisfiable: the first byte lies beyond the object (any `first-` range of
 * an empty object), or a zero-length suffix. A suffix range of an empty object serves it whole.
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) {
    return null;
  }
  const spec = header.trim().replace(/\s+/g, '');
  const match = SINGLE_RANGE.exec(spec);
  if (!match) {
    return null;
  }
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') {
    return null;
  }
  if (first === '') {
    // Suffix range `bytes=-n`: the last n bytes; a longer suffix is the whole object.
    const suffix = Number(last);
    if (suffix === 0) {
      throw invalidRange(header, size);
    }
    if (size === 0) {
      // S3 answers a tail read of an empty object with the (empty) object, not 416.
      return null;
    }
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) {
    return null;
  }
  if (start >= size) {
    throw invalidRange(header, size);
  }
  return { start, end: Math.min(end, size - 1) };
}

/** `Content-Range` for a served range: `bytes 0-9/100`. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

function invalidRange(requested: string, size: number): S3Error {
  return new S3Error('InvalidRange', {
    fields: { RangeRequested: requested, ActualObjectSize: size },
    // RFC 9110 15.5.17: a 416 names the current length so the client can ask again.
    headers: { 'Content-Range': `bytes */${size}` },
  });
}
