import type { ObjectVersion } from '@myfsio/metadata';
import { dueAfterDays } from './expiry';
import type { LifecycleRule } from './lifecycle.types';
import { ruleMatches } from './rule-match';

/** What the version evaluation needs of a version row. */
export type VersionFacts = Pick<
  ObjectVersion,
  'id' | 'key' | 'versionId' | 'isLatest' | 'isDeleteMarker' | 'size' | 'tags' | 'createdAt'
>;

function subjectOf(v: VersionFacts) {
  return { key: v.key, size: v.isDeleteMarker ? 0 : v.size, tags: v.isDeleteMarker ? null : v.tags };
}

/**
 * The noncurrent versions of one key that NoncurrentVersionExpiration removes at `now`.
 * `versions` are all versions of the key, newest first (as ListObjectVersions orders them).
 * A version becomes noncurrent when the next newer one is created, so its noncurrent age runs
 * from that version's `createdAt`, rounded up to the next (lifecycle) midnight like every Days
 * count. Under a rule, the `NewerNoncurrentVersions` newest noncurrent versions are kept
 * whatever their age; older ones go once noncurrent for `NoncurrentDays`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html).
 * Noncurrent delete markers count as noncurrent versions. Pure; returns newest first.
 */
export function expiredNoncurrentVersions<V extends VersionFacts>(
  rules: readonly LifecycleRule[],
  versions: readonly V[],
  now: Date,
  daySeconds: number,
): V[] {
  const applicable = rules.filter(
    (r) => r.Status === 'Enabled' && r.NoncurrentVersionExpiration !== undefined,
  );
  if (applicable.length === 0) {
    return [];
  }
  const expired: V[] = [];
  let newerNoncurrent = 0;
  for (let i = 0; i < versions.length; i++) {
    const version = versions[i];
    const successor = versions[i - 1];
    if (version === undefined || version.isLatest || successor === undefined) {
      continue;
    }
    const isExpired = applicable.some((rule) => {
      const action = rule.NoncurrentVersionExpiration;
      if (action === undefined || !ruleMatches(rule, subjectOf(version))) {
        return false;
      }
      if (newerNoncurrent < (action.NewerNoncurrentVersions ?? 0)) {
        return false;
      }
      return dueAfterDays(successor.createdAt, action.NoncurrentDays, daySeconds).getTime() <= now.getTime();
    });
    if (isExpired) {
      expired.push(version);
    }
    newerNoncurrent += 1;
  }
  return expired;
}

/**
 * The expired object delete marker of one key, if any: the latest version is a delete marker
 * and no other version of the key remains, and an enabled rule matching the key has
 * `Expiration/ExpiredObjectDeleteMarker` true
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html#lifecycle-config-conceptual-ex7).
 * A marker that becomes alone because this run expired the versions behind it is left to the
 * next run, so a failed noncurrent delete can never make the marker's removal resurrect an
 * older version. Pure.
 */
export function expiredDeleteMarker<V extends VersionFacts>(
  rules: readonly LifecycleRule[],
  versions: readonly V[],
): V | null {
  const only = versions.length === 1 ? versions[0] : undefined;
  if (only === undefined || !only.isLatest || !only.isDeleteMarker) {
    return null;
  }
  const applies = rules.some(
    (r) =>
      r.Status === 'Enabled' &&
      r.Expiration?.ExpiredObjectDeleteMarker === true &&
      ruleMatches(r, subjectOf(only)),
  );
  return applies ? only : null;
}
