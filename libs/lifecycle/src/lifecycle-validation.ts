import { S3Error, S3Errors } from '@myfsio/common';
import type { LifecycleConfiguration, LifecycleRule } from './lifecycle.types';
import { ruleCriteria } from './rule-match';

/** S3's limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html). */
export const MAX_LIFECYCLE_RULES = 1000;
export const MAX_RULE_ID_LENGTH = 255;
/** S3 keeps at most 100 newer noncurrent versions per NoncurrentVersionExpiration. */
export const MAX_NEWER_NONCURRENT_VERSIONS = 100;

function invalidArgument(message: string): S3Error {
  return new S3Error('InvalidArgument', { message });
}

function positive(value: number | undefined, message: string): void {
  if (value !== undefined && value < 1) {
    throw invalidArgument(message);
  }
}

function validateExpiration(rule: LifecycleRule, hasTags: boolean): void {
  const e = rule.Expiration;
  if (e === undefined) {
    return;
  }
  const given = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((v) => v !== undefined).length;
  if (given === 0) {
    throw S3Errors.malformedXml('Expiration needs Days, Date or ExpiredObjectDeleteMarker');
  }
  if (e.Days !== undefined && e.Date !== undefined) {
    throw S3Errors.malformedXml('Expiration takes Days or Date, not both');
  }
  if (e.ExpiredObjectDeleteMarker !== undefined && given > 1) {
    throw S3Errors.invalidRequest(
      'ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.',
    );
  }
  positive(e.Days, "'Days' for Expiration action must be a positive integer");
  if (e.Date !== undefined && !isMidnightUtc(new Date(e.Date))) {
    throw invalidArgument("'Date' must be at midnight GMT");
  }
  if (e.ExpiredObjectDeleteMarker === true && hasTags) {
    throw S3Errors.invalidRequest('ExpiredObjectDeleteMarker cannot be specified with a tag-based filter.');
  }
}

function validateRule(rule: LifecycleRule): void {
  if (rule.ID.length > MAX_RULE_ID_LENGTH) {
    throw invalidArgument(`ID length should not exceed allowed limit of ${MAX_RULE_ID_LENGTH}`);
  }
  if (
    rule.Expiration === undefined &&
    rule.NoncurrentVersionExpiration === undefined &&
    rule.AbortIncompleteMultipartUpload === undefined
  ) {
    throw S3Errors.invalidRequest('At least one action needs to be specified in a rule');
  }
  const criteria = ruleCriteria(rule);
  const tagKeys = criteria.tags.map((t) => t.Key);
  if (new Set(tagKeys).size !== tagKeys.length) {
    throw S3Errors.invalidRequest('Duplicate Tag Keys are not allowed.');
  }
  if (tagKeys.some((k) => k === '')) {
    throw S3Errors.invalidRequest('The TagKey you have provided is invalid');
  }
  const { greaterThan, lessThan } = criteria;
  if ((greaterThan ?? 0) < 0 || (lessThan ?? 1) < 1) {
    throw invalidArgument('ObjectSizeGreaterThan must be non-negative and ObjectSizeLessThan positive');
  }
  if (greaterThan !== undefined && lessThan !== undefined && greaterThan >= lessThan) {
    throw invalidArgument('ObjectSizeGreaterThan must be less than ObjectSizeLessThan');
  }
  const hasTags = tagKeys.length > 0;
  validateExpiration(rule, hasTags);
  const nve = rule.NoncurrentVersionExpiration;
  if (nve !== undefined) {
    positive(
      nve.NoncurrentDays,
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
    );
    positive(
      nve.NewerNoncurrentVersions,
      "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer",
    );
    if ((nve.NewerNoncurrentVersions ?? 0) > MAX_NEWER_NONCURRENT_VERSIONS) {
      throw invalidArgument(
        `'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must not exceed ${MAX_NEWER_NONCURRENT_VERSIONS}`,
      );
    }
  }
  const abort = rule.AbortIncompleteMultipartUpload;
  if (abort !== undefined) {
    positive(
      abort.DaysAfterInitiation,
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    );
    // Uploads have neither tags nor a size yet, so S3 refuses those filters with this action.
    if (hasTags) {
      throw S3Errors.invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    }
    if (greaterThan !== undefined || lessThan !== undefined) {
      throw S3Errors.invalidRequest(
        'AbortIncompleteMultipartUpload cannot be specified with an object size filter.',
      );
    }
  }
}

/** Whether `date` is exactly 00:00:00.000 UTC. */
export function isMidnightUtc(date: Date): boolean {
  return date.getTime() % 86_400_000 === 0;
}

/**
 * S3's semantic checks of a parsed configuration. Throws InvalidArgument (ID longer than 255,
 * duplicate IDs, more than 1000 rules, non-positive Days/NoncurrentDays/DaysAfterInitiation/
 * NewerNoncurrentVersions, Date not at midnight GMT, size bounds), InvalidRequest (no action,
 * ExpiredObjectDeleteMarker with Days/Date or tags, AbortIncompleteMultipartUpload with tag or
 * size filters, duplicate tag keys) and MalformedXML (Days with Date, an empty Expiration). Pure.
 */
export function validateLifecycleRules(config: LifecycleConfiguration): void {
  if (config.Rules.length > MAX_LIFECYCLE_RULES) {
    throw invalidArgument(`The lifecycle configuration cannot have more than ${MAX_LIFECYCLE_RULES} rules`);
  }
  const ids = new Set<string>();
  for (const rule of config.Rules) {
    validateRule(rule);
    if (ids.has(rule.ID)) {
      throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule');
    }
    ids.add(rule.ID);
  }
}
