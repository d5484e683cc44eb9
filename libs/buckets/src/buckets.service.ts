import { S3Error, S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { BucketRepository, DuplicateError, type Bucket } from '@myfsio/metadata';
import { ObjectStore, StorageError } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import { bucketNameProblem } from './bucket-name';

export interface CreateBucketInput {
  name: string;
  ownerId: string;
  /** x-amz-bucket-object-lock-enabled: lock needs versioning, so it is enabled with it. */
  objectLockEnabled?: boolean;
  /** The stored bucket ACL the request set (x-amz-acl / x-amz-grant-*); null/absent: the default. */
  acl?: string | null;
}

/**
 * How long a bucket row may be served from memory. Every request looks its bucket up, so a
 * short cache saves a query per request under load; changes made through this process
 * invalidate at once, and another gateway's create/delete is seen within this bound.
 */
const BUCKET_CACHE_MS = 1000;

export interface BucketListPage {
  buckets: Bucket[];
  continuationToken?: string;
}

/** Buckets: S3's rules over the bucket repository and the bucket directories. */
@Injectable()
export class BucketsService {
  private readonly cache = new Map<string, { bucket: Bucket; until: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly repo: BucketRepository,
    private readonly store: ObjectStore,
  ) {}

  /** The bucket, or `NoSuchBucket`. */
  async require(name: string): Promise<Bucket> {
    const now = Date.now();
    const cached = this.cache.get(name);
    if (cached && cached.until > now) {
      return cached.bucket;
    }
    const bucket = await this.repo.findByName(name);
    if (!bucket) {
      this.cache.delete(name);
      throw S3Errors.noSuchBucket(name);
    }
    if (this.cache.size > 10_000) {
      this.cache.clear();
    }
    this.cache.set(name, { bucket, until: now + BUCKET_CACHE_MS });
    return bucket;
  }

  /** Forgets a cached bucket row after a change to it (versioning, owner, deletion). */
  invalidate(name: string): void {
    this.cache.delete(name);
  }

  /**
   * 1. validate the name; 2. create the directory (idempotent, so a concurrent create of the
   * same name is harmless); 3. insert the row — the unique name decides who won.
   */
  async create(input: CreateBucketInput): Promise<Bucket> {
    const problem = bucketNameProblem(input.name);
    if (problem) {
      throw new S3Error('InvalidBucketName', { message: problem, fields: { BucketName: input.name } });
    }
    const existing = await this.repo.findByName(input.name);
    if (existing) {
      throw this.alreadyExists(existing, input.ownerId);
    }
    await this.store.createBucket(input.name);
    try {
      return await this.repo.create(null, {
        name: input.name,
        ownerId: input.ownerId,
        region: this.config.s3.region,
        versioning: input.objectLockEnabled ? 'Enabled' : 'Unversioned',
        objectLockEnabled: input.objectLockEnabled ?? false,
        acl: input.acl ?? null,
      });
    } catch (err) {
      if (err instanceof DuplicateError) {
        const winner = await this.repo.findByName(input.name);
        throw this.alreadyExists(winner, input.ownerId);
      }
      throw err;
    }
  }

  /** Deletes an empty bucket: no objects, no versions, no uploads in progress, no foreign files. */
  async delete(name: string): Promise<void> {
    const bucket = await this.require(name);
    const contents = await this.repo.hasObjects(bucket.id);
    if (contents.hasCurrentObjects || contents.hasVersions || contents.hasUploads) {
      throw new S3Error('BucketNotEmpty', { fields: { BucketName: name } });
    }
    try {
      await this.store.removeBucket(name);
    } catch (err) {
      if (err instanceof StorageError && err.kind === 'NotEmpty') {
        // Files added behind the gateway: deleting the bucket would destroy data nobody listed.
        throw new S3Error('BucketNotEmpty', {
          message:
            'The bucket directory holds files that are not indexed objects; remove them or index them first.',
          fields: { BucketName: name },
        });
      }
      throw err;
    }
    await this.repo.delete(null, bucket.id);
    this.invalidate(name);
  }

  /**
   * PutBucketVersioning: sets `Enabled` or `Suspended`. A bucket with object lock stays
   * Enabled (`InvalidBucketState`). Other gateways see the change within the bucket cache bound.
   * Throws NoSuchBucket.
   */
  async setVersioning(name: string, status: 'Enabled' | 'Suspended'): Promise<Bucket> {
    const bucket = await this.require(name);
    if (bucket.objectLockEnabled && status !== 'Enabled') {
      throw new S3Error('InvalidBucketState', {
        message:
          'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      });
    }
    if (bucket.versioning !== status) {
      await this.repo.update(null, bucket.id, { versioning: status });
      this.invalidate(name);
    }
    return { ...bucket, versioning: status };
  }

  /** Buckets in name order, `max` at a time after `continuationToken` (the last name seen). */
  async list(options: { prefix?: string; max: number; continuationToken?: string }): Promise<BucketListPage> {
    const rows = await this.repo.list({
      prefix: options.prefix,
      afterName: options.continuationToken,
      limit: options.max + 1,
    });
    const page = rows.slice(0, options.max);
    const last = page[page.length - 1];
    return { buckets: page, continuationToken: rows.length > options.max && last ? last.name : undefined };
  }

  private alreadyExists(bucket: Bucket | null, ownerId: string): S3Error {
    return bucket && bucket.ownerId === ownerId
      ? new S3Error('BucketAlreadyOwnedByYou', { fields: { BucketName: bucket.name } })
      : new S3Error('BucketAlreadyExists', { fields: { BucketName: bucket?.name ?? '' } });
  }
}
