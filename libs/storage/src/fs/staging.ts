import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createHasher, type ChecksumAlgorithm } from '@myfsio/common';
import type { StagedObject, StageOptions } from '../object-store';
import { StorageError, toStorageError } from '../storage-error';
import { ChunkSink } from './chunk-sink';
import { closeFd, closeFdQuietly, fdatasyncFd } from './fd-io';
import { succeeds } from './fs-helpers';
import { createTempFile, dropTempFile } from './temp-file';

/** What staging needs from the store. */
export interface StagingArea {
  readonly tempDir: string;
  readonly writeBlockSize: number;
  /** Temp files this process is writing or holding staged; reclaimTemp() skips them. */
  readonly live: Set<string>;
  /** Creates the temp directory on first use. */
  ready(): Promise<void>;
  /** Publishes a temp file; `onPlaced` runs once the rename is done. */
  publish(tempPath: string, bucket: string, key: string, onPlaced: () => void): Promise<void>;
}

/**
 * Streams `body` into a new temp file:
 *  1. create `<tempDir>/<pid>-<random>-<n>.tmp` exclusively;
 *  2. read the body without destroying it on early exit, enforcing maxSize/expectedSize as bytes arrive;
 *  3. hash and write in large blocks (ChunkSink);
 *  4. fdatasync and close, so publish() only has to rename and fsync the directory.
 * Any failure removes the temp file; the body's own error is rethrown unchanged.
 */
export async function stageBody(
  area: StagingArea,
  body: Readable,
  options: StageOptions,
): Promise<StagedObject> {
  checkDeclaredSize(options);
  return withBodyErrors(body, (earlyError) => stageBodyWith(area, body, options, earlyError));
}

/** StorageError 'TooLarge' at once when the announced length is over the limit. */
export function checkDeclaredSize({ maxSize, expectedSize }: StageOptions): void {
  if (maxSize !== undefined && expectedSize !== undefined && expectedSize > maxSize) {
    throw new StorageError('TooLarge', `the body of ${expectedSize} bytes exceeds the limit of ${maxSize}`);
  }
}

/** {@link stageBody} for a caller that already listens for the body's errors (withBodyErrors). */
export async function stageBodyWith(
  area: StagingArea,
  body: Readable,
  options: StageOptions,
  earlyError: () => { error: unknown } | null,
): Promise<StagedObject> {
  const temp = await createTempFile(area);
  const tempPath = temp.path;
  let fd: number | null = temp.fd;
  try {
    const written = await writeBodyAt(fd, 0, body, options, area.writeBlockSize, earlyError);
    const staged = fd;
    fd = null;
    await syncAndClose(staged);
    return new FsStagedObject(area, tempPath, written.size, written.md5, written.checksums);
  } catch (err) {
    await dropTempFile(area, tempPath, fd);
    throw err;
  }
}

/** What {@link writeBodyAt} wrote: the length and the digests of the bytes. */
export interface WrittenBody {
  size: number;
  md5: Buffer;
  checksums: Partial<Record<ChecksumAlgorithm, Buffer>>;
}

/**
 * Streams `body` into open file `fd` from `position` on, hashing as it goes and enforcing
 * maxSize/expectedSize as bytes arrive. Every write is settled when it returns or throws; the
 * caller syncs and closes the file. `earlyError` reports a body error seen before the read began.
 */
export async function writeBodyAt(
  fd: number,
  position: number,
  body: Readable,
  options: StageOptions,
  writeBlockSize: number,
  earlyError: () => { error: unknown } | null = () => null,
): Promise<WrittenBody> {
  const { maxSize, expectedSize } = options;
  const algorithms = new Set(options.checksums ?? []);
  const md5 = createHasher('MD5');
  const hashers = [...algorithms].map((algorithm) => ({ algorithm, hasher: createHasher(algorithm) }));
  const blockSize = Math.max(1, Math.min(expectedSize ?? writeBlockSize, writeBlockSize));
  const sink = new ChunkSink(fd, blockSize, [md5, ...hashers.map(({ hasher }) => hasher)], position);
  try {
    const failed = earlyError();
    if (failed !== null) {
      throw failed.error;
    }
    let size = 0;
    for await (const chunk of body.iterator({ destroyOnReturn: false })) {
      const bytes = toBytes(chunk);
      size += bytes.length;
      if (maxSize !== undefined && size > maxSize) {
        throw new StorageError('TooLarge', `the body exceeds the limit of ${maxSize} bytes`);
      }
      if (expectedSize !== undefined && size > expectedSize) {
        throw new StorageError('SizeMismatch', `the body is longer than the expected ${expectedSize} bytes`);
      }
      await sink.push(bytes);
    }
    if (expectedSize !== undefined && size !== expectedSize) {
      throw new StorageError('SizeMismatch', `the body has ${size} bytes, expected ${expectedSize}`);
    }
    await sink.finish();
    const checksums: Partial<Record<ChecksumAlgorithm, Buffer>> = {};
    for (const { algorithm, hasher } of hashers) {
      checksums[algorithm] = await hasher.digest();
    }
    return { size, md5: await md5.digest(), checksums };
  } catch (err) {
    await sink.abandon();
    throw err;
  }
}

/**
 * Runs `write` with `body`'s errors captured from the first moment: a body that fails while
 * the target file is being opened would otherwise emit 'error' with no listener and crash the
 * process. `write` gets a function reporting such an early error.
 */
export async function withBodyErrors<T>(
  body: Readable,
  write: (earlyError: () => { error: unknown } | null) => Promise<T>,
): Promise<T> {
  let earlyError: { error: unknown } | null = null;
  const onError = (error: unknown): void => {
    earlyError ??= { error };
  };
  body.on('error', onError);
  try {
    return await write(() => earlyError);
  } finally {
    body.off('error', onError);
  }
}

/** Flushes the file's data and closes it; the descriptor is closed whatever happens. */
export async function syncAndClose(fd: number): Promise<void> {
  try {
    await fdatasyncFd(fd);
  } catch (err) {
    await closeFdQuietly(fd);
    throw toStorageError(err, 'syncing a staged object');
  }
  try {
    await closeFd(fd);
  } catch (err) {
    throw toStorageError(err, 'closing a staged object');
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) {
    return chunk;
  }
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, 'utf8');
  }
  throw new TypeError('stage() needs a byte stream, not an object-mode stream');
}

class FsStagedObject implements StagedObject {
  private state: 'staged' | 'publishing' | 'published' | 'discarded' = 'staged';

  constructor(
    private readonly area: StagingArea,
    private readonly tempPath: string,
    readonly size: number,
    readonly md5: Buffer,
    readonly checksums: Partial<Record<ChecksumAlgorithm, Buffer>>,
  ) {}

  async publish(bucket: string, key: string): Promise<void> {
    if (this.state !== 'staged') {
      throw new Error(`publish() on a staged object that is ${this.state}`);
    }
    this.state = 'publishing';
    try {
      await this.area.publish(this.tempPath, bucket, key, () => {
        this.state = 'published';
        this.area.live.delete(this.tempPath);
      });
    } finally {
      if (this.state === 'publishing') {
        this.state = 'staged';
      }
    }
  }

  /** Never throws: a temp file it fails to remove is reclaimed later by reclaimTemp(). */
  async discard(): Promise<void> {
    if (this.state !== 'staged') {
      return;
    }
    this.state = 'discarded';
    await succeeds(unlink(this.tempPath), 'ENOENT').catch(() => undefined);
    this.area.live.delete(this.tempPath);
  }
}
