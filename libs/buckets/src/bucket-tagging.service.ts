import { S3Error } from '@myfsio/common';
import { BucketConfigRepository } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { BucketsService } from './buckets.service';

/** The bucket config document kind that holds the tag set (JSON object, key → value). */
const TAGGING_KIND = 'tagging';
/** S3's limit on tags per bucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html). */
export const BUCKET_TAG_LIMIT = 50;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
/** Letters, numbers, spaces and `+ - = . _ : / @`, as AWS allows in tags. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}+\-=._:/@]*$/u;

function invalidTag(message: string): S3Error {
  return new S3Error('InvalidTag', { message });
}

/**
 * Validates a bucket tag set against AWS's tag rules; throws `InvalidTag`: at most 50 tags,
 * keys of 1-128 characters not starting with `aws:`, values of 0-256 characters. Pure.
 */
export function validateBucketTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > BUCKET_TAG_LIMIT) {
    throw invalidTag(`Bucket tag count cannot be greater than ${BUCKET_TAG_LIMIT}`);
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || !TAG_CHARS.test(key) || [...key].length > TAG_KEY_MAX) {
      throw invalidTag('The TagKey you have provided is invalid');
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidTag('User-defined tag keys can not start with aws:');
    }
    if (!TAG_CHARS.test(value) || [...value].length > TAG_VALUE_MAX) {
      throw invalidTag('The TagValue you have provided is invalid');
    }
  }
}

/**
 * The bucket tagging subresource: GetBucketTagging, PutBucketTagging, DeleteBucketTagging.
 * The tag set is a bucket config document of kind `tagging`; a write replaces it whole.
 */
@Injectable()
export class BucketTaggingService {
  constructor(
    private readonly buckets: BucketsService,
    private readonly configs: BucketConfigRepository,
  ) {}

  /** The tag set. Throws NoSuchBucket, and NoSuchTagSet when the bucket has no tags. */
  async getTags(name: string): Promise<Record<string, string>> {
    const bucket = await this.buckets.require(name);
    const doc = await this.configs.get(bucket.id, TAGGING_KIND);
    const tags = doc === null ? {} : (JSON.parse(doc.document) as Record<string, string>);
    if (Object.keys(tags).length === 0) {
      throw new S3Error('NoSuchTagSet', { resource: name, fields: { BucketName: name } });
    }
    return tags;
  }

  /**
   * Replaces the tag set; an empty set removes it, so GetBucketTagging then answers
   * NoSuchTagSet as S3 does. Throws NoSuchBucket and InvalidTag.
   */
  async putTags(name: string, tags: Record<string, string>): Promise<void> {
    validateBucketTags(tags);
    const bucket = await this.buckets.require(name);
    if (Object.keys(tags).length === 0) {
      await this.configs.delete(null, bucket.id, TAGGING_KIND);
      return;
    }
    await this.configs.put(null, bucket.id, TAGGING_KIND, JSON.stringify(tags));
  }

  /** Removes the tag set; idempotent. Throws NoSuchBucket. */
  async deleteTags(name: string): Promise<void> {
    const bucket = await this.buckets.require(name);
    await this.configs.delete(null, bucket.id, TAGGING_KIND);
  }
}
