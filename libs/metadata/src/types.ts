/**
 * Domain types returned by the repositories: plain objects, detached from the ORM.
 * Timestamps are `Date`s with millisecond precision; sizes are numbers.
 */

/** A bucket's versioning state; `Unversioned` until versioning is first configured. */
export type BucketVersioning = 'Unversioned' | 'Enabled' | 'Suspended';

/** An object lock retention mode (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). */
export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

/** How a checksum covers an object: over the whole body or composed from part checksums. */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface Bucket {
  id: string;
  name: string;
  ownerId: string;
  region: string;
  createdAt: Date;
  versioning: BucketVersioning;
  objectLockEnabled: boolean;
  /** The bucket ACL as a JSON document owned by the ACL feature, or null for the default (owner full control). */
  acl: string | null;
}

export interface NewBucket {
  name: string;
  ownerId: string;
  region: string;
  versioning?: BucketVersioning;
  objectLockEnabled?: boolean;
  acl?: string | null;
  /** Defaults to now. */
  createdAt?: Date;
}

export type BucketPatch = Partial<
  Pick<Bucket, 'ownerId' | 'region' | 'versioning' | 'objectLockEnabled' | 'acl'>
>;

/** What still lives in a bucket, each flag answered separately so the caller can pick the S3 error. */
export interface BucketContents {
  /** A latest version that is not a delete marker exists. */
  hasCurrentObjects: boolean;
  /** Any row exists in object_versions, delete markers and noncurrent versions included. */
  hasVersions: boolean;
  /** A multipart upload is in progress. */
  hasUploads: boolean;
}

/**
 * The part sizes of a multipart object, run-length encoded: `[size, count]` pairs in part
 * order (`[[5242880, 9], [17, 1]]` is nine parts of 5 MiB and a last part of 17 bytes).
 */
export type PartSizes = [size: number, count: number][];

/** One version of an object; unversioned objects are the version `'null'`. */
export interface ObjectVersion {
  id: string;
  bucketId: string;
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  /** Hex MD5, or `hex-N` for multipart objects; stored without quotes. */
  etag: string;
  /** Algorithm name (`CRC32`, `SHA256`, …) → base64 value. */
  checksums: Record<string, string> | null;
  checksumType: ChecksumType | null;
  contentType: string | null;
  contentEncoding: string | null;
  contentDisposition: string | null;
  contentLanguage: string | null;
  cacheControl: string | null;
  expires: string | null;
  /** x-amz-meta-* names (lower case, without the prefix) → values. */
  userMetadata: Record<string, string>;
  tags: Record<string, string> | null;
  ownerId: string;
  /** Where the bytes are when not at the plain path (noncurrent versions); null means the plain path. */
  storagePath: string | null;
  storageClass: string;
  partsCount: number | null;
  /** Sizes of the parts of a multipart object (GetObject by part number); null or absent otherwise. */
  partSizes?: PartSizes | null;
  /** The object ACL as a JSON document owned by the ACL feature, or null for the default (owner full control). */
  acl?: string | null;
  /** Object lock retention mode; null or absent when the version has no retention. */
  lockMode?: ObjectLockMode | null;
  /** End of the retention period; set together with `lockMode`. */
  lockRetainUntil?: Date | null;
  /** Legal hold: true while ON, false once set OFF, null or absent when never set. */
  legalHold?: boolean | null;
  lastModified: Date;
  createdAt: Date;
}

/** A version to insert as the latest one; optional fields default to null (`userMetadata` to `{}`). */
export interface NewObjectVersion {
  bucketId: string;
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  ownerId: string;
  storageClass: string;
  lastModified: Date;
  checksums?: Record<string, string> | null;
  checksumType?: ChecksumType | null;
  contentType?: string | null;
  contentEncoding?: string | null;
  contentDisposition?: string | null;
  contentLanguage?: string | null;
  cacheControl?: string | null;
  expires?: string | null;
  userMetadata?: Record<string, string>;
  tags?: Record<string, string> | null;
  storagePath?: string | null;
  partsCount?: number | null;
  partSizes?: PartSizes | null;
  acl?: string | null;
  lockMode?: ObjectLockMode | null;
  lockRetainUntil?: Date | null;
  legalHold?: boolean | null;
  /** Defaults to now; orders the versions of a key. */
  createdAt?: Date;
}

