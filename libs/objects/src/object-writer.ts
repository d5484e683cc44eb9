import { isS3Error, S3Error } from '@myfsio/common';
import type { ChecksumAlgorithm } from '@myfsio/common';
import {
  type Bucket,
  type NewObjectVersion,
  type ObjectVersion,
  ObjectVersionRepository,
  type PutCurrentResult,
  type Tx,
  UnitOfWork,
} from '@myfsio/metadata';
import { isStorageError, ObjectStore, type StagedObject, type StageOptions } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { checkWritePreconditions, type WritePreconditions } from './conditionals';
import { ObjectLocks, objectLockKey } from './keyed-mutex';
import { nextCreatedAt, writeRule } from './version-rules';
import { type PromotedRow, VersionPromotions } from './version-promotions';

export { ObjectLocks } from './keyed-mutex';

/** What a write stores besides the bytes: the row fields the staged file does not decide. */
export type ObjectFields = Omit<
  NewObjectVersion,
  | 'bucketId'
  | 'key'
  | 'versionId'
  | 'isDeleteMarker'
  | 'size'
  | 'etag'
  | 'lastModified'
  | 'checksums'
  | 'checksumType'
>;

/**
 * One write of a key as the versioning rules see it: an object (with the step that makes its
 * bytes current) or a delete marker (`publish: null`).
 */
export interface VersionWrite {
  /** Makes the new bytes current at the plain path (an atomic rename); null for a delete marker. */
  publish: (() => Promise<void>) | null;
  /** The new row, without the fields the versioning rules decide. */
  row: Omit<NewObjectVersion, 'bucketId' | 'key' | 'versionId' | 'createdAt'>;
  conditions?: WritePreconditions;
  /**
   * Runs first inside the commit transaction, and the publish follows it there (multipart
   * completion claims its upload row, so a failed commit leaves the upload completable).
   */
  claim?: (tx: Tx) => Promise<void>;
}

/** Base64 checksums of a staged object by algorithm. */
export function stagedChecksums(staged: StagedObject): Partial<Record<ChecksumAlgorithm, string>> {
  const out: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const [algorithm, digest] of Object.entries(staged.checksums) as [ChecksumAlgorithm, Buffer][]) {
    out[algorithm] = digest.toString('base64');
  }
  return out;
}

/**
 * The shared tail of every object write (PutObject, CopyObject): stage the bytes with S3's
 * size errors, then publish the file and commit its row as one step under the key's mutex.
 */
@Injectable()
export class ObjectWriter {
  private readonly logger = new Logger('ObjectWriter');

  constructor(
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
    private readonly uow: UnitOfWork,
    private readonly locks: ObjectLocks,
    private readonly promotions: VersionPromotions,
  ) {}

  /**
   * Streams `body` into a staged file. `TooLarge` becomes `EntityTooLarge`, `SizeMismatch`
   * `IncompleteBody`; the body's own errors (signature, digest) pass through unchanged. On a
   * size error the rest of the body is left to the request's owner (the gateway).
   */
  async stage(body: Readable, options: StageOptions): Promise<StagedObject> {
    try {
      return await this.store.stage(body, options);
    } catch (err) {
      if (isStorageError(err, 'TooLarge')) {
        throw new S3Error('EntityTooLarge', { fields: { MaxSizeAllowed: options.maxSize ?? 0 } });
      }
      if (isStorageError(err, 'SizeMismatch')) {
        throw new S3Error('IncompleteBody');
      }
      throw err;
    }
  }

  /**
   * Makes `staged` the current object of bucket/key (PutObject, CopyObject): see
   * {@link commitVersion}. The caller discards `staged` in `finally`; after a successful publish
   * that is a no-op.
   */
  async commit(
    bucket: Bucket,
    key: string,
    staged: StagedObject,
    fields: ObjectFields,
    conditions: WritePreconditions,
  ): Promise<ObjectVersion> {
    const checksums = stagedChecksums(staged);
    const hasChecksums = Object.keys(checksums).length > 0;
    return this.commitVersion(bucket, key, {
      publish: () => staged.publish(bucket.name, key),
      conditions,
      row: {
        ...fields,
        isDeleteMarker: false,
        size: staged.size,
        etag: staged.md5.toString('hex'),
        checksums: hasChecksums ? checksums : null,
        checksumType: hasChecksums ? 'FULL_OBJECT' : null,
        lastModified: new Date(),
      },
    });
  }

  /** {@link commitLocked} under the key's mutex, so concurrent writers of the key cannot interleave. */
  commitVersion(bucket: Bucket, key: string, write: VersionWrite): Promise<ObjectVersion> {
    return this.locks.runExclusive(objectLockKey(bucket.name, key), () =>
      this.commitLocked(bucket, key, write),
    );
  }

