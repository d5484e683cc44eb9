import { BucketsService } from '@myfsio/buckets';
import { S3Error } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { BucketConfigRepository, type ObjectVersion, ObjectVersionRepository } from '@myfsio/metadata';
import type { HeaderBag } from '@myfsio/objects';
import { Injectable, Logger } from '@nestjs/common';
import { verifyConfigurationBody } from './body-integrity';
import { expirationHeader, objectExpiration } from './expiry';
import { parseLifecycleConfiguration } from './lifecycle-xml';
import type { LifecycleConfiguration, LifecycleRule } from './lifecycle.types';

/** The bucket config document kind holding the configuration (JSON of LifecycleConfiguration). */
export const LIFECYCLE_KIND = 'lifecycle';

/**
 * How long a bucket's rules may be served from memory for `x-amz-expiration` on GET/HEAD/PUT.
 * Changes through this process invalidate at once; another gateway's change is seen within this
 * bound (the same bound as the bucket-row cache).
 */
const RULES_CACHE_MS = 1000;
const RULES_CACHE_MAX = 10_000;

/** What PutBucketLifecycleConfiguration receives: the raw body and what vouches for it. */
export interface PutLifecycleInput {
  bucket: string;
  body: Buffer;
  headers: HeaderBag;
  trailers: Promise<Record<string, string>>;
}

/**
 * The lifecycle subresource (Get/Put/DeleteBucketLifecycleConfiguration) and the rules lookup
 * the object handlers use for `x-amz-expiration`. Enforcement is LifecycleRunner's.
 */
@Injectable()
export class LifecycleService {
  private readonly cache = new Map<string, { rules: LifecycleRule[]; until: number }>();
  private readonly logger = new Logger('Lifecycle');

  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly configs: BucketConfigRepository,
    private readonly versions: ObjectVersionRepository,
  ) {}

  /** GetBucketLifecycleConfiguration. Throws NoSuchBucket, NoSuchLifecycleConfiguration. */
  async getConfiguration(name: string): Promise<LifecycleConfiguration> {
    const bucket = await this.buckets.require(name);
    const config = await this.read(bucket.id);
    if (config === null) {
      throw new S3Error('NoSuchLifecycleConfiguration', { resource: name, fields: { BucketName: name } });
    }
    return config;
  }

  /**
   * PutBucketLifecycleConfiguration: verifies the body's Content-MD5 / checksum, parses and
   * validates it whole, then replaces the stored configuration; nothing changes on any error.
   * Throws NoSuchBucket, InvalidRequest, InvalidDigest, BadDigest, MalformedXML, InvalidArgument.
   */
  async putConfiguration(input: PutLifecycleInput): Promise<void> {
    const bucket = await this.buckets.require(input.bucket);
    await verifyConfigurationBody(input.body, input.headers, input.trailers);
    const config = parseLifecycleConfiguration(input.body.toString('utf8'));
    await this.configs.put(null, bucket.id, LIFECYCLE_KIND, JSON.stringify(config));
    this.cache.delete(bucket.id);
  }

  /** DeleteBucketLifecycle: removes the configuration; idempotent. Throws NoSuchBucket. */
  async deleteConfiguration(name: string): Promise<void> {
    const bucket = await this.buckets.require(name);
    await this.configs.delete(null, bucket.id, LIFECYCLE_KIND);
    this.cache.delete(bucket.id);
  }

  /** The stored configuration of a bucket, or null. */
  async read(bucketId: string): Promise<LifecycleConfiguration | null> {
    const doc = await this.configs.get(bucketId, LIFECYCLE_KIND);
    return doc === null ? null : (JSON.parse(doc.document) as LifecycleConfiguration);
  }

  /**
   * `{ 'x-amz-expiration': … }` for a current object of bucket `name` (GetObject, HeadObject),
   * or `{}` when no enabled Expiration rule with Days or Date matches it or it is a noncurrent
   * version. Rules come from a short per-bucket cache, so most requests cost no query.
   */
  async expirationHeaders(name: string, object: ObjectVersion): Promise<Record<string, string>> {
    if (!object.isLatest || object.isDeleteMarker) {
      return {};
    }
    try {
      const bucket = await this.buckets.require(name);
      const rules = await this.cachedRules(bucket.id);
      const expiration = objectExpiration(
        rules,
        object,
        object.lastModified,
        this.config.lifecycle.daySeconds,
      );
      return expiration === null ? {} : { 'x-amz-expiration': expirationHeader(expiration) };
    } catch (err) {
      // The header is advisory: a failed lookup must not fail a read whose body is already open.
      this.logger.warn({ err, bucket: name }, 'x-amz-expiration lookup failed');
      return {};
    }
  }

  /**
   * `{ 'x-amz-expiration': … }` for the object PutObject just stored at `key` of bucket `name`,
   * or `{}`. Reads the new row only when the bucket has an Expiration rule.
   */
  async expirationHeadersAfterPut(name: string, key: string): Promise<Record<string, string>> {
    const bucket = await this.buckets.require(name);
    const rules = await this.cachedRules(bucket.id);
    if (
      !rules.some((r) => r.Status === 'Enabled' && (r.Expiration?.Days ?? r.Expiration?.Date) !== undefined)
    ) {
      return {};
    }
    const object = await this.versions.findCurrent(bucket.id, key);
    return object === null ? {} : this.expirationHeaders(name, object);
  }

  private async cachedRules(bucketId: string): Promise<LifecycleRule[]> {
    const now = Date.now();
    const cached = this.cache.get(bucketId);
    if (cached !== undefined && cached.until > now) {
      return cached.rules;
    }
    const rules = (await this.read(bucketId))?.Rules ?? [];
    if (this.cache.size >= RULES_CACHE_MAX) {
      this.cache.clear();
    }
    this.cache.set(bucketId, { rules, until: now + RULES_CACHE_MS });
    return rules;
  }
}
