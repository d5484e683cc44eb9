/**
 * @myfsio/lifecycle: bucket lifecycle configurations (Put/Get/DeleteBucketLifecycleConfiguration),
 * `x-amz-expiration`, and their enforcement (Expiration, NoncurrentVersionExpiration, expired
 * delete markers, AbortIncompleteMultipartUpload) on a schedule.
 */

/**
 * The configuration subresource (throws NoSuchBucket, NoSuchLifecycleConfiguration, and the
 * validation errors of the parser) and the `x-amz-expiration` lookup for object responses.
 */
export { LifecycleService, LIFECYCLE_KIND, type PutLifecycleInput } from './lifecycle.service';
/** One enforcement pass on demand (`run`), joined when one is already running; `stop` for shutdown. */
export { LifecycleRunner, type LifecycleRunStats } from './lifecycle-runner';
/** Nest module providing LifecycleService and LifecycleRunner and scheduling enforcement when LIFECYCLE_ENABLED. */
export { LifecycleModule } from './lifecycle.module';
/** The configuration in S3's shapes, as stored and returned. */
export type * from './lifecycle.types';
/** XML in (parse + S3's validation; throws S3Errors) and out. Pure. */
export { parseLifecycleConfiguration, lifecycleConfigurationXml } from './lifecycle-xml';
/** Rule evaluation as pure functions: filters, due dates with the lifecycle day, noncurrent versions. */
export { ruleMatches, ruleCriteria } from './rule-match';
export { dueAfterDays, objectExpiration, expirationHeader, uploadAbortDate } from './expiry';
export { expiredNoncurrentVersions, expiredDeleteMarker } from './noncurrent';
