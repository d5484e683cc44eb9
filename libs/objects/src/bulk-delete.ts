import { BucketsService } from '@myfsio/buckets';
import { createHasher, isS3Error, S3_ERRORS, S3Errors, type S3ErrorCode } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { type Bucket, ObjectVersionRepository, type Tx, UnitOfWork } from '@myfsio/metadata';
import { ObjectStore } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  claimedChecksum,
  readChecksumRequest,
  readContentMd5,
  verifyChecksum,
  verifyContentMd5,
} from './checksum-headers';
import { type DeleteTarget, parseDeleteRequest, readBoundedBody } from './delete-request';
import { objectLockKey } from './keyed-mutex';
import { forEachLimited } from './limited';
import { ObjectDeleter, type RemovalCheck } from './object-deleter';
import { lockRemovalCheck } from './object-lock.service';
import { ObjectLocks } from './object-writer';
import type {
  DeleteErrorEntry,
  DeleteObjectsInput,
  DeleteObjectsResult,
  DeletedEntry,
} from './objects.types';
import { isValidVersionId, MAX_KEY_BYTES } from './request-checks';
import { NULL_VERSION_ID } from './version-rules';

/** Rows deleted per transaction: large enough to amortise commits, small enough to keep locks short. */
const BATCH_SIZE = 250;
/** Keys of a versioned bucket deleted at once (each its own small transactions). */
const VERSIONED_CONCURRENCY = 8;
/** Batches in flight: one batch's file removals overlap the next batch's transaction. */
const BATCHES_IN_FLIGHT = 2;
/** A body may hold `maxKeys` entries of up to 1024-byte keys plus markup. */
const MIN_BODY_LIMIT = 2 * 1024 * 1024;
const BODY_BYTES_PER_KEY = 2 * 1024;

type Outcome =
  { kind: 'deleted'; deleteMarkerVersionId?: string } | { kind: 'error'; code: S3ErrorCode; message: string };

function targetId(t: DeleteTarget): string {
  return `${t.versionId ?? ''}\u0000${t.key}`;
}

function failure(code: S3ErrorCode, message: string = S3_ERRORS[code].message): Outcome {
  return { kind: 'error', code, message };
}

/**
 * DeleteObjects: deletes up to BULK_DELETE_MAX_KEYS objects per request. In an unversioned
 * bucket rows are deleted in batched transactions (one lookup and one commit per batch, not
 * per key), then the files of the whole request in one ObjectStore.removeMany (one fsync per
 * directory), all under the keys' mutexes so a concurrent PutObject of the same key either
 * lands before (and is deleted) or after (and survives) — never half. Versioned buckets go
 * key by key through DeleteObject's path (ObjectDeleter).
 */
