export * from './bucket-name';
export * from './buckets.service';
export * from './buckets.module';
/**
 * Get/Put/DeleteBucketTagging over the `tagging` bucket config document, and the bucket tag rules
 * (`validateBucketTags`, pure). Throws NoSuchBucket, NoSuchTagSet (no tags) and InvalidTag.
 */
export { BucketTaggingService, validateBucketTags, BUCKET_TAG_LIMIT } from './bucket-tagging.service';
/**
 * Get/PutObjectLockConfiguration: the bucket's object lock flag and its default retention rule
 * (`defaultRetention(bucket)` for writes). Throws NoSuchBucket,
 * ObjectLockConfigurationNotFoundError and InvalidBucketState.
 */
export {
  ObjectLockConfigService,
  type DefaultRetention,
  type ObjectLockConfiguration,
} from './object-lock-config.service';
