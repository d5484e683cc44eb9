import { S3Error } from '@myfsio/common';
import type { Readable } from 'node:stream';

/** Request bodies of configuration calls (XML, JSON) are small; S3 caps them near 1 MiB. */
export const SMALL_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a small request body whole, refusing more than `limit` bytes with
 * `MaxMessageLengthExceeded` instead of buffering without bound.
 */
export async function readSmallBody(body: Readable, limit = SMALL_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      body.destroy();
      throw new S3Error('MaxMessageLengthExceeded');
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
