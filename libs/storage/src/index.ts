export * from './object-store';
export { StorageError, isStorageError, type StorageErrorKind } from './storage-error';
export { FsObjectStore } from './fs/fs-object-store';
export { FileRangeStream } from './fs/file-range-stream';
export { keyToRelativePath, relativePathToKey, type KeyForm, type KeyPath } from './key-path/key-path';
export { RESERVED, RESERVED_PREFIX, SYSTEM_DIR } from './key-path/reserved-names';
/** Probe used by readiness and `--check-config`: can files be created under a directory? */
export { probeWritable } from './fs/writable-probe';
/** Maintenance of leftovers (temp files, part directories, conversion claims, empty directories, version files) for GC and integrity. */
export * from './maintenance-store';
export { FsMaintenanceStore } from './fs/fs-maintenance-store';
export { VERSIONS_DIR } from './fs/versions';
export { LOCK_STALE_MS, LockFiles, type ReleaseLock } from './fs/lock-files';