export type ObjectVersionPatch = Partial<
  Pick<
    ObjectVersion,
    | 'tags'
    | 'userMetadata'
    | 'storagePath'
    | 'storageClass'
    | 'contentType'
    | 'lastModified'
    | 'lockMode'
    | 'lockRetainUntil'
    | 'legalHold'
    | 'acl'
  >
>;

export interface PutCurrentResult {
  /** The inserted latest version. */
  version: ObjectVersion;
  /** The previous latest version, kept as noncurrent (its bytes must move off the plain path), or null. */
  demoted: ObjectVersion | null;
  /** Rows deleted because the write replaced the `'null'` version; their bytes are the caller's to reclaim. */
  removed: ObjectVersion[];
}

export interface DeleteVersionResult {
  /** The deleted row, or null when it did not exist. */
  deleted: ObjectVersion | null;
  /** When the deleted row was the latest: the next newest version, now latest (its bytes must move to the plain path). */
  promoted: ObjectVersion | null;
}

export interface ListObjectsQuery {
  bucketId: string;
  prefix: string;
  delimiter?: string;
  /** Only keys strictly after this one (ListObjects marker, ListObjectsV2 start-after/continuation). */
  startAfter?: string;
  maxKeys: number;
}

export interface ListObjectsPage {
  /** Latest versions that are not delete markers, in UTF-8 byte order of their keys. */
  entries: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned when truncated, else null. */
  nextMarker: string | null;
}

export interface ListVersionsQuery {
  bucketId: string;
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  /** Only with keyMarker: start after this version of keyMarker; an unknown id skips the whole key. */
  versionIdMarker?: string;
  maxKeys: number;
}

export interface ListVersionsPage {
  /** Versions and delete markers: keys in byte order, each key's versions newest first. */
  versions: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string | null;
  nextVersionIdMarker: string | null;
}

/** Request attributes of a multipart upload, applied to the object on completion. */
export interface UploadMetadata {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  userMetadata: Record<string, string>;
  tags?: Record<string, string>;
  /** ACL JSON document, as stored on buckets. */
  acl?: string;
  /** Attributes of later features (SSE, object lock), owned by them. */
  extra?: Record<string, string>;
}

export interface MultipartUpload {
  uploadId: string;
  bucketId: string;
  key: string;
  initiatedAt: Date;
  ownerId: string;
  storageClass: string;
  checksumAlgorithm: string | null;
  checksumType: ChecksumType | null;
  metadata: UploadMetadata;
}

export type NewMultipartUpload = Omit<
  MultipartUpload,
  'initiatedAt' | 'checksumAlgorithm' | 'checksumType'
> & {
  initiatedAt?: Date;
  checksumAlgorithm?: string | null;
  checksumType?: ChecksumType | null;
};

export interface MultipartPart {
  uploadId: string;
  partNumber: number;
  size: number;
  etag: string;
  checksums: Record<string, string> | null;
  lastModified: Date;
}

export interface ListUploadsQuery {
  bucketId: string;
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  /** Only with keyMarker: start after this upload of keyMarker; an unknown id skips the whole key. */
  uploadIdMarker?: string;
  maxUploads: number;
}

