import type { BucketConfigEntity } from '../entities/bucket-config.entity';
import type { BucketEntity } from '../entities/bucket.entity';
import type { IamAccessKeyEntity } from '../entities/iam-access-key.entity';
import type { IamGroupEntity } from '../entities/iam-group.entity';
import type { IamPolicyEntity } from '../entities/iam-policy.entity';
import type { IamUserEntity } from '../entities/iam-user.entity';
import type { MultipartPartEntity } from '../entities/multipart-part.entity';
import type { MultipartUploadEntity } from '../entities/multipart-upload.entity';
import type { ObjectVersionEntity } from '../entities/object-version.entity';
import type {
  AccessKey,
  Bucket,
  BucketConfig,
  IamGroup,
  IamPolicy,
  IamUser,
  MultipartPart,
  MultipartUpload,
  ObjectVersion,
} from '../types';

// Entities stay inside the lib: every repository result is copied into a plain domain object.

export function toBucket(e: BucketEntity): Bucket {
  return {
    id: e.id,
    name: e.name,
    ownerId: e.ownerId,
    region: e.region,
    createdAt: e.createdAt,
    versioning: e.versioning,
    objectLockEnabled: e.objectLockEnabled,
    acl: e.acl,
  };
}

export function toObjectVersion(e: ObjectVersionEntity): ObjectVersion {
  return {
    id: e.id,
    bucketId: e.bucketId,
    key: e.key,
    versionId: e.versionId,
    isLatest: e.isLatest,
    isDeleteMarker: e.isDeleteMarker,
    size: e.size,
    etag: e.etag,
    checksums: e.checksums,
    checksumType: e.checksumType,
    contentType: e.contentType,
    contentEncoding: e.contentEncoding,
    contentDisposition: e.contentDisposition,
    contentLanguage: e.contentLanguage,
    cacheControl: e.cacheControl,
    expires: e.expires,
    userMetadata: e.userMetadata,
    tags: e.tags,
    ownerId: e.ownerId,
    storagePath: e.storagePath,
    storageClass: e.storageClass,
    partsCount: e.partsCount,
    partSizes: e.partSizes,
    acl: e.acl ?? null,
    lockMode: e.lockMode,
    lockRetainUntil: e.lockRetainUntil,
    legalHold: e.legalHold,
    lastModified: e.lastModified,
    createdAt: e.createdAt,
  };
}

export function toUpload(e: MultipartUploadEntity): MultipartUpload {
  return {
    uploadId: e.uploadId,
    bucketId: e.bucketId,
    key: e.key,
    initiatedAt: e.initiatedAt,
    ownerId: e.ownerId,
    storageClass: e.storageClass,
    checksumAlgorithm: e.checksumAlgorithm,
    checksumType: e.checksumType,
    metadata: e.metadata,
  };
}

export function toPart(e: MultipartPartEntity): MultipartPart {
  return {
    uploadId: e.uploadId,
    partNumber: e.partNumber,
    size: e.size,
    etag: e.etag,
    checksums: e.checksums,
    lastModified: e.lastModified,
  };
}

export function toIamUser(e: IamUserEntity): IamUser {
  return {
    id: e.id,
    name: e.name,
    displayName: e.displayName,
    isRoot: e.isRoot,
    isEnabled: e.isEnabled,
    expiresAt: e.expiresAt,
    inlinePolicies: e.inlinePolicies,
    parentUserId: e.parentUserId,
    sessionPolicy: e.sessionPolicy,
    failedAttempts: e.failedAttempts,
    lockedUntil: e.lockedUntil,
    createdAt: e.createdAt,
  };
}

export function toAccessKey(e: IamAccessKeyEntity): AccessKey {
  return {
    accessKeyId: e.accessKeyId,
    userId: e.userId,
    secretEncrypted: e.secretEncrypted,
    kind: e.kind,
    status: e.status,
    sessionPolicy: e.sessionPolicy,
    expiresAt: e.expiresAt,
    createdAt: e.createdAt,
  };
}

