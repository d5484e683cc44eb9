import { BucketsService } from '@myfsio/buckets';
import { S3Error } from '@myfsio/common';
import { type Bucket, BucketConfigRepository } from '@myfsio/metadata';
import { parsePolicy, PolicyError, type PolicyDocument } from '@myfsio/policy';
import { Injectable, Logger } from '@nestjs/common';
import { AccessChanges } from './access-changes';
import { isPolicyPublic } from './policy-status';

/** The bucket config document kind that holds the bucket policy (the JSON as the client sent it). */
export const POLICY_KIND = 'policy';
/** S3's limit on a bucket policy document (https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html). */
export const MAX_POLICY_BYTES = 20 * 1024;

interface CachedPolicy {
  document: PolicyDocument | undefined;
  text: string | null;
}

function noSuchBucketPolicy(name: string): S3Error {
  return new S3Error('NoSuchBucketPolicy', { resource: name, fields: { BucketName: name } });
}

/**
 * Bucket policies: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus, and the parsed policy the
 * authorizer evaluates on every request. Parsed documents (and the absence of one) are cached
 * per bucket id; {@link AccessChanges} clears an entry at once on this gateway and within
 * IAM_REFRESH_INTERVAL_SECONDS on the others.
 */
@Injectable()
export class BucketPolicyService {
  private readonly logger = new Logger('BucketPolicy');
  private readonly cache = new Map<string, CachedPolicy>();

  constructor(
    private readonly buckets: BucketsService,
    private readonly configs: BucketConfigRepository,
    private readonly changes: AccessChanges,
  ) {
    changes.onChange((bucketId) => (bucketId === null ? this.cache.clear() : this.cache.delete(bucketId)));
  }

  /** The parsed policy of `bucket`, or undefined; served from memory while nothing changed. */
  async policyOf(bucket: Bucket): Promise<PolicyDocument | undefined> {
    return (await this.load(bucket)).document;
  }

  /** GetBucketPolicy: the policy JSON. Throws NoSuchBucket and NoSuchBucketPolicy. */
  async getPolicy(name: string): Promise<string> {
    const text = (await this.load(await this.buckets.require(name))).text;
    if (text === null) {
      throw noSuchBucketPolicy(name);
    }
    return text;
  }

  /** The parsed policy of the bucket named `name`, or undefined. Throws NoSuchBucket. */
  async getDocument(name: string): Promise<PolicyDocument | undefined> {
    return this.policyOf(await this.buckets.require(name));
  }

  /**
   * PutBucketPolicy: validates and stores `json` whole. Throws NoSuchBucket and MalformedPolicy
   * (invalid JSON, unknown action, resource outside the bucket, too large, …) with the reason.
   */
  async putPolicy(name: string, json: string): Promise<void> {
    const bucket = await this.buckets.require(name);
    if (Buffer.byteLength(json) > MAX_POLICY_BYTES) {
      throw new S3Error('MalformedPolicy', { message: 'Policy exceeds the maximum allowed document size.' });
    }
    try {
      parsePolicy(json, 'bucket', { bucket: name });
    } catch (err) {
      if (err instanceof PolicyError) {
        throw new S3Error('MalformedPolicy', { message: err.reason });
      }
      throw err;
    }
    await this.configs.put(null, bucket.id, POLICY_KIND, json);
    await this.changes.changed(bucket.id);
  }

  /** Stores a document built in code (presets), or deletes the policy for null. Throws NoSuchBucket. */
  async setDocument(name: string, document: PolicyDocument | null): Promise<void> {
    if (document === null || document.Statement.length === 0) {
      await this.deletePolicy(name);
      return;
    }
    await this.putPolicy(name, JSON.stringify(document));
  }

  /** DeleteBucketPolicy: idempotent, as in S3 (204 whether or not a policy was set). Throws NoSuchBucket. */
  async deletePolicy(name: string): Promise<void> {
    const bucket = await this.buckets.require(name);
    await this.configs.delete(null, bucket.id, POLICY_KIND);
    await this.changes.changed(bucket.id);
  }

  /** GetBucketPolicyStatus's IsPublic. Throws NoSuchBucket and NoSuchBucketPolicy. */
  async isPublic(name: string): Promise<boolean> {
    const cached = await this.load(await this.buckets.require(name));
    if (cached.text === null) {
      throw noSuchBucketPolicy(name);
    }
    return isPolicyPublic(cached.document);
  }

  private async load(bucket: Bucket): Promise<CachedPolicy> {
    const cached = this.cache.get(bucket.id);
    if (cached) {
      return cached;
    }
    const row = await this.configs.get(bucket.id, POLICY_KIND);
    let entry: CachedPolicy = { document: undefined, text: null };
    if (row !== null) {
      try {
        entry = {
          document: parsePolicy(row.document, 'bucket', { bucket: bucket.name }),
          text: row.document,
        };
      } catch (err) {
        // Only PutBucketPolicy writes this row, after validating; an unreadable one is ignored, loudly.
        this.logger.error({ err, bucket: bucket.name }, 'stored bucket policy does not parse; ignoring it');
        entry = { document: undefined, text: row.document };
      }
    }
    if (this.cache.size > 10_000) {
      this.cache.clear();
    }
    this.cache.set(bucket.id, entry);
    return entry;
  }
}
