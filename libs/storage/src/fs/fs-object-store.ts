import type { Stats } from 'node:fs';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { keyToRelativePath, type KeyPath } from '../key-path/key-path';
import { MAX_BUCKET_BYTES, MAX_ROOT_BYTES, SYSTEM_DIR } from '../key-path/reserved-names';
import {
  ObjectStore,
  type AssembledObject,
  type ByteRange,
  type ObjectReader,
  type PartRef,
  type StagedPart,
  type StagedObject,
  type StageOptions,
  type StorageOptions,
  type WalkEntry,
} from '../object-store';
import { StorageError, toStorageError } from '../storage-error';
import { removeEmptyBucketDir } from './bucket-dir';
import { DirTree } from './dir-tree';
import { FsMaintenanceStore } from './fs-maintenance-store';
import { closeFd } from './fd-io';
import { FileRangeStream } from './file-range-stream';
import { errorCode, fsyncDir, lstatOrNull, succeeds, tolerate } from './fs-helpers';
import { KeyedMutex } from './keyed-mutex';
import { locateAndOpen, locateByStat, openFile, statOrNull } from './object-files';
import { UploadParts } from './parts';
import { publishTempFile } from './publish';
import { removeObjectFiles } from './remove';
import { removeManyObjectFiles } from './remove-many';
import { bufferStream, readSmallFile, SMALL_READ_MAX } from './small-read';
import { stageBody, type StagingArea } from './staging';
import { VersionFiles, versionStoragePath } from './versions';
import { walkBucket } from './walk';

const DEFAULT_STREAM_CHUNK = 64 * 1024;
const DEFAULT_WRITE_BLOCK = 1024 * 1024;
// Reads of at least this many bytes use LARGE_READ_CHUNK: fewer, larger preads for big downloads.
const LARGE_READ_THRESHOLD = 8 * 1024 * 1024;
const LARGE_READ_CHUNK = 1024 * 1024;
// File operations of one removeMany in flight at once: enough to keep the libuv pool busy.
const REMOVE_CONCURRENCY = 32;

/**
 * ObjectStore over a POSIX directory tree: `STORAGE_ROOT/<bucket>/<key>`, with the
 * shadow forms of docs/storage-layout.md for keys that cannot be plain files. One
 * instance per process; several processes (gateways) may share the tree.
 */
export class FsObjectStore extends ObjectStore {
  private readonly root: string;
  private readonly streamChunkSize: number;
  private readonly mutex = new KeyedMutex();
  private readonly tree = new DirTree(this.mutex);
  private readonly staging: StagingArea;
  private readonly parts: UploadParts;
  private readonly versions: VersionFiles;
  private systemArea: Promise<void> | null = null;
  /** The maintenance view of this tree (GC, integrity), sharing its temp-file registry, locks and directory cache. */
  readonly maintenance: FsMaintenanceStore;

  /** @throws RangeError when the absolute root is longer than MAX_ROOT_BYTES or a size option is not positive. */
  constructor(options: StorageOptions) {
    super();
    this.root = resolve(options.root);
    if (Buffer.byteLength(this.root) > MAX_ROOT_BYTES) {
      throw new RangeError(`STORAGE_ROOT must be at most ${MAX_ROOT_BYTES} bytes as an absolute path`);
    }
    this.streamChunkSize = positive(options.streamChunkSize ?? DEFAULT_STREAM_CHUNK, 'streamChunkSize');
    this.staging = {
      tempDir: `${this.root}/${SYSTEM_DIR}/tmp`,
      writeBlockSize: positive(options.writeBlockSize ?? DEFAULT_WRITE_BLOCK, 'writeBlockSize'),
      live: new Set(),
      publish: (tempPath, bucket, key, onPlaced) => this.publish(tempPath, bucket, key, onPlaced),
      ready: () => this.ensureSystemArea(),
    };
    this.parts = new UploadParts(`${this.root}/${SYSTEM_DIR}/multipart`, this.staging);
    this.maintenance = new FsMaintenanceStore({
      root: this.root,
      staging: this.staging,
      multipartDir: `${this.root}/${SYSTEM_DIR}/multipart`,
      mutex: this.mutex,
      tree: this.tree,
      bucketDir: (bucket) => this.bucketDir(bucket),
    });
    this.versions = new VersionFiles(this.root, this.staging);
  }

  async createBucket(bucket: string): Promise<void> {
    const dir = this.bucketDir(bucket);
    try {
      await this.ensureSystemArea();
      if (await succeeds(mkdir(dir), 'EEXIST')) {
        await fsyncDir(this.root);
      } else if (!(await statOrNull(dir))?.isDirectory()) {
        throw new StorageError('Io', `${dir} exists and is not a directory`);
      }
    } catch (err) {
      throw toStorageError(err, `creating bucket directory ${bucket}`);
    }
  }

