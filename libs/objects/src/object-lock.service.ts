import { BucketsService, ObjectLockConfigService } from '@myfsio/buckets';
import { isS3Error, S3Error } from '@myfsio/common';
import { type Bucket, type ObjectVersion, ObjectVersionRepository } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { objectLockKey } from './keyed-mutex';
import type { RemovalCheck } from './object-deleter';
import {
  checkRetentionChange,
  checkVersionRemoval,
  hasLockFields,
  lockFieldsForWrite,
  type LockFields,
  missingLockConfiguration,
  readLockHeaders,
  type Retention,
} from './object-lock-rules';
import type { HeaderBag } from './objects.types';
import { ObjectReaderService } from './object-reader';
import { ObjectLocks } from './object-writer';
import type { ObjectTaggingTarget } from './object-tagging.service';
import { readVersionId } from './request-checks';
import { reportedVersionId } from './version-rules';

/**
 * Whether the caller may bypass GOVERNANCE retention: true only when the request sent
 * `x-amz-bypass-governance-retention: true` and the caller holds s3:BypassGovernanceRetention.
 * Asked lazily, only when a GOVERNANCE retention is actually in the way.
 */
export type GovernanceBypass = () => Promise<boolean>;

/** No bypass (the header was not sent). */
export const NO_BYPASS: GovernanceBypass = () => Promise.resolve(false);

/**
 * Runs a lock check that throws AccessDenied; when it does, and the caller may bypass GOVERNANCE
 * retention, runs it again with the bypass (which still refuses COMPLIANCE and legal holds).
 */
export async function withGovernanceBypass(
  check: (isBypassAllowed: boolean) => void,
  bypass: GovernanceBypass,
): Promise<void> {
  try {
    check(false);
  } catch (err) {
    if (!isS3Error(err) || err.code !== 'AccessDenied' || !(await bypass())) {
      throw err;
    }
    check(true);
  }
}

/** The removal check of deletes by version id: object lock with the lazy governance bypass. */
export function lockRemovalCheck(bypass: GovernanceBypass = NO_BYPASS): RemovalCheck {
  return (row) => withGovernanceBypass((allowed) => checkVersionRemoval(row, allowed), bypass);
}

/**
 * The `x-amz-object-lock-*` headers of a write, refused with InvalidRequest on a bucket
 * without object lock (S3's answer).
 */
export function requestedLockFields(bucket: Bucket, headers: HeaderBag): LockFields {
  const requested = readLockHeaders(headers);
  if (!bucket.objectLockEnabled && hasLockFields(requested)) {
    throw missingLockConfiguration();
  }
  return requested;
}

/**
 * The object lock fields of a new version (PutObject, CopyObject, CompleteMultipartUpload):
 * those requested, else the bucket's default retention, counted from now.
 */
export async function newVersionLockFields(
  bucket: Bucket,
  requested: LockFields,
  config: ObjectLockConfigService,
): Promise<LockFields> {
  if (!bucket.objectLockEnabled) {
    return requested;
  }
  return lockFieldsForWrite(requested, await config.defaultRetention(bucket));
}

/** {@link requestedLockFields} then {@link newVersionLockFields}. */
export async function writeLockFields(
  bucket: Bucket,
  headers: HeaderBag,
  config: ObjectLockConfigService,
): Promise<LockFields> {
  return newVersionLockFields(bucket, requestedLockFields(bucket, headers), config);
}

/** An object's retention as GetObjectRetention reports it. */
export interface RetentionResult {
  retention: Retention;
  versionId: string | null;
}

/**
 * Object lock on versions: Get/PutObjectRetention and Get/PutObjectLegalHold
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html). Only for buckets
 * with object lock (else InvalidRequest, as S3). The fields live on the version row.
 */
@Injectable()
export class ObjectLockService {
  constructor(
    private readonly buckets: BucketsService,
    private readonly versions: ObjectVersionRepository,
    private readonly reader: ObjectReaderService,
    private readonly locks: ObjectLocks,
  ) {}

  /** Throws NoSuchBucket, InvalidRequest, NoSuchKey/NoSuchVersion, NoSuchObjectLockConfiguration. */
  async getRetention(target: ObjectTaggingTarget): Promise<RetentionResult> {
    const { bucket, row } = await this.find(target, 'GET');
    if (!row.lockMode || !row.lockRetainUntil) {
      throw new S3Error('NoSuchObjectLockConfiguration');
    }
    return {
      retention: { mode: row.lockMode, retainUntil: row.lockRetainUntil },
      versionId: reportedVersionId(bucket, row),
    };
  }

  /**
   * Sets (or with null removes) the retention of the object or version, under S3's rules
   * (checkRetentionChange: COMPLIANCE only extended; GOVERNANCE shortened only with the bypass).
   * Throws AccessDenied, InvalidArgument and what {@link getRetention} throws.
   */
  async putRetention(
    target: ObjectTaggingTarget,
    retention: Retention | null,
    bypass: GovernanceBypass,
  ): Promise<string | null> {
    return this.update(target, 'PUT', async (row) => {
      await withGovernanceBypass((allowed) => checkRetentionChange(row, retention, allowed), bypass);
      return { lockMode: retention?.mode ?? null, lockRetainUntil: retention?.retainUntil ?? null };
    });
  }

  /** ON/OFF; throws NoSuchObjectLockConfiguration when no legal hold was ever set on the version. */
  async getLegalHold(target: ObjectTaggingTarget): Promise<boolean> {
    const { row } = await this.find(target, 'GET');
    if (row.legalHold === null || row.legalHold === undefined) {
      throw new S3Error('NoSuchObjectLockConfiguration');
    }
    return row.legalHold;
  }

  /** Sets the legal hold ON or OFF; throws what {@link getRetention} throws. */
  async putLegalHold(target: ObjectTaggingTarget, isOn: boolean): Promise<string | null> {
    return this.update(target, 'PUT', () => Promise.resolve({ legalHold: isOn }));
  }

  private async find(
    target: ObjectTaggingTarget,
    method: string,
  ): Promise<{ bucket: Bucket; row: ObjectVersion }> {
    const versionId = readVersionId(target.query);
    const bucket = await this.buckets.require(target.bucket);
    if (!bucket.objectLockEnabled) {
      throw missingLockConfiguration();
    }
    return { bucket, row: await this.reader.find(bucket, target.key, versionId, method) };
  }

  /** Under the key's mutex (so a concurrent write cannot slip between lookup and update). */
  private async update(
    target: ObjectTaggingTarget,
    method: string,
    patchOf: (row: ObjectVersion) => Promise<Partial<ObjectVersion>>,
  ): Promise<string | null> {
    const bucket = await this.buckets.require(target.bucket);
    return this.locks.runExclusive(objectLockKey(bucket.name, target.key), async () => {
      const { row } = await this.find(target, method);
      const patch = await patchOf(row);
      await this.versions.update(null, row.id, {
        ...('lockMode' in patch ? { lockMode: patch.lockMode, lockRetainUntil: patch.lockRetainUntil } : {}),
        ...('legalHold' in patch ? { legalHold: patch.legalHold } : {}),
      });
      return reportedVersionId(bucket, row);
    });
  }
}
