import type { ObjectVersion } from '@myfsio/metadata';

/**
 * A multipart object's file may be older than its row (assembled, then committed) but never
 * newer by more than this: a later mtime means the file was rewritten behind the gateway. The
 * slack covers coarse mtime resolution and clock skew between a gateway and a network file server.
 */
export const MTIME_SLACK_MS = 2000;

/** What a row's file says at a glance (size and mtime); single-part ETags then need the MD5. */
export type StatVerdict =
  { status: 'ok' } | { status: 'phantom' } | { status: 'changed'; detail: string } | { status: 'hash' };

/** A single-part ETag is the hex MD5 of the bytes; multipart ETags end in `-<part count>`. */
export function isSinglePartEtag(etag: string): boolean {
  return /^[0-9a-f]{32}$/.test(etag);
}

/**
 * Compares a current version row with the stat of its file:
 * - no file → phantom metadata;
 * - another size → changed;
 * - single-part ETag → the MD5 decides (`hash`);
 * - multipart ETag (the MD5 of the part MD5s, not of the bytes): the stored part layout must
 *   add up to the size and part count, and the file must not be newer than the row.
 */
export function statVerdict(
  row: Pick<ObjectVersion, 'size' | 'etag' | 'lastModified' | 'partsCount' | 'partSizes'>,
  stat: { size: number; mtimeMs: number } | null,
): StatVerdict {
  if (stat === null) {
    return { status: 'phantom' };
  }
  if (stat.size !== row.size) {
    return { status: 'changed', detail: `size ${stat.size} on disk, ${row.size} in metadata` };
  }
  if (isSinglePartEtag(row.etag)) {
    return { status: 'hash' };
  }
  if (row.partSizes) {
    const bytes = row.partSizes.reduce((sum, [size, count]) => sum + size * count, 0);
    const parts = row.partSizes.reduce((sum, [, count]) => sum + count, 0);
    if (bytes !== row.size || (row.partsCount !== null && parts !== row.partsCount)) {
      return {
        status: 'changed',
        detail: `part layout (${parts} parts, ${bytes} bytes) does not match the object`,
      };
    }
  }
  if (stat.mtimeMs > row.lastModified.getTime() + MTIME_SLACK_MS) {
    return {
      status: 'changed',
      detail: `modified on disk at ${new Date(stat.mtimeMs).toISOString()}, after ${row.lastModified.toISOString()}`,
    };
  }
  return { status: 'ok' };
}

/** The verdict on a single-part row once the file's MD5 is known. */
export function md5Verdict(row: Pick<ObjectVersion, 'etag'>, md5Hex: string): StatVerdict {
  return md5Hex === row.etag
    ? { status: 'ok' }
    : { status: 'changed', detail: `MD5 ${md5Hex} on disk, ${row.etag} in metadata` };
}

/** Whether two stats describe the same file state (a file changing while being hashed is skipped, not judged). */
export function sameStat(
  a: { size: number; mtimeMs: number } | null,
  b: { size: number; mtimeMs: number } | null,
): boolean {
  return a !== null && b !== null && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
