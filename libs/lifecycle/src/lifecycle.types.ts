/**
 * A bucket lifecycle configuration in S3's shapes and vocabulary
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html). It is stored as
 * JSON in `bucket_configs` (kind `lifecycle`) exactly as parsed, so GetBucketLifecycleConfiguration
 * answers with the form the client sent (legacy rule-level Prefix, Filter, Filter/And).
 */

/** One tag predicate of a rule filter. */
export interface LifecycleTag {
  Key: string;
  Value: string;
}

/** The predicates combined by `Filter/And`: all must hold. */
export interface LifecycleAndOperator {
  Prefix?: string;
  Tags: LifecycleTag[];
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
}

/** `Filter`: at most one predicate, or `And`; empty means every object of the bucket. */
export interface LifecycleRuleFilter {
  Prefix?: string;
  Tag?: LifecycleTag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: LifecycleAndOperator;
}

/** `Expiration`: exactly one of Days, Date (midnight UTC, ISO 8601) or ExpiredObjectDeleteMarker. */
export interface LifecycleExpiration {
  Days?: number;
  Date?: string;
  ExpiredObjectDeleteMarker?: boolean;
}

/** `NoncurrentVersionExpiration`. */
export interface NoncurrentVersionExpiration {
  NoncurrentDays: number;
  /** How many of the newest noncurrent versions to keep whatever their age. */
  NewerNoncurrentVersions?: number;
}

/** `AbortIncompleteMultipartUpload`. */
export interface AbortIncompleteMultipartUpload {
  DaysAfterInitiation: number;
}

export type LifecycleRuleStatus = 'Enabled' | 'Disabled';

/** One `Rule`. `Prefix` (legacy) and `Filter` are mutually exclusive; neither means every object. */
export interface LifecycleRule {
  ID: string;
  Status: LifecycleRuleStatus;
  Prefix?: string;
  Filter?: LifecycleRuleFilter;
  Expiration?: LifecycleExpiration;
  NoncurrentVersionExpiration?: NoncurrentVersionExpiration;
  AbortIncompleteMultipartUpload?: AbortIncompleteMultipartUpload;
}

/** `LifecycleConfiguration`: 1 to 1000 rules with unique IDs. */
export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
}

/** The attributes of an object that rule filters look at. */
export interface LifecycleSubject {
  key: string;
  size: number;
  tags: Record<string, string> | null;
}
