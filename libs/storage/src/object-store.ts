import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from '@myfsio/common';
import type { StorageError } from './storage-error';

/** Options of the file-system adapter. */
export interface StorageOptions {
  /** STORAGE_ROOT: buckets are its subdirectories; `.myfsio.sys/` beside them is the system area. */
  root: string;
  /** highWaterMark of object read streams, in bytes. Default 64 KiB; reads of 8 MiB or more use at least 1 MiB. */
  streamChunkSize?: number;
  /** Size of the blocks a staged body is coalesced into before each write, in bytes. Default 1 MiB. */
  writeBlockSize?: number;
}

/** An inclusive byte range, as in the HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Limits and digests for {@link ObjectStore.stage}. */
export interface StageOptions {
  /** More bytes than this → StorageError 'TooLarge' (checked as bytes arrive). */
  maxSize?: number;
  /** Exact body length (Content-Length or decoded length): fewer or more bytes → StorageError 'SizeMismatch'. */
  expectedSize?: number;
  /** Checksums to compute besides MD5, which is always computed. */
  checksums?: readonly ChecksumAlgorithm[];
}

/** A body written to a temporary file and fsynced, not visible to readers until published. */
export interface StagedObject {
  readonly size: number;
  /** Raw MD5 digest (the ETag of a single-part object). */
  readonly md5: Buffer;
  /** Raw digests of the requested checksum algorithms. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, Buffer>>;
  /**
   * Renames the staged file into place as the current bytes of bucket/key (creating
   * directories and applying the shadow form as needed) and fsyncs the directory.
   * When it resolves, the object is visible and durable. Concurrent publishes to one
   * key: the last rename wins, never a mix. May be called once.
   * @throws StorageError 'KeyPathConflict' or 'Io'; the staged file then remains for discard().
   */
  publish(bucket: string, key: string): Promise<void>;
  /** Removes the staged file unless it was published. Idempotent; always safe in `finally`. */
  discard(): Promise<void>;
}

/**
 * A part of a multipart upload as stored in the system area: its number, the hex MD5 of its
 * bytes (part of the file name, so two uploads of one part number never share a file) and
 * its size.
 */
export interface PartRef {
  partNumber: number;
  md5: string;
  size: number;
}

/** A part body written to a temp file and fsynced; not part of its upload until published. */
export interface StagedPart {
  readonly size: number;
  /** Raw MD5 digest (the part's ETag). */
  readonly md5: Buffer;
  /** Raw digests of the requested checksum algorithms. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, Buffer>>;
  /**
   * Renames the staged file to the upload's slot for this part number and MD5 and fsyncs
   * the directory. Publishing the same number and MD5 again replaces the file (same bytes).
   * May be called once. @throws StorageError 'Io'; the staged file then remains for discard().
   */
  publish(): Promise<void>;
  /** Removes the staged file unless it was published. Idempotent; always safe in `finally`. */
  discard(): Promise<void>;
}

/** The parts of an upload concatenated into one temp file (fsynced); not visible until published. */
export interface AssembledObject {
  readonly size: number;
  /** As {@link StagedObject.publish}: atomically makes the file the current bytes of bucket/key. */
  publish(bucket: string, key: string): Promise<void>;
  /** Removes the temp file unless it was published. Idempotent; always safe in `finally`. */
  discard(): Promise<void>;
}

/** An open object file. The caller must consume or destroy `stream` (it holds a file descriptor). */
export interface ObjectReader {
  /** The requested bytes (the whole file without a range). */
  stream: Readable;
  /** Size of the whole file. */
  size: number;
  mtimeMs: number;
}

/** One object file found by {@link ObjectStore.walk}. */
export interface WalkEntry {
  key: string;
  size: number;
  mtimeMs: number;
}

/**
 * The bytes of objects on the file system; no metadata. Every method may throw
 * StorageError 'Io' for a file-system failure, and RangeError for an empty or
 * ill-formed key (not UTF-8) or an invalid bucket name; those are caller bugs.
 */
export abstract class ObjectStore {
  /** Creates the bucket directory (and the system area on first use). Idempotent. */
  abstract createBucket(bucket: string): Promise<void>;

  /**
   * Removes the bucket directory when it holds no object files (only empty
   * directories, e.g. leftovers of conversions). Missing already: no-op.
   * @throws StorageError 'NotEmpty' when any file is found.
   */
  abstract removeBucket(bucket: string): Promise<void>;

