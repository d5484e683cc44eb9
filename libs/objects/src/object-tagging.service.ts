import { S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { BucketsService } from '@myfsio/buckets';
import type { Bucket, ObjectVersion } from '@myfsio/metadata';
import { ObjectVersionRepository } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { objectLockKey } from './keyed-mutex';
import { ObjectReaderService } from './object-reader';
import { ObjectLocks } from './object-writer';
import { readVersionId } from './request-checks';
import { validateTags } from './tagging';

/** Names one object, or one version of it through the `versionId` query parameter. */
export interface ObjectTaggingTarget {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/** The tags of an object version and the version id to report (null in unversioned buckets). */
export interface ObjectTaggingResult {
  tags: Record<string, string>;
  versionId: string | null;
}

/**
 * The object tagging subresource: GetObjectTagging, PutObjectTagging and DeleteObjectTagging
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html). Tags live on
 * the version row; a write replaces the whole set.
 */
@Injectable()
export class ObjectTaggingService {
  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly versions: ObjectVersionRepository,
    private readonly reader: ObjectReaderService,
    private readonly locks: ObjectLocks,
  ) {}

  /** OBJECT_TAG_LIMIT: the most tags one object may carry. */
  get tagLimit(): number {
    return this.config.storage.objectTagLimit;
  }

  /** The tag set (empty when none). Throws NoSuchBucket, NoSuchKey, NoSuchVersion, InvalidArgument. */
  async getTags(target: ObjectTaggingTarget): Promise<ObjectTaggingResult> {
    const versionId = readVersionId(target.query);
    const bucket = await this.buckets.require(target.bucket);
    const row = await this.reader.find(bucket, target.key, versionId, 'GET');
    return { tags: row.tags ?? {}, versionId: reportedVersion(bucket, row) };
  }

  /**
   * Replaces the tag set of the object (or the named version). Throws InvalidTag for a set that
   * breaks S3's tag rules, and what {@link getTags} throws.
   */
  async putTags(target: ObjectTaggingTarget, tags: Record<string, string>): Promise<ObjectTaggingResult> {
    validateTags(tags, this.tagLimit);
    const stored = Object.keys(tags).length > 0 ? tags : null;
    return this.patch(target, 'PUT', stored);
  }

  /** Removes every tag of the object (or the named version); throws what {@link getTags} throws. */
  async deleteTags(target: ObjectTaggingTarget): Promise<ObjectTaggingResult> {
    return this.patch(target, 'DELETE', null);
  }

  private async patch(
    target: ObjectTaggingTarget,
    method: string,
    tags: Record<string, string> | null,
  ): Promise<ObjectTaggingResult> {
    const versionId = readVersionId(target.query);
    const bucket = await this.buckets.require(target.bucket);
    // The per-key mutex keeps a concurrent PutObject of this process from replacing the row
    // between the lookup and the update, which would silently drop the new tags.
    return this.locks.runExclusive(objectLockKey(bucket.name, target.key), async () => {
      const row = await this.reader.find(bucket, target.key, versionId, method);
      const isUpdated = await this.versions.update(null, row.id, { tags });
      if (!isUpdated) {
        // Removed by another process between the lookup and the update.
        throw S3Errors.noSuchKey(target.key);
      }
      return { tags: tags ?? {}, versionId: reportedVersion(bucket, row) };
    });
  }
}

/** S3 sends `x-amz-version-id` for tagging calls only once the bucket has had versioning on. */
function reportedVersion(bucket: Bucket, row: ObjectVersion): string | null {
  return bucket.versioning === 'Unversioned' ? null : row.versionId;
}