export function toIamGroup(e: IamGroupEntity): IamGroup {
  return { id: e.id, name: e.name, isEnabled: e.isEnabled, createdAt: e.createdAt };
}

export function toIamPolicy(e: IamPolicyEntity): IamPolicy {
  return {
    name: e.name,
    document: e.document,
    isBuiltin: e.isBuiltin,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function toBucketConfig(e: BucketConfigEntity): BucketConfig {
  return { bucketId: e.bucketId, kind: e.kind, document: e.document, updatedAt: e.updatedAt };
}

// Raw rows (from `query()` on the hot paths) carry driver values, not entity values:
// varbinary columns come back as Buffers on MySQL, bigint as strings on PostgreSQL,
// booleans as 0/1 on SQLite and MySQL, and is_latest as NULL for a noncurrent row.

/** A raw row as `EntityManager.query` returns it. */
export type RawRow = Record<string, unknown>;

function rawText(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function rawTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : rawText(value);
}

function rawBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function rawNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function rawDate(value: unknown): Date {
  return new Date(Number(value));
}

function rawJson<T>(value: unknown): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : null;
}

/** A `buckets` row selected with `*` (column names as in the schema). */
export function rawToBucket(r: RawRow): Bucket {
  return {
    id: rawText(r.id),
    name: rawText(r.name),
    ownerId: rawText(r.owner_id),
    region: rawText(r.region),
    createdAt: rawDate(r.created_at),
    versioning: rawText(r.versioning) as Bucket['versioning'],
    objectLockEnabled: rawBool(r.object_lock_enabled),
    acl: rawTextOrNull(r.acl),
  };
}

/**
 * An `object_versions` row selected with `*` (column names as in the schema), or through a
 * query builder aliasing each column as `<alias>_<column>` (pass `'<alias>_'` as `prefix`).
 */
export function rawToObjectVersion(raw: RawRow, prefix = ''): ObjectVersion {
  const r = prefix === '' ? raw : unprefixed(raw, prefix);
  return {
    id: rawText(r.id),
    bucketId: rawText(r.bucket_id),
    key: rawText(r.object_key),
    versionId: rawText(r.version_id),
    isLatest: rawBool(r.is_latest),
    isDeleteMarker: rawBool(r.is_delete_marker),
    size: Number(r.size),
    etag: rawText(r.etag),
    checksums: rawJson<Record<string, string>>(r.checksums),
    checksumType: rawTextOrNull(r.checksum_type) as ObjectVersion['checksumType'],
    contentType: rawTextOrNull(r.content_type),
    contentEncoding: rawTextOrNull(r.content_encoding),
    contentDisposition: rawTextOrNull(r.content_disposition),
    contentLanguage: rawTextOrNull(r.content_language),
    cacheControl: rawTextOrNull(r.cache_control),
    expires: rawTextOrNull(r.expires),
    userMetadata: rawJson<Record<string, string>>(r.user_metadata) as Record<string, string>,
    tags: rawJson<Record<string, string>>(r.tags),
    ownerId: rawText(r.owner_id),
    storagePath: rawTextOrNull(r.storage_path),
    storageClass: rawText(r.storage_class),
    partsCount: rawNumberOrNull(r.parts_count),
    partSizes: rawJson<ObjectVersion['partSizes']>(r.part_sizes),
    acl: rawTextOrNull(r.acl),
    lockMode: rawTextOrNull(r.lock_mode) as ObjectVersion['lockMode'],
    lockRetainUntil:
      r.lock_retain_until === null || r.lock_retain_until === undefined ? null : rawDate(r.lock_retain_until),
    legalHold: r.legal_hold === null || r.legal_hold === undefined ? null : rawBool(r.legal_hold),
    lastModified: rawDate(r.last_modified),
    createdAt: rawDate(r.created_at),
  };
}

function unprefixed(raw: RawRow, prefix: string): RawRow {
  const out: RawRow = {};
  for (const name in raw) {
    if (name.startsWith(prefix)) {
      out[name.slice(prefix.length)] = raw[name];
    }
  }
  return out;
}
