import type { Bucket, BucketVersioning, ObjectVersion } from '@myfsio/metadata';
import { randomBytes } from 'node:crypto';

/** The version id S3 gives objects written while versioning is off or suspended. */
export const NULL_VERSION_ID = 'null';

/**
 * A new version id: 12 hex digits of the millisecond clock, then 20 random hex digits. Ids
 * of one key sort by age, they are plain file names (the versions area uses them as such),
 * and none can equal `null`.
 */
export function newVersionId(nowMs: number = Date.now()): string {
  return nowMs.toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
}

/** How a write (an object or a delete marker) of a key treats the versions already there. */
export interface WriteRule {
  /** The id of the new version: fresh when versioning is Enabled, else `null`. */
  versionId: string;
  /** True when the write replaces the `null` version (Unversioned, Suspended) instead of keeping it. */
  replaceNullVersion: boolean;
  /**
   * True when the current version has bytes at the plain path that must survive the write as a
   * noncurrent version: it is an object (not a delete marker) and the write does not replace it.
   */
  preserveCurrent: boolean;
}

/**
 * S3's overwrite rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html):
 * with versioning Enabled every write adds a version; Unversioned and Suspended writes are the
 * `null` version and replace an existing `null` version, keeping every other version.
 */
export function writeRule(
  versioning: BucketVersioning,
  current: Pick<ObjectVersion, 'versionId' | 'isDeleteMarker'> | null,
  nowMs?: number,
): WriteRule {
  const isEnabled = versioning === 'Enabled';
  const versionId = isEnabled ? newVersionId(nowMs) : NULL_VERSION_ID;
  const isReplaced = !isEnabled && current?.versionId === NULL_VERSION_ID;
  return {
    versionId,
    replaceNullVersion: !isEnabled,
    preserveCurrent: current !== null && !current.isDeleteMarker && !isReplaced,
  };
}

/**
 * The creation time of a new version of a key: now, but always after the current version, so
 * versions written within one millisecond still order newest-first (S3 lists and promotes by
 * age; a `null` id would otherwise sort after the hex ids written in the same millisecond).
 */
export function nextCreatedAt(
  current: Pick<ObjectVersion, 'createdAt'> | null,
  now: Date = new Date(),
): Date {
  if (current !== null && current.createdAt.getTime() >= now.getTime()) {
    return new Date(current.createdAt.getTime() + 1);
  }
  return now;
}

/** `x-amz-version-id` of a response: sent once the bucket has had versioning configured. */
export function reportedVersionId(
  bucket: Pick<Bucket, 'versioning'>,
  version: { versionId: string },
): string | null {
  return bucket.versioning === 'Unversioned' ? null : version.versionId;
}
