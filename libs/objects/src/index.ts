/**
 * @myfsio/objects: the S3 object operations (PutObject, GetObject, HeadObject, CopyObject,
 * DeleteObject, DeleteObjects) and the pure S3 rules they are built from.
 */

/** Nest module providing ObjectsService; needs AppConfig, MetadataModule and an ObjectStore binding. */
export { ObjectsModule } from './objects.module';
/**
 * The object operations. Every method throws only S3Errors for client mistakes (NoSuchBucket,
 * NoSuchKey, PreconditionFailed, …) and lets infrastructure failures through (they become
 * InternalError). GetObject's body stream is owned by the caller, who must consume or destroy it.
 */
export { ObjectsService } from './objects.service';
/**
 * Get/Put/DeleteObjectTagging on the current object or a `versionId`; a put replaces the whole
 * set. Throws NoSuchBucket, NoSuchKey, NoSuchVersion, MethodNotAllowed (delete marker version),
 * InvalidArgument (versionId) and InvalidTag (OBJECT_TAG_LIMIT and S3's tag rules).
 */
export {
  ObjectTaggingService,
  type ObjectTaggingResult,
  type ObjectTaggingTarget,
} from './object-tagging.service';
/**
 * Get/PutObjectRetention and Get/PutObjectLegalHold on the current object or a `versionId`
 * (InvalidRequest without object lock, NoSuchObjectLockConfiguration, AccessDenied), and the
 * lazy s3:BypassGovernanceRetention check (`GovernanceBypass`) deletes and retention changes use.
 */
export {
  ObjectLockService,
  type GovernanceBypass,
  type RetentionResult,
  NO_BYPASS,
  requestedLockFields,
  newVersionLockFields,
} from './object-lock.service';
/** Object lock rules (pure): lock headers, default retention, removal and retention changes. */
export {
  readLockHeaders,
  parseLockMode,
  parseRetainUntil,
  parseLegalHoldStatus,
  checkVersionRemoval,
  checkRetentionChange,
  type Retention,
  type LockFields,
} from './object-lock-rules';
/** Inputs and results of ObjectsService; `HeaderBag` is Node's lower-case header record. */
export type * from './objects.types';
/**
 * `Range` → inclusive byte range, or null to serve the whole object (absent, ignored, or
 * several ranges); throws InvalidRange (416) when unsatisfiable. `contentRange` writes the header.
 */
export { resolveRange, contentRange, type ByteRange } from './range';
/**
 * RFC 7232 preconditions with S3's precedence: reads (412 / 304), copy sources (412 only),
 * conditional writes (If-None-Match: * → 412, If-Match → 412 or NoSuchKey). Pure; throw S3Errors.
 */
export {
  readPreconditions,
  checkReadPreconditions,
  checkCopySourcePreconditions,
  checkWritePreconditions,
  etagMatches,
  type Preconditions,
  type Validators,
  type WritePreconditions,
} from './conditionals';
/**
 * Stored request attributes: content headers, `x-amz-meta-*` (2 KB → MetadataTooLarge),
 * `x-amz-storage-class` (InvalidStorageClass). Pure.
 */
export {
  readObjectAttributes,
  readUserMetadata,
  readStorageClass,
  storedContentEncoding,
  STORAGE_CLASSES,
  USER_METADATA_MAX_BYTES,
  DEFAULT_CONTENT_TYPE,
  type ObjectAttributes,
  type StorageClass,
} from './object-headers';
/** `x-amz-tagging` (URL query string) → tag set, and S3's tag rules; throws InvalidTag. Pure. */
export { readTagging, validateTags } from './tagging';
/**
 * `x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm`, `x-amz-trailer` and `Content-MD5`:
 * reading (InvalidRequest / InvalidDigest), verification (BadDigest) and response headers
 * (only with `x-amz-checksum-mode: ENABLED`). Pure.
 */
export {
  readChecksumRequest,
  claimedChecksum,
  verifyChecksum,
  readContentMd5,
  verifyContentMd5,
  isChecksumModeEnabled,
  checksumResponseHeaders,
  type ChecksumRequest,
} from './checksum-headers';
/** GetObject/HeadObject response headers for a stored object, and the `response-*` overrides. Pure. */
export { objectResponseHeaders, readResponseOverrides, RESPONSE_OVERRIDES } from './object-response';
/** `x-amz-copy-source` → { bucket, key, versionId? }; throws InvalidArgument. Pure. */
export { parseCopySource, type CopySource } from './copy-source';
/** Per-key async mutex (in process); `objectLockKey(bucket, key)` names an object's lock. */
export { KeyedMutex, objectLockKey } from './keyed-mutex';
/**
 * The per-object mutex every write path of this process takes (`objectLockKey(bucket, key)`);
 * an injectable singleton exported by ObjectsModule so other writers (multipart) share it.
 */
export { ObjectLocks } from './object-writer';
/**
 * The shared tail of every object write (PutObject, CopyObject, CompleteMultipartUpload, delete
 * markers): S3's versioning rules, noncurrent bytes kept in the versions area, publish + commit
 * under the key's mutex. Exported by ObjectsModule.
 */
export { ObjectWriter, type VersionWrite } from './object-writer';
export { STALE_AFTER_MS, type PromotedRow, VersionPromotions } from './version-promotions';
/**
 * Row lookup and consistent opening of object bytes (retrying when the file belongs to a newer
 * write than the row); exported by ObjectsModule. Throws NoSuchKey / NoSuchVersion.
 */
export { ObjectReaderService } from './object-reader';
/**
 * Request checks shared by writers: key length (KeyTooLongError), announced body length
 * (MissingContentLength, EntityTooLarge), and S3's 5 GiB single-request limit.
 */
export { checkKeyLength, checkBodyLength, MAX_SINGLE_PUT_BYTES } from './request-checks';