  /**
   * Adds a version (an object or a delete marker) as the latest of bucket/key, under S3's
   * versioning rules. The caller holds the key's mutex.
   * 1. Read the current row (not needed for an unversioned write without conditions) and
   *    evaluate conditional-write headers against it.
   * 2. If the current object survives the write as a noncurrent version, keep its bytes in the
   *    versions area first (a hard link: the plain path still serves them). Before new bytes
   *    replace the plain file, the current row is pointed at that copy and the change journaled
   *    (one transaction), so the row's bytes stay readable whatever happens next.
   * 3. Publish the new bytes at the plain path: one atomic rename (before the transaction, or
   *    inside it after `claim`).
   * 4. Commit the new row, demoting the old latest row (now naming its version file) or deleting
   *    a replaced `null` version; the journal entry goes in the same transaction.
   * 5. Clean up after the commit: the files of replaced versions, and the plain file when a
   *    delete marker became latest. A crash here leaves only unreferenced files (GC).
   * A failure (or crash) between 2 and 4 leaves the old row latest and naming its version file:
   * its bytes go back to the plain path now, or from the journal at the next start.
   */
  async commitLocked(bucket: Bucket, key: string, write: VersionWrite): Promise<ObjectVersion> {
    // 1. The current row decides the version rules and the conditions.
    const conditions = write.conditions ?? {};
    const hasConditions = conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined;
    const current =
      bucket.versioning !== 'Unversioned' || hasConditions || write.publish === null
        ? await this.versions.findCurrent(bucket.id, key)
        : null;
    if (hasConditions) {
      checkWritePreconditions(conditions, current !== null && !current.isDeleteMarker ? current : null, key);
    }
    const rule = writeRule(bucket.versioning, current);
    // 2. Preserve the current bytes unless they already live in the versions area.
    let preserved: string | null = null;
    let promotion: PromotedRow | null = null;
    if (rule.preserveCurrent && current !== null && current.storagePath === null) {
      preserved = await this.store.preserveVersion(bucket.name, key, current.versionId);
      if (preserved !== null && write.publish !== null) {
        promotion = await this.pointAtVersionFile(bucket, current, preserved);
      }
    }
    const row: NewObjectVersion = {
      ...write.row,
      bucketId: bucket.id,
      key,
      versionId: rule.versionId,
      createdAt: nextCreatedAt(current),
    };
    let result: PutCurrentResult;
    try {
      // 3. Publish (outside the transaction unless the write claims something in it).
      if (write.publish !== null && write.claim === undefined) {
        await write.publish();
      }
      // 4. One transaction: the new latest row and the demoted row's storage path.
      result = await this.uow.run(
        async (tx) => {
          if (write.claim !== undefined) {
            await write.claim(tx);
            await write.publish?.();
          }
          const put = await this.versions.putCurrent(tx, row, {
            replaceNullVersion: rule.replaceNullVersion,
          });
          if (promotion !== null) {
            await this.promotions.forget(tx, promotion.rowId);
          } else if (preserved !== null && put.demoted?.id === current?.id && put.demoted !== null) {
            await this.versions.update(tx, put.demoted.id, { storagePath: preserved });
          }
          return put;
          // Without a claim the unit only writes rows, so a deadlock victim may run it again.
        },
        { isRestartable: write.claim === undefined },
      );
    } catch (err) {
      await this.undoPreserve(bucket, preserved, promotion);
      if (!isS3Error(err)) {
        // The bytes may already be in place; the integrity scanner reconciles the row with the file.
        this.logger.error({ err, bucket: bucket.name, key }, 'object write failed after staging');
      }
      throw err;
    }
    // 5. Cleanup: nothing references these files any more.
    if (preserved !== null && result.demoted?.id !== current?.id) {
      // Another gateway wrote the key in between and may have recorded this very file for the
      // same version, so it is left for a GC pass that checks the rows instead of removed here.
      this.logger.warn({ bucket: bucket.name, key, preserved }, 'the key changed under a versioned write');
    }
    for (const removed of result.removed) {
      if (removed.storagePath !== null) {
        await this.removeVersionFile(bucket, removed.storagePath);
      }
    }
    if (write.publish === null) {
      // Whatever the previous latest version was: a plain file left by a crash (under an earlier
      // delete marker, or by an interrupted promotion) must not outlive this delete marker either.
      await this.store.remove(bucket.name, key);
    }
    return result.version;
  }

  /**
   * Points the current row at its preserved copy and journals it, in one transaction. Null when
   * the row changed since it was read (another gateway): the write then goes on unjournaled.
   */
  private pointAtVersionFile(
    bucket: Bucket,
    current: ObjectVersion,
    storagePath: string,
  ): Promise<PromotedRow | null> {
    return this.uow.run(async (tx) =>
      (await this.versions.repointLatest(tx, current.id, null, storagePath))
        ? this.promotions.register(tx, bucket, current, storagePath)
        : null,
    );
  }

  /**
   * After a failed write: a journaled current row gets its bytes back at the plain path (the
   * write may have replaced them there); an unjournaled copy is simply removed. A failure here
   * leaves the journal entry for the next sweep.
   */
  private async undoPreserve(
    bucket: Bucket,
    preserved: string | null,
    promotion: PromotedRow | null,
  ): Promise<void> {
    if (promotion !== null) {
      try {
        await this.promotions.finish(promotion);
      } catch (err) {
        this.logger.error(
          { err, bucket: bucket.name, key: promotion.key },
          'could not restore the current object',
        );
      }
    } else if (preserved !== null) {
      await this.removeVersionFile(bucket, preserved);
    }
  }

  /** Best effort: a version file left behind is unreferenced and reclaimed by GC. */
  removeVersionFile(bucket: Bucket, storagePath: string): Promise<void> {
    return this.promotions.removeVersionFile(bucket.name, storagePath);
  }
}
