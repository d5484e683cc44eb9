/**
 * Why a storage operation failed:
 * - `TooLarge`: more than `maxSize` bytes arrived while staging.
 * - `SizeMismatch`: the body was shorter or longer than `expectedSize`.
 * - `NotEmpty`: `removeBucket` found object files in the bucket directory.
 * - `KeyPathConflict`: the layout could not be brought into the needed form (e.g. a
 *   path component kept changing under concurrent writers from other processes).
 * - `Io`: any other file-system failure (ENOSPC, EACCES, EIO, …); `cause` holds the original.
 */
export type StorageErrorKind = 'TooLarge' | 'SizeMismatch' | 'NotEmpty' | 'KeyPathConflict' | 'Io';

/**
 * The one error type of libs/storage. Internal by default: services translate the
 * kinds they expose (e.g. TooLarge → EntityTooLarge) and let the rest become InternalError.
 */
export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** Narrows an unknown error to a StorageError, optionally of one kind. */
export function isStorageError(err: unknown, kind?: StorageErrorKind): err is StorageError {
  return err instanceof StorageError && (kind === undefined || err.kind === kind);
}

/** Wraps a file-system failure as `Io`, keeping StorageErrors as they are. */
export function toStorageError(err: unknown, action: string): StorageError {
  if (err instanceof StorageError) {
    return err;
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new StorageError('Io', `${action}: ${detail}`, { cause: err });
}