  async removeBucket(bucket: string): Promise<void> {
    const dir = this.bucketDir(bucket);
    try {
      if (await removeEmptyBucketDir(dir)) {
        await fsyncDir(this.root);
      }
    } catch (err) {
      throw toStorageError(err, `removing bucket directory ${bucket}`);
    } finally {
      this.tree.forgetBucket(dir);
    }
  }

  stage(body: Readable, options: StageOptions = {}): Promise<StagedObject> {
    return stageBody(this.staging, body, options);
  }

  async open(bucket: string, key: string, range?: ByteRange): Promise<ObjectReader | null> {
    const { dir, kp } = this.locate(bucket, key);
    checkRange(range);
    const found = await this.io(`opening ${bucket}/${key}`, () => locateAndOpen(dir, kp));
    return found === null ? null : this.readerOf(found.value, found.stats, range, `${bucket}/${key}`);
  }

  async openVersion(storagePath: string, range?: ByteRange): Promise<ObjectReader | null> {
    const path = this.versions.absolute(storagePath);
    checkRange(range);
    const found = await this.io(`opening ${storagePath}`, () => openFile(path));
    return found === null ? null : this.readerOf(found.value, found.stats, range, storagePath);
  }

  async preserveVersion(bucket: string, key: string, versionId: string): Promise<string | null> {
    const { dir, kp } = this.locate(bucket, key);
    const storagePath = versionStoragePath(bucket, key, versionId);
    return this.io(`preserving ${bucket}/${key} as version ${versionId}`, async () => {
      // A shadow conversion may move the file between locating and linking it: locate again.
      for (let attempt = 1; ; attempt++) {
        const found = await locateByStat(dir, kp);
        if (found === null) {
          return null;
        }
        try {
          await this.versions.preserve(found.path, storagePath);
          return storagePath;
        } catch (err) {
          if (errorCode(err) !== 'ENOENT' || attempt >= 3) {
            throw err;
          }
        }
      }
    });
  }

  async restoreVersion(storagePath: string, bucket: string, key: string): Promise<boolean> {
    return this.io(`restoring ${storagePath} to ${bucket}/${key}`, async () => {
      const staged = await this.versions.stageCopy(storagePath);
      if (staged === null) {
        return false;
      }
      try {
        await staged.file.publish((tempPath, onPlaced) => this.publish(tempPath, bucket, key, onPlaced));
        return true;
      } finally {
        await staged.file.discard();
      }
    });
  }

  async removeVersion(storagePath: string): Promise<void> {
    await this.io(`removing ${storagePath}`, () => this.versions.remove(storagePath));
  }

