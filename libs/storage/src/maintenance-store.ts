/** A file of the system area found by a maintenance listing. */
export interface SystemFile {
  /** Temp files: the file name in `.myfsio.sys/tmp/`. Version files: the path relative to STORAGE_ROOT. */
  name: string;
  size: number;
  mtimeMs: number;
}

/** The part directory of one multipart upload, `.myfsio.sys/multipart/<uploadId>/`. */
export interface UploadPartsDir {
  uploadId: string;
  /** Total bytes of its part files. */
  size: number;
  /** Newest mtime of the directory and its files (when the upload was last touched). */
  mtimeMs: number;
}

/**
 * What a conversion directory (`.myfsio.cv-<name>`, the cross-gateway claim of a name changing
 * between plain and shadow form; docs/storage-layout.md) holds:
 * - `empty`: nothing; a leftover claim;
 * - `superseded`: a copy of bytes whose object has a plain or shadow file now, so readers
 *   never reach the copy (a crash between the link and the unlink of a conversion);
 * - `interrupted`: the only bytes of the object (readers serve them from there); kept;
 * - `unknown`: anything else; kept.
 */
export type ConversionState = 'empty' | 'superseded' | 'interrupted' | 'unknown';

/** A conversion directory found under a bucket. */
export interface ConversionClaim {
  /** Path of the conversion directory relative to the bucket directory. */
  path: string;
  state: ConversionState;
  /** Bytes that removing it frees (the superseded copy). */
  size: number;
  mtimeMs: number;
}

/** An empty directory under a bucket (never the bucket directory itself). */
export interface EmptyDirectory {
  /** Relative to the bucket directory. */
  path: string;
  /** mtime as found before any directory below it was removed. */
  mtimeMs: number;
}

/**
 * Maintenance of what the data path leaves behind on the file system: temp files, part
 * directories, conversion claims, empty directories and version files. For the garbage
 * collector and the integrity scanner; never used on the request path. Every removal checks
 * its condition again at the moment it removes, so a listing that went stale meanwhile never
 * deletes anything a request is using. Methods may throw StorageError 'Io'.
 */
export abstract class MaintenanceStore {
  /** Temp files in `.myfsio.sys/tmp/`, except those this process is writing or holding staged. */
  abstract tempFiles(): AsyncIterable<SystemFile>;

  /**
   * Removes temp file `name` if it is still older than `olderThanMs` and not in use by this
   * process; false when it was kept or already gone.
   * @throws RangeError for a name that is not a plain file name.
   */
  abstract removeTempFile(name: string, olderThanMs: number): Promise<boolean>;

  /** The part directories of `.myfsio.sys/multipart/` (remove one with `ObjectStore.removeUploadParts`). */
  abstract uploadPartDirs(): AsyncIterable<UploadPartsDir>;

  /** Conversion directories below the bucket directory, classified (not entered, not followed through symlinks). */
  abstract conversionClaims(bucket: string): AsyncIterable<ConversionClaim>;

  /**
   * Removes conversion directory `path` if it is older than `olderThanMs` and, classified
   * again under the name's lock, `empty` (rmdir) or `superseded` (unlink the copy, then rmdir).
   * Returns the bytes freed, or null when it was kept.
   */
  abstract removeConversionClaim(bucket: string, path: string, olderThanMs: number): Promise<number | null>;

  /**
   * Empty directories below the bucket directory, deepest first, found lazily: a directory is
   * reported after those below it were reported (and possibly removed by the caller), so a
   * chain emptied bottom-up is reported whole. Conversion directories are not reported.
   */
  abstract emptyDirectories(bucket: string): AsyncIterable<EmptyDirectory>;

  /**
   * Removes directory `path` (relative to the bucket directory) if it is empty at this moment
   * (rmdir, atomic): a directory that gained an entry is kept. False when kept or gone. A publish
   * racing with the removal retries its directory chain (docs/storage-layout.md).
   * @throws RangeError for an empty path or one with `.`/`..` segments.
   */
  abstract removeEmptyDirectory(bucket: string, path: string): Promise<boolean>;

  /** Files below `.myfsio.sys/versions/` (noncurrent version bytes), named by their path relative to STORAGE_ROOT. */
  abstract versionFiles(): AsyncIterable<SystemFile>;

  /**
   * Removes version file `storagePath` (as listed by `versionFiles`) and prunes its emptied
   * directories; false when already gone.
   * @throws RangeError for a path outside `.myfsio.sys/versions/`.
   */
  abstract removeVersionFile(storagePath: string): Promise<boolean>;
}
