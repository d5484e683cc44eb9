import type { Bucket, ObjectVersion } from '@myfsio/metadata';
import { ObjectVersionRepository, UnitOfWork } from '@myfsio/metadata';
import { ObjectStore } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import { ObjectWriter } from './object-writer';
import { VersionPromotions } from './version-promotions';
import { NULL_VERSION_ID } from './version-rules';

/** What one delete did, as DeleteObject and DeleteObjects report it. */
export interface DeleteOutcome {
  /** The version removed or the delete marker created; null for an unversioned bucket without versionId. */
  versionId: string | null;
  /** True when a delete marker was created, or the version removed was one. */
  isDeleteMarker: boolean;
}

/** Checks a version before it is removed for good (object lock); rejects with the S3 error to report. */
export type RemovalCheck = (row: ObjectVersion) => Promise<void>;

/**
 * DeleteObject's data path for one key, shared with DeleteObjects. Callers hold the key's
 * mutex. Without a version id a versioned bucket gets a delete marker (its current bytes move
 * to the versions area, the plain path disappears); with one, that version is removed and, if
 * it was the latest, the next newest version is promoted back to the plain path.
 */
@Injectable()
export class ObjectDeleter {
  constructor(
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
    private readonly uow: UnitOfWork,
    private readonly writer: ObjectWriter,
    private readonly promotions: VersionPromotions,
  ) {}

  /**
   * Deletes `key` or one version of it. A missing key or version is not an error (S3 answers
   * 204). `check` runs on a version about to be removed for good and may throw (object lock).
   */
  async deleteLocked(
    bucket: Bucket,
    key: string,
    versionId: string | undefined,
    ownerId: string,
    check: RemovalCheck = () => Promise.resolve(),
    expectedRowId?: string,
  ): Promise<DeleteOutcome> {
    if (versionId !== undefined) {
      return this.deleteVersion(bucket, key, versionId, check, expectedRowId);
    }
    if (bucket.versioning === 'Unversioned') {
      const outcome = await this.deleteVersion(bucket, key, NULL_VERSION_ID, check, expectedRowId);
      return { ...outcome, versionId: null };
    }
    if (expectedRowId !== undefined) {
      // An internal caller (lifecycle) decided on the current row it saw: a write since wins.
      const current = await this.versions.findCurrent(bucket.id, key);
      if (current?.id !== expectedRowId) {
        return { versionId: null, isDeleteMarker: false };
      }
    }
    // A delete marker becomes the latest version; ObjectWriter keeps the current bytes as a
    // noncurrent version (or drops a replaced null version when Suspended) and removes the plain file.
    const marker = await this.writer.commitLocked(bucket, key, {
      publish: null,
      row: {
        isDeleteMarker: true,
        size: 0,
        etag: '',
        ownerId,
        storageClass: 'STANDARD',
        userMetadata: {},
        lastModified: new Date(),
      },
    });
    return { versionId: marker.versionId, isDeleteMarker: true };
  }

  /**
   * Removes one version (only while it is row `expectedRowId`, when given):
   * 1. delete its row (promoting the next newest when it was the latest, and journaling that
   *    promotion) in one transaction;
   * 2. make the plain path match the new latest version: restore a promoted version's bytes
   *    (atomic publish of a copy, see {@link VersionPromotions.finish}), or remove the file when
   *    a delete marker or nothing is latest;
   * 3. remove version files nothing names.
   * A reader in between reads the promoted row's version file, so it never sees a gap; a crash
   * leaves a journaled promotion (finished at the next start) or an unreferenced file (GC).
   */
  private async deleteVersion(
    bucket: Bucket,
    key: string,
    versionId: string,
    check: RemovalCheck,
    expectedRowId?: string,
  ): Promise<DeleteOutcome> {
    const row = await this.versions.findVersion(bucket.id, key, versionId);
    // Gone, or (for an internal caller naming the row it decided on) replaced since: nothing to do.
    if (row === null || (expectedRowId !== undefined && row.id !== expectedRowId)) {
      return { versionId, isDeleteMarker: false };
    }
    await check(row);
    // 1. The row, and the promotion.
    const { deleted, promotion } = await this.uow.run(async (tx) => {
      const result = await this.versions.deleteVersion(tx, row.id);
      const next = result.promoted;
      const promotion =
        result.deleted?.isLatest && next !== null && !next.isDeleteMarker && next.storagePath !== null
          ? await this.promotions.register(tx, bucket, next, next.storagePath)
          : null;
      return { deleted: result.deleted, promotion };
    });
    if (deleted === null) {
      return { versionId, isDeleteMarker: row.isDeleteMarker };
    }
    // 2. The plain path.
    if (promotion !== null) {
      await this.promotions.finish(promotion);
    } else if (deleted.isLatest && !deleted.isDeleteMarker && deleted.storagePath === null) {
      // A delete marker or nothing is latest now (or a version whose bytes were lost behind the
      // gateway): the deleted version's bytes must not stay at the plain path.
      await this.store.remove(bucket.name, key);
    }
    // 3. The deleted version's own file.
    if (deleted.storagePath !== null) {
      await this.writer.removeVersionFile(bucket, deleted.storagePath);
    }
    return { versionId: deleted.versionId, isDeleteMarker: deleted.isDeleteMarker };
  }
}