@Injectable()
export class BulkDeleter {
  private readonly logger = new Logger('DeleteObjects');

  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
    private readonly uow: UnitOfWork,
    private readonly locks: ObjectLocks,
    private readonly deleter: ObjectDeleter,
  ) {}

  /**
   * Throws NoSuchBucket, InvalidRequest (no Content-MD5 or checksum header), InvalidDigest,
   * BadDigest, MaxMessageLengthExceeded and MalformedXML (bad body, no or too many objects).
   * Per-key failures are reported in the result, never thrown.
   */
  async deleteObjects(input: DeleteObjectsInput): Promise<DeleteObjectsResult> {
    const bucket = await this.buckets.require(input.bucket);
    const maxKeys = this.config.storage.bulkDeleteMaxKeys;
    // 1. S3 requires an integrity header on this request: Content-MD5 or an x-amz-checksum-*.
    const contentMd5 = readContentMd5(input.headers);
    const checksum = readChecksumRequest(input.headers);
    if (contentMd5 === null && checksum === null) {
      throw S3Errors.invalidRequest('Missing required header for this request: Content-MD5');
    }
    // 2. Read the small XML body, bounded, and verify it.
    const body = await readBoundedBody(input.body, Math.max(MIN_BODY_LIMIT, maxKeys * BODY_BYTES_PER_KEY));
    if (contentMd5 !== null) {
      verifyContentMd5(contentMd5, createHash('md5').update(body).digest('hex'));
    }
    if (checksum !== null) {
      const hasher = createHasher(checksum.algorithm);
      hasher.update(body);
      const computed = (await hasher.digest()).toString('base64');
      const trailers = checksum.trailer === null ? {} : await input.trailers;
      verifyChecksum(checksum.algorithm, claimedChecksum(checksum, trailers), computed);
    }
    // 3. Parse; duplicates are deleted and reported once.
    const request = parseDeleteRequest(body.toString('utf8'), maxKeys);
    const unique = new Map<string, DeleteTarget>();
    for (const target of request.objects) {
      unique.set(targetId(target), unique.get(targetId(target)) ?? target);
    }
    // 4. Each key is authorized on its own, as S3 does; refused keys are reported, not deleted.
    const targets = [...unique.values()];
    const outcomes = new Map<string, Outcome>();
    const permitted: DeleteTarget[] = [];
    for (const target of targets) {
      if (input.isKeyAllowed && !(await input.isKeyAllowed(target.key, target.versionId))) {
        outcomes.set(targetId(target), failure('AccessDenied'));
      } else {
        permitted.push(target);
      }
    }
    // 5. Delete: an unversioned bucket in batched row transactions, then one file removal for
    //    the whole request; a versioned one batch by batch through DeleteObject's own path.
    const valid = permitted.filter((t) => {
      const problem = this.targetProblem(t);
      if (problem !== null) {
        outcomes.set(targetId(t), problem);
      }
      return problem === null;
    });
    if (bucket.versioning === 'Unversioned') {
      await this.deleteUnversioned(bucket, valid, outcomes);
    } else {
      const batches: DeleteTarget[][] = [];
      for (let i = 0; i < valid.length; i += BATCH_SIZE) {
        batches.push(valid.slice(i, i + BATCH_SIZE));
      }
      await forEachLimited(batches, BATCHES_IN_FLIGHT, (batch) =>
        this.deleteVersionedBatch(
          bucket,
          batch,
          outcomes,
          input.ownerId ?? bucket.ownerId,
          lockRemovalCheck(input.bypassGovernance),
        ),
      );
    }
    // 6. Report in request order.
    const deleted: DeletedEntry[] = [];
    const errors: DeleteErrorEntry[] = [];
    for (const target of targets) {
      const outcome = outcomes.get(targetId(target)) ?? failure('InternalError');
      const entry =
        target.versionId === undefined
          ? { key: target.key }
          : { key: target.key, versionId: target.versionId };
      if (outcome.kind === 'error') {
        errors.push({ ...entry, code: outcome.code, message: outcome.message });
      } else if (!request.isQuiet) {
        deleted.push(
          outcome.deleteMarkerVersionId === undefined
            ? entry
            : { ...entry, deleteMarker: true, deleteMarkerVersionId: outcome.deleteMarkerVersionId },
        );
      }
    }
    return { deleted, errors };
  }

  /**
   * An unversioned bucket, under the mutexes of every key at once:
   *  a. the rows, one transaction per BATCH_SIZE keys (one lookup of the batch, one delete);
   *  b. then the files of the committed batches in one removal, which fsyncs each directory
   *     once. The rows are gone by then, so a file left behind is only reported (the integrity
   *     scanner finds it).
   */
  private async deleteUnversioned(
    bucket: Bucket,
    targets: DeleteTarget[],
    outcomes: Map<string, Outcome>,
  ): Promise<void> {
    const release = await this.locks.acquireAll(targets.map((t) => objectLockKey(bucket.name, t.key)));
    try {
      const batches: DeleteTarget[][] = [];
      for (let i = 0; i < targets.length; i += BATCH_SIZE) {
        batches.push(targets.slice(i, i + BATCH_SIZE));
      }
      // The batches are submitted together: on SQLite they share group commits (one WAL fsync
      // for the request instead of one per batch); elsewhere they run on pooled connections.
      // Their keys are disjoint, so they never wait for each other's row locks.
      const removable = await Promise.all(
        batches.map(async (batch) => {
          try {
            const files = await this.uow.run((tx) => this.deleteRows(tx, bucket, batch));
            batch.forEach((t) => outcomes.set(targetId(t), { kind: 'deleted' }));
            return files;
          } catch (err) {
            this.logger.error({ err, bucket: bucket.name }, 'bulk delete transaction failed');
            batch.forEach((t) => outcomes.set(targetId(t), failure('InternalError')));
            return [];
          }
        }),
      );
      const filesToRemove = removable.flat();
      const failed = await this.store.removeMany(
        bucket.name,
        filesToRemove.map((t) => t.key),
      );
      for (const target of filesToRemove) {
        const err = failed.get(target.key);
        if (err !== undefined) {
          this.logger.error({ err, bucket: bucket.name, key: target.key }, 'object file removal failed');
          outcomes.set(targetId(target), failure('InternalError'));
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Deletes the rows of `batch` in an unversioned bucket (never versioned: the 'null' row is
   * each key's only row, nothing to promote); returns the targets whose file must go.
   */
  private async deleteRows(tx: Tx, bucket: Bucket, batch: DeleteTarget[]): Promise<DeleteTarget[]> {
    const byVersion = new Map<string, DeleteTarget[]>();
    for (const target of batch) {
      const versionId = target.versionId ?? NULL_VERSION_ID;
      const group = byVersion.get(versionId) ?? [];
      group.push(target);
      byVersion.set(versionId, group);
    }
    const ids: string[] = [];
    const files: DeleteTarget[] = [];
    for (const [versionId, group] of byVersion) {
      const rows = await this.versions.findVersions(
        bucket.id,
        group.map((t) => t.key),
        versionId,
        tx,
      );
      for (const target of group) {
        const row = rows.get(target.key);
        if (row === undefined) {
          continue;
        }
        ids.push(row.id);
        if (row.isLatest && row.storagePath === null && !row.isDeleteMarker) {
          files.push(target);
        }
      }
    }
    await this.versions.deleteMany(tx, ids);
    return files;
  }

  /** A batch of a versioned bucket under its keys' mutexes. */
  private async deleteVersionedBatch(
    bucket: Bucket,
    batch: DeleteTarget[],
    outcomes: Map<string, Outcome>,
    ownerId: string,
    check: RemovalCheck,
  ): Promise<void> {
    const release = await this.locks.acquireAll(batch.map((t) => objectLockKey(bucket.name, t.key)));
    try {
      await this.deleteVersioned(bucket, batch, outcomes, ownerId, check);
    } finally {
      release();
    }
  }

  /**
   * A versioned bucket: each key through DeleteObject's own path (delete markers, promotion of
   * the previous version), a few keys at a time; the caller holds the keys' mutexes.
   */
  private async deleteVersioned(
    bucket: Bucket,
    targets: DeleteTarget[],
    outcomes: Map<string, Outcome>,
    ownerId: string,
    check: RemovalCheck,
  ): Promise<void> {
    await forEachLimited(targets, VERSIONED_CONCURRENCY, async (target) => {
      try {
        const done = await this.deleter.deleteLocked(bucket, target.key, target.versionId, ownerId, check);
        outcomes.set(
          targetId(target),
          done.isDeleteMarker && done.versionId !== null
            ? { kind: 'deleted', deleteMarkerVersionId: done.versionId }
            : { kind: 'deleted' },
        );
      } catch (err) {
        if (isS3Error(err)) {
          outcomes.set(targetId(target), failure(err.code, err.message));
          return;
        }
        this.logger.error({ err, bucket: bucket.name, key: target.key }, 'versioned delete failed');
        outcomes.set(targetId(target), failure('InternalError'));
      }
    });
  }

  /** Entry-level validation S3 reports per key rather than for the whole request. */
  private targetProblem(target: DeleteTarget): Outcome | null {
    if (Buffer.byteLength(target.key) > MAX_KEY_BYTES) {
      return failure('KeyTooLongError');
    }
    if (target.versionId !== undefined && !isValidVersionId(target.versionId)) {
      return failure('NoSuchVersion');
    }
    return null;
  }
}
