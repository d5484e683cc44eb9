import { S3Error } from '@myfsio/common';
import { type Bucket, BucketConfigRepository, BucketRepository, type ObjectLockMode } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { BucketsService } from './buckets.service';

/** The bucket config document kind that holds the default retention rule (JSON). */
const OBJECT_LOCK_KIND = 'object-lock';

/** A bucket's default retention rule (`DefaultRetention`): a mode and exactly one of days or years. */
export interface DefaultRetention {
  mode: ObjectLockMode;
  days?: number;
  years?: number;
}

/** `ObjectLockConfiguration`: object lock is on, with an optional default retention rule. */
export interface ObjectLockConfiguration {
  rule: DefaultRetention | null;
}

/**
 * The bucket's object lock configuration: GetObjectLockConfiguration and
 * PutObjectLockConfiguration (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html).
 * Object lock itself is the bucket's `objectLockEnabled` flag (set at CreateBucket, or by a
 * configuration put on a bucket with versioning Enabled); the default retention rule is a
 * bucket config document.
 */
@Injectable()
export class ObjectLockConfigService {
  constructor(
    private readonly buckets: BucketsService,
    private readonly repo: BucketRepository,
    private readonly configs: BucketConfigRepository,
  ) {}

  /** Throws NoSuchBucket, and ObjectLockConfigurationNotFoundError when the bucket has no object lock. */
  async get(name: string): Promise<ObjectLockConfiguration> {
    const bucket = await this.buckets.require(name);
    if (!bucket.objectLockEnabled) {
      throw new S3Error('ObjectLockConfigurationNotFoundError', { fields: { BucketName: name } });
    }
    return { rule: await this.defaultRetention(bucket) };
  }

  /**
   * Sets the default retention rule (null removes it). A bucket without object lock gets it
   * when its versioning is Enabled (S3 allows this since 2023), else InvalidBucketState.
   * Throws NoSuchBucket.
   */
  async put(name: string, config: ObjectLockConfiguration): Promise<void> {
    const bucket = await this.buckets.require(name);
    if (!bucket.objectLockEnabled) {
      if (bucket.versioning !== 'Enabled') {
        throw new S3Error('InvalidBucketState', {
          message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
        });
      }
      await this.repo.update(null, bucket.id, { objectLockEnabled: true });
      this.buckets.invalidate(name);
    }
    if (config.rule === null) {
      await this.configs.delete(null, bucket.id, OBJECT_LOCK_KIND);
      return;
    }
    await this.configs.put(null, bucket.id, OBJECT_LOCK_KIND, JSON.stringify(config.rule));
  }

  /** The default retention rule of a bucket with object lock; null when none is set (or no lock). */
  async defaultRetention(bucket: Bucket): Promise<DefaultRetention | null> {
    if (!bucket.objectLockEnabled) {
      return null;
    }
    const doc = await this.configs.get(bucket.id, OBJECT_LOCK_KIND);
    return doc === null ? null : (JSON.parse(doc.document) as DefaultRetention);
  }
}