  /** A reader over an opened file: small whole files in one read, otherwise a bounded stream. */
  private async readerOf(
    fd: number,
    stats: Stats,
    range: ByteRange | undefined,
    label: string,
  ): Promise<ObjectReader> {
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? stats.size - 1, stats.size - 1);
    if (start > end) {
      await closeFd(fd);
      return { stream: emptyStream(), size: stats.size, mtimeMs: stats.mtimeMs };
    }
    if (range === undefined && stats.size <= SMALL_READ_MAX) {
      const buf = await this.io(`reading ${label}`, () => readSmallFile(fd, stats.size));
      return { stream: bufferStream(buf), size: stats.size, mtimeMs: stats.mtimeMs };
    }
    // `end` is always set, so the stream never issues a read past it and reads are sized to what is left.
    const highWaterMark =
      end - start + 1 >= LARGE_READ_THRESHOLD
        ? Math.max(this.streamChunkSize, LARGE_READ_CHUNK)
        : this.streamChunkSize;
    // The stream owns the descriptor from here: it closes it at the end, on error and when
    // destroyed (a client that goes away).
    const stream = new FileRangeStream(fd, start, end, highWaterMark);
    return { stream, size: stats.size, mtimeMs: stats.mtimeMs };
  }

  async stat(bucket: string, key: string): Promise<{ size: number; mtimeMs: number } | null> {
    const { dir, kp } = this.locate(bucket, key);
    const found = await this.io(`stat ${bucket}/${key}`, () => locateByStat(dir, kp));
    return found && { size: found.stats.size, mtimeMs: found.stats.mtimeMs };
  }

  async pathOf(bucket: string, key: string): Promise<string | null> {
    const { dir, kp } = this.locate(bucket, key);
    const found = await this.io(`locating ${bucket}/${key}`, () => locateByStat(dir, kp));
    return found?.path ?? null;
  }

  async remove(bucket: string, key: string): Promise<void> {
    const { dir, kp } = this.locate(bucket, key);
    await this.io(`removing ${bucket}/${key}`, async () => {
      const emptied = await this.mutex.run(`${dir}/${kp.plainPath}`, () => removeObjectFiles(dir, kp));
      await this.tree.prune(dir, emptied);
    });
  }

  async removeMany(bucket: string, keys: readonly string[]): Promise<Map<string, StorageError>> {
    const dir = this.bucketDir(bucket);
    const targets = [...new Set(keys)].map((key) => ({ key, kp: keyToRelativePath(key) }));
    // 1. The files, under every key's lock (as remove() holds one), then one fsync per directory.
    const removal = await this.mutex.runAll(
      targets.map(({ kp }) => `${dir}/${kp.plainPath}`),
      () => removeManyObjectFiles(dir, targets, REMOVE_CONCURRENCY),
    );
    // 2. Emptied directories, once each, outside the locks (pruning may convert a shadowed
    //    name back to a file, which takes that name's lock).
    const pruneFailures = await this.tree.pruneMany(dir, removal.emptied, REMOVE_CONCURRENCY);
    const failed = new Map<string, StorageError>();
    for (const [key, err] of removal.failed) {
      failed.set(key, toStorageError(err, `removing ${bucket}/${key}`));
    }
    for (const { err, owners } of pruneFailures) {
      owners.forEach((key) =>
        failed.set(key, toStorageError(err, `pruning directories of ${bucket}/${key}`)),
      );
    }
    return failed;
  }

  stagePart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: StageOptions = {},
  ): Promise<StagedPart> {
    return this.parts.stage(uploadId, partNumber, body, options);
  }

  assembleParts(uploadId: string, parts: readonly PartRef[]): Promise<AssembledObject> {
    return this.parts.assemble(uploadId, parts);
  }

  removeUploadParts(uploadId: string): Promise<void> {
    return this.parts.remove(uploadId);
  }

  walk(bucket: string): AsyncIterable<WalkEntry> {
    return walkBucket(this.bucketDir(bucket));
  }

  async reclaimTemp(olderThanMs: number): Promise<number> {
    const { tempDir, live } = this.staging;
    return this.io('reclaiming temp files', async () => {
      const names = (await tolerate(readdir(tempDir), 'ENOENT')) ?? [];
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of names) {
        const path = `${tempDir}/${name}`;
        const stats = live.has(path) ? null : await lstatOrNull(path);
        if (stats !== null && stats.mtimeMs < cutoff && (await succeeds(unlink(path), 'ENOENT'))) {
          removed++;
        }
      }
      return removed;
    });
  }

  private async publish(tempPath: string, bucket: string, key: string, onPlaced: () => void): Promise<void> {
    const { dir, kp } = this.locate(bucket, key);
    await this.io(`publishing ${bucket}/${key}`, () =>
      publishTempFile(this.tree, tempPath, dir, kp, onPlaced),
    );
  }

  private locate(bucket: string, key: string): { dir: string; kp: KeyPath } {
    return { dir: this.bucketDir(bucket), kp: keyToRelativePath(key) };
  }

  /** STORAGE_ROOT/<bucket>, refusing names that are not a single plain directory name. */
  private bucketDir(bucket: string): string {
    if (
      bucket.length === 0 ||
      bucket.startsWith('.') ||
      /[/\0]/.test(bucket) ||
      Buffer.byteLength(bucket) > MAX_BUCKET_BYTES
    ) {
      throw new RangeError(`invalid bucket name ${JSON.stringify(bucket)}`);
    }
    return `${this.root}/${bucket}`;
  }

  private ensureSystemArea(): Promise<void> {
    this.systemArea ??= mkdir(this.staging.tempDir, { recursive: true }).then(
      () => undefined,
      (err: unknown) => {
        this.systemArea = null;
        throw err;
      },
    );
    return this.systemArea;
  }

  private async io<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toStorageError(err, action);
    }
  }
}

/** RangeError for a range that is not a pair of safe integers with 0 <= start <= end. */
function checkRange(range: ByteRange | undefined): void {
  if (
    range &&
    !(
      Number.isSafeInteger(range.start) &&
      Number.isSafeInteger(range.end) &&
      range.start >= 0 &&
      range.end >= range.start
    )
  ) {
    throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
  }
}

function emptyStream(): Readable {
  const stream = new Readable({ read: () => undefined });
  stream.push(null);
  return stream;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer`);
  }
  return value;
}
