import { isS3Error } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import {
  type Bucket,
  BucketRepository,
  MultipartRepository,
  type ObjectVersion,
  ObjectVersionRepository,
} from '@myfsio/metadata';
import { MultipartService } from '@myfsio/multipart';
import { ObjectsService } from '@myfsio/objects';
import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { objectExpiration, uploadAbortDate } from './expiry';
import type { LifecycleRule } from './lifecycle.types';
import { LifecycleService } from './lifecycle.service';
import { expiredDeleteMarker, expiredNoncurrentVersions } from './noncurrent';
import { ruleCriteria } from './rule-match';

/** Rows read per metadata page: a bucket is never loaded whole. */
const PAGE_SIZE = 500;
/** Buckets read per page of the bucket list. */
const BUCKET_PAGE = 100;

/** What one enforcement run did. */
export interface LifecycleRunStats {
  /** Buckets with a lifecycle configuration that were scanned. */
  buckets: number;
  /** Current objects expired (Expiration Days/Date), counting those a newer write replaced meanwhile (kept). */
  objectsExpired: number;
  /** Noncurrent versions removed (NoncurrentVersionExpiration). */
  noncurrentVersionsExpired: number;
  /** Expired object delete markers removed. */
  deleteMarkersRemoved: number;
  /** Incomplete multipart uploads aborted. */
  uploadsAborted: number;
  /** Actions that failed (logged); the next run retries them. */
  errors: number;
}

/**
 * The smallest set of prefixes whose scans cover every rule that has `action`: a prefix
 * inside another one is covered by the shorter scan. Pure.
 */
export function scanPrefixes(
  rules: readonly LifecycleRule[],
  action: (r: LifecycleRule) => boolean,
): string[] {
  const prefixes = rules
    .filter((r) => r.Status === 'Enabled' && action(r))
    .map((r) => ruleCriteria(r).prefix)
    .sort();
  const kept: string[] = [];
  for (const p of prefixes) {
    if (!kept.some((k) => p.startsWith(k))) {
      kept.push(p);
    }
  }
  return kept;
}

const hasExpiration = (r: LifecycleRule) =>
  r.Expiration?.Days !== undefined || r.Expiration?.Date !== undefined;
const hasVersionActions = (r: LifecycleRule) =>
  r.NoncurrentVersionExpiration !== undefined || r.Expiration?.ExpiredObjectDeleteMarker === true;
const hasAbort = (r: LifecycleRule) => r.AbortIncompleteMultipartUpload !== undefined;

/**
 * Lifecycle enforcement: one pass over every bucket that has a configuration. It pages through
 * the metadata index (never a whole bucket in memory), yields to request handling between pages,
 * and deletes only through the service layer (ObjectsService, MultipartService), so each object
 * is either kept or gone and S3's delete semantics (versioning, locks) apply. A pass is
 * idempotent: one interrupted by a crash or shutdown is completed by the next.
 */
