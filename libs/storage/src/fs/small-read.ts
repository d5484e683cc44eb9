import { Readable } from 'node:stream';
import { closeFd, readFd } from './fd-io';

/**
 * Whole files up to this size are read at once rather than streamed: for small objects
 * a ReadStream's setup and its extra read to find the end cost more than the bytes.
 */
export const SMALL_READ_MAX = 64 * 1024;

/**
 * Reads the first `size` bytes of the file open at `fd` into one Buffer and closes `fd`,
 * whatever happens. A file that shrank meanwhile yields the bytes that are left, as a ReadStream
 * bounded by `end` would; bytes appended after `size` are not read.
 */
export async function readSmallFile(fd: number, size: number): Promise<Buffer> {
  try {
    const buf = Buffer.allocUnsafe(size);
    let filled = 0;
    // One pread normally returns the whole regular file; the loop covers short reads.
    while (filled < size) {
      const bytesRead = await readFd(fd, buf, filled, size - filled, filled);
      if (bytesRead === 0) {
        break;
      }
      filled += bytesRead;
    }
    return filled === size ? buf : buf.subarray(0, filled);
  } finally {
    await closeFd(fd);
  }
}

/** A byte stream (not object mode) that yields `buf` as its only chunk. */
export function bufferStream(buf: Buffer): Readable {
  const stream = new Readable({ read: () => undefined });
  stream.push(buf);
  stream.push(null);
  return stream;
}