  /**
   * Streams `body` into a temp file in the system area, computing MD5 and the
   * requested checksums on the way, then fsyncs it. Nothing is visible until
   * publish(). Memory stays bounded whatever the size.
   * @throws StorageError 'TooLarge' / 'SizeMismatch' for the limits in `options`; the
   *   body is then left unconsumed and not destroyed (the caller owns it).
   * @throws the body's own error, unchanged, when `body` fails.
   * On any throw the temp file is already removed.
   */
  abstract stage(body: Readable, options?: StageOptions): Promise<StagedObject>;

  /**
   * Opens the current bytes of bucket/key, optionally a byte range (end is clamped
   * to the last byte; a range past the end yields an empty stream). Null when there
   * is no file. The caller owns the stream.
   */
  abstract open(bucket: string, key: string, range?: ByteRange): Promise<ObjectReader | null>;

  /** Size and mtime of the current file of bucket/key; null when there is none. */
  abstract stat(bucket: string, key: string): Promise<{ size: number; mtimeMs: number } | null>;

  /**
   * Removes the file of bucket/key if present (idempotent), fsyncs its directory,
   * prunes emptied parent directories up to the bucket directory, and turns a
   * shadowed object back into a plain file when its directory holds nothing else.
   */
  abstract remove(bucket: string, key: string): Promise<void>;

  /**
   * As {@link remove} for many keys of one bucket (DeleteObjects): the files are removed a
   * few at a time, each directory that lost entries is fsynced once after all its removals,
   * and emptied directories are pruned once each. When it resolves, every key not in the
   * returned map is durably gone (missing already counts as removed). Keys may repeat.
   * @returns the keys whose removal failed, with a StorageError 'Io' each; a failure to prune a
   *   directory counts against the keys whose removal emptied it.
   */
  abstract removeMany(bucket: string, keys: readonly string[]): Promise<Map<string, StorageError>>;

  /**
   * Lists the object files of a bucket as keys (for the integrity scanner), in no
   * particular order. Skips what it cannot map back to a key: system and temp
   * names, hashed names (segments over 255 bytes, very long keys), files inside
   * unknown `.myfsio*` directories. Missing bucket directory: yields nothing.
   */
  abstract walk(bucket: string): AsyncIterable<WalkEntry>;

  /** Absolute path of the file holding bucket/key now (plain or shadow form); null when none. */
  abstract pathOf(bucket: string, key: string): Promise<string | null>;

  /**
   * Keeps the current bytes of bucket/key as version `versionId` in the system area
   * (`.myfsio.sys/versions/`, see docs/storage-layout.md), durably, while the plain path keeps
   * them too: a hard link where the file system allows it, else a fsynced copy. The next
   * publish or remove of the key then leaves the version intact. Replaces a leftover file of
   * an interrupted attempt. Returns the storage path to record on the version row (relative
   * to STORAGE_ROOT), or null when bucket/key has no file.
   */
  abstract preserveVersion(bucket: string, key: string, versionId: string): Promise<string | null>;

  /** As {@link open}, for the version file at `storagePath` (from {@link preserveVersion}). */
  abstract openVersion(storagePath: string, range?: ByteRange): Promise<ObjectReader | null>;

  /**
   * Makes the bytes of the version file at `storagePath` the current bytes of bucket/key again
   * (promotion after the latest version is deleted): linked or copied to a temp file, then
   * published exactly as a staged upload (atomic rename, fsync). The version file stays; the
   * caller removes it once the row no longer names it. False when the version file is missing.
   */
  abstract restoreVersion(storagePath: string, bucket: string, key: string): Promise<boolean>;

  /** Removes the version file at `storagePath`; idempotent. */
  abstract removeVersion(storagePath: string): Promise<void>;

  /**
   * Streams the body of one part of upload `uploadId` into a temp file, as stage() does
   * (same limits, digests and errors). Nothing changes in the upload until publish().
   * @throws RangeError for an upload id that is not a plain name ([A-Za-z0-9_-], 1-128) or a
   *   part number outside 1..10000.
   */
  abstract stagePart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options?: StageOptions,
  ): Promise<StagedPart>;

  /**
   * Concatenates the named parts of `uploadId`, in the given order, into one temp file with
   * bounded memory (large sequential reads and writes, no hashing), then fsyncs it. The
   * parts stay in place, so a failed completion can be retried.
   * @throws StorageError 'Io' when a part file is missing or its size is not `size`.
   */
  abstract assembleParts(uploadId: string, parts: readonly PartRef[]): Promise<AssembledObject>;

  /** Removes every part file of `uploadId` (after completion or abort). Idempotent. */
  abstract removeUploadParts(uploadId: string): Promise<void>;

  /**
   * Removes temp files older than `olderThanMs` (left by crashed or killed uploads),
   * never one this process is still writing. Returns how many were removed. For GC.
   */
  abstract reclaimTemp(olderThanMs: number): Promise<number>;
}