export interface ListUploadsPage {
  /** Keys in byte order; uploads of one key in initiation order. */
  uploads: MultipartUpload[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string | null;
  nextUploadIdMarker: string | null;
}

export interface ListPartsPage {
  parts: MultipartPart[];
  isTruncated: boolean;
  /** The last part number returned when truncated, else null. */
  nextPartNumberMarker: number | null;
}

export interface IamUser {
  id: string;
  name: string;
  displayName: string | null;
  isRoot: boolean;
  isEnabled: boolean;
  expiresAt: Date | null;
  /** Inline policy name → policy JSON. */
  inlinePolicies: Record<string, string> | null;
  /** Set for service accounts: the user whose permissions they act with. */
  parentUserId: string | null;
  sessionPolicy: string | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

export type NewIamUser = Pick<IamUser, 'name'> &
  Partial<Omit<IamUser, 'id' | 'name' | 'failedAttempts' | 'lockedUntil'>> & { id?: string };

export type IamUserPatch = Partial<
  Pick<
    IamUser,
    | 'displayName'
    | 'isEnabled'
    | 'expiresAt'
    | 'inlinePolicies'
    | 'sessionPolicy'
    | 'failedAttempts'
    | 'lockedUntil'
  >
>;

export type AccessKeyKind = 'user' | 'service' | 'sts';
export type AccessKeyStatus = 'active' | 'inactive';

export interface AccessKey {
  accessKeyId: string;
  userId: string;
  /** Ciphertext of the secret; encryption and decryption happen outside this lib. */
  secretEncrypted: string;
  kind: AccessKeyKind;
  status: AccessKeyStatus;
  /** STS: the session policy the credentials were issued with. */
  sessionPolicy: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

export type NewAccessKey = Omit<AccessKey, 'status' | 'sessionPolicy' | 'expiresAt' | 'createdAt'> &
  Partial<Pick<AccessKey, 'status' | 'sessionPolicy' | 'expiresAt' | 'createdAt'>>;

export type AccessKeyPatch = Partial<
  Pick<AccessKey, 'status' | 'expiresAt' | 'sessionPolicy' | 'secretEncrypted'>
>;

export interface AccessKeyWithUser {
  key: AccessKey;
  user: IamUser;
}

export interface IamGroup {
  id: string;
  name: string;
  isEnabled: boolean;
  createdAt: Date;
}

export type PrincipalType = 'user' | 'group';

export interface IamPolicy {
  name: string;
  document: string;
  isBuiltin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface PolicyAttachment {
  policyName: string;
  principalType: PrincipalType;
  principalId: string;
}

/** A per-bucket configuration document (policy, lifecycle, cors, tagging, …). */
export interface BucketConfig {
  bucketId: string;
  kind: string;
  document: string;
  updatedAt: Date;
}

export interface OutboxMessage {
  id: number;
  topic: string;
  /** The JSON value given to enqueue. */
  payload: unknown;
  createdAt: Date;
  availableAt: Date;
  /** Claims so far, this one included. */
  attempts: number;
}

/** Which background job a maintenance run was: the garbage collector or the integrity scanner. */
export type MaintenanceKind = 'gc' | 'integrity';

/** What started a maintenance run: the schedule or an admin request. */
export type MaintenanceTrigger = 'scheduled' | 'manual';

/** One finished run of the garbage collector or the integrity scanner, as kept in the history. */
export interface MaintenanceRun {
  id: number;
  kind: MaintenanceKind;
  trigger: MaintenanceTrigger;
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date;
  /** The job's own report (counts per category, bytes freed, errors); a JSON object. */
  result: Record<string, unknown>;
}

export type NewMaintenanceRun = Omit<MaintenanceRun, 'id'>;

export interface MaintenanceRunPage {
  runs: MaintenanceRun[];
  /** Runs of the kind in the history, for paging. */
  total: number;
}

/** What a content check of the integrity scanner expects a row still to say before it rewrites it. */
export interface ObjectRowExpectation {
  etag: string;
  lastModified: Date;
}

/** The content attributes the integrity scanner writes when the file on disk is authoritative. */
export interface HealedContent {
  size: number;
  /** Hex MD5 of the file (a single-part ETag). */
  etag: string;
  lastModified: Date;
}
