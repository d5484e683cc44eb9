import type { LifecycleRule, LifecycleSubject } from './lifecycle.types';
import { ruleMatches } from './rule-match';

/**
 * The moment an action with `days` days falls due for something that started at `start`
 * (last-modified for Expiration, initiation for AbortIncompleteMultipartUpload, the moment it
 * became noncurrent for NoncurrentVersionExpiration). S3 adds the days and rounds up to the next
 * midnight UTC (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecyle-expire-general-considerations.html).
 * With a shortened lifecycle day (LIFECYCLE_DAY_SECONDS), a "day" is `daySeconds` long and
 * "midnight" is every multiple of `daySeconds` since the Unix epoch; with 86400 that is
 * midnight UTC. A time already on a boundary stays there. Pure.
 */
export function dueAfterDays(start: Date, days: number, daySeconds: number): Date {
  const dayMs = daySeconds * 1000;
  const due = start.getTime() + days * dayMs;
  return new Date(Math.ceil(due / dayMs) * dayMs);
}

/** An object's expiration under a configuration: when, and by which rule. */
export interface ObjectExpiration {
  expiryDate: Date;
  ruleId: string;
}

/**
 * The earliest Expiration (Days or Date) among the enabled rules that match `subject`, which was
 * last modified at `lastModified`; null when none applies. Expiration Dates are absolute
 * instants and are not scaled by `daySeconds`. Pure.
 */
export function objectExpiration(
  rules: readonly LifecycleRule[],
  subject: LifecycleSubject,
  lastModified: Date,
  daySeconds: number,
): ObjectExpiration | null {
  let best: ObjectExpiration | null = null;
  for (const rule of rules) {
    const e = rule.Expiration;
    if (rule.Status !== 'Enabled' || e === undefined || !ruleMatches(rule, subject)) {
      continue;
    }
    let at: Date | null = null;
    if (e.Days !== undefined) {
      at = dueAfterDays(lastModified, e.Days, daySeconds);
    } else if (e.Date !== undefined) {
      at = new Date(e.Date);
    }
    if (at !== null && (best === null || at.getTime() < best.expiryDate.getTime())) {
      best = { expiryDate: at, ruleId: rule.ID };
    }
  }
  return best;
}

/**
 * The `x-amz-expiration` header value: `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT",
 * rule-id="picture-deletion-rule"` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 * Quotes in the rule id are escaped. Pure.
 */
export function expirationHeader(expiration: ObjectExpiration): string {
  const id = expiration.ruleId.replace(/["\\]/g, (c) => `\\${c}`);
  return `expiry-date="${expiration.expiryDate.toUTCString()}", rule-id="${id}"`;
}

/**
 * The earliest AbortIncompleteMultipartUpload deadline among enabled rules whose prefix covers
 * `key`, for an upload initiated at `initiated`; null when no rule applies. Pure.
 */
export function uploadAbortDate(
  rules: readonly LifecycleRule[],
  key: string,
  initiated: Date,
  daySeconds: number,
): Date | null {
  let best: Date | null = null;
  for (const rule of rules) {
    const abort = rule.AbortIncompleteMultipartUpload;
    // Rules with this action carry no tag or size filter (validation), so the key alone decides.
    if (
      rule.Status !== 'Enabled' ||
      abort === undefined ||
      !ruleMatches(rule, { key, size: 0, tags: null })
    ) {
      continue;
    }
    const at = dueAfterDays(initiated, abort.DaysAfterInitiation, daySeconds);
    if (best === null || at.getTime() < best.getTime()) {
      best = at;
    }
  }
  return best;
}