@Injectable()
export class LifecycleRunner {
  private readonly logger = new Logger('Lifecycle');
  private current: Promise<LifecycleRunStats> | null = null;
  private isStopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly bucketRows: BucketRepository,
    private readonly lifecycle: LifecycleService,
    private readonly versions: ObjectVersionRepository,
    private readonly uploads: MultipartRepository,
    private readonly objects: ObjectsService,
    private readonly multipart: MultipartService,
  ) {}

  /** Runs one pass now, or joins the pass already running in this process. Never rejects for a single failed action. */
  run(now: () => Date = () => new Date()): Promise<LifecycleRunStats> {
    if (this.current === null) {
      this.current = this.pass(now).finally(() => {
        this.current = null;
      });
    }
    return this.current;
  }

  /** Stops the running pass at the next object (it resumes with the next run) and waits for it. */
  async stop(): Promise<void> {
    this.isStopping = true;
    await this.current?.catch(() => undefined);
  }

  private async pass(now: () => Date): Promise<LifecycleRunStats> {
    const stats: LifecycleRunStats = {
      buckets: 0,
      objectsExpired: 0,
      noncurrentVersionsExpired: 0,
      deleteMarkersRemoved: 0,
      uploadsAborted: 0,
      errors: 0,
    };
    let afterName: string | undefined;
    for (;;) {
      const page = await this.bucketRows.list({ afterName, limit: BUCKET_PAGE });
      for (const bucket of page) {
        if (this.isStopping) {
          return stats;
        }
        // One bucket's failure (a listing error, say) must not starve the buckets after it.
        await this.attempt(
          { bucket: bucket.name },
          async () => {
            const config = await this.lifecycle.read(bucket.id);
            if (config !== null) {
              stats.buckets += 1;
              await this.enforce(bucket, config.Rules, now, stats);
            }
          },
          stats,
        );
      }
      if (page.length < BUCKET_PAGE) {
        break;
      }
      afterName = page[page.length - 1]?.name;
    }
    this.logger.log({ ...stats }, 'lifecycle run finished');
    return stats;
  }

  private async enforce(bucket: Bucket, rules: LifecycleRule[], now: () => Date, stats: LifecycleRunStats) {
    for (const prefix of scanPrefixes(rules, hasExpiration)) {
      await this.expireCurrent(bucket, rules, prefix, now, stats);
    }
    // Without versioning there are no noncurrent versions or delete markers to look at.
    if (bucket.versioning !== 'Unversioned') {
      for (const prefix of scanPrefixes(rules, hasVersionActions)) {
        await this.expireVersions(bucket, rules, prefix, now, stats);
      }
    }
    for (const prefix of scanPrefixes(rules, hasAbort)) {
      await this.abortUploads(bucket, rules, prefix, now, stats);
    }
  }

  /** Runs one action, counting it or logging its failure; false once the runner is stopping. */
  private async attempt(
    what: object,
    action: () => Promise<unknown>,
    stats: LifecycleRunStats,
  ): Promise<boolean> {
    if (this.isStopping) {
      return false;
    }
    try {
      await action();
      return true;
    } catch (err) {
      stats.errors += 1;
      this.logger.warn({ err, ...what }, 'lifecycle action failed; retried next run');
      return false;
    }
  }

  private async expireCurrent(
    bucket: Bucket,
    rules: LifecycleRule[],
    prefix: string,
    now: () => Date,
    stats: LifecycleRunStats,
  ): Promise<void> {
    const daySeconds = this.config.lifecycle.daySeconds;
    let startAfter: string | undefined;
    do {
      const page = await this.versions.listCurrent({
        bucketId: bucket.id,
        prefix,
        startAfter,
        maxKeys: PAGE_SIZE,
      });
      for (const object of page.entries) {
        const expiration = objectExpiration(rules, object, object.lastModified, daySeconds);
        if (expiration === null || expiration.expiryDate.getTime() > now().getTime()) {
          continue;
        }
        // A plain DeleteObject: on a versioned bucket it leaves a delete marker, as S3 does. The
        // expected row makes a write that landed after this page was read win over the expiry.
        const done = await this.attempt(
          { bucket: bucket.name, key: object.key, rule: expiration.ruleId },
          () =>
            this.objects.deleteObject({
              bucket: bucket.name,
              key: object.key,
              query: new URLSearchParams(),
              headers: {},
              // A delete marker lifecycle creates belongs to the bucket owner, as in S3.
              ownerId: bucket.ownerId,
              expectedRowId: object.id,
            }),
          stats,
        );
        stats.objectsExpired += done ? 1 : 0;
      }
      startAfter = page.isTruncated ? (page.entries[page.entries.length - 1]?.key ?? undefined) : undefined;
      await yieldToRequests();
    } while (startAfter !== undefined && !this.isStopping);
  }

  private async expireVersions(
    bucket: Bucket,
    rules: LifecycleRule[],
    prefix: string,
    now: () => Date,
    stats: LifecycleRunStats,
  ): Promise<void> {
    // Versions of one key may span pages: collect a key's versions, evaluate when the key changes.
    let group: ObjectVersion[] = [];
    const flush = async () => {
      const versions = group;
      group = [];
      for (const v of expiredNoncurrentVersions(rules, versions, now(), this.config.lifecycle.daySeconds)) {
        const done = await this.attempt(
          { bucket: bucket.name, key: v.key, versionId: v.versionId },
          () => this.objects.deleteVersion(bucket.name, v.key, v.versionId, v.id),
          stats,
        );
        stats.noncurrentVersionsExpired += done ? 1 : 0;
      }
      const marker = expiredDeleteMarker(rules, versions);
      if (marker !== null) {
        const done = await this.attempt(
          { bucket: bucket.name, key: marker.key, versionId: marker.versionId },
          () => this.objects.deleteVersion(bucket.name, marker.key, marker.versionId, marker.id),
          stats,
        );
        stats.deleteMarkersRemoved += done ? 1 : 0;
      }
    };
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.versions.listVersions({
        bucketId: bucket.id,
        prefix,
        keyMarker,
        versionIdMarker,
        maxKeys: PAGE_SIZE,
      });
      for (const v of page.versions) {
        if (group.length > 0 && group[0]?.key !== v.key) {
          await flush();
        }
        group.push(v);
      }
      keyMarker = page.isTruncated ? (page.nextKeyMarker ?? undefined) : undefined;
      versionIdMarker = page.isTruncated ? (page.nextVersionIdMarker ?? undefined) : undefined;
      await yieldToRequests();
    } while (keyMarker !== undefined && !this.isStopping);
    if (!this.isStopping) {
      await flush();
    }
  }

  private async abortUploads(
    bucket: Bucket,
    rules: LifecycleRule[],
    prefix: string,
    now: () => Date,
    stats: LifecycleRunStats,
  ): Promise<void> {
    const daySeconds = this.config.lifecycle.daySeconds;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.uploads.listUploads({
        bucketId: bucket.id,
        prefix,
        keyMarker,
        uploadIdMarker,
        maxUploads: PAGE_SIZE,
      });
      for (const upload of page.uploads) {
        const due = uploadAbortDate(rules, upload.key, upload.initiatedAt, daySeconds);
        if (due === null || due.getTime() > now().getTime()) {
          continue;
        }
        const done = await this.attempt(
          { bucket: bucket.name, key: upload.key, uploadId: upload.uploadId },
          () =>
            this.multipart
              .abortMultipartUpload({
                bucket: bucket.name,
                key: upload.key,
                query: new URLSearchParams({ uploadId: upload.uploadId }),
              })
              // Completed or aborted by a client meanwhile: nothing left to do.
              .catch((err: unknown) => {
                if (!(isS3Error(err) && err.code === 'NoSuchUpload')) {
                  throw err;
                }
              }),
          stats,
        );
        stats.uploadsAborted += done ? 1 : 0;
      }
      keyMarker = page.isTruncated ? (page.nextKeyMarker ?? undefined) : undefined;
      uploadIdMarker = page.isTruncated ? (page.nextUploadIdMarker ?? undefined) : undefined;
      await yieldToRequests();
    } while (keyMarker !== undefined && !this.isStopping);
  }
}
