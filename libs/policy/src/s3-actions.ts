import { matchesPattern } from './wildcard';

/** What an S3 action is authorized against: the service, a bucket ARN or an object ARN. */
export type ResourceKind = 'service' | 'bucket' | 'object';

// The IAM actions of Amazon S3 (Service Authorization Reference, "Actions defined by Amazon S3"),
// plus the aliases MyFSIO's simple policies accept (s3:HeadObject, s3:UploadPart, …), so a policy
// written with either vocabulary parses.
const OBJECT_ACTIONS = [
  'AbortMultipartUpload',
  'BypassGovernanceRetention',
  'DeleteObject',
  'DeleteObjectTagging',
  'DeleteObjectVersion',
  'DeleteObjectVersionTagging',
  'GetObject',
  'GetObjectAcl',
  'GetObjectAttributes',
  'GetObjectLegalHold',
  'GetObjectRetention',
  'GetObjectTagging',
  'GetObjectTorrent',
  'GetObjectVersion',
  'GetObjectVersionAcl',
  'GetObjectVersionAttributes',
  'GetObjectVersionForReplication',
  'GetObjectVersionTagging',
  'GetObjectVersionTorrent',
  'InitiateReplication',
  'ListMultipartUploadParts',
  'ObjectOwnerOverrideToBucketOwner',
  'PutObject',
  'PutObjectAcl',
  'PutObjectLegalHold',
  'PutObjectRetention',
  'PutObjectTagging',
  'PutObjectVersionAcl',
  'PutObjectVersionTagging',
  'ReplicateDelete',
  'ReplicateObject',
  'ReplicateTags',
  'RestoreObject',
  // MyFSIO aliases
  'HeadObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'CopyObject',
  'ListParts',
];

const BUCKET_ACTIONS = [
  'CreateBucket',
  'DeleteBucket',
  'DeleteBucketOwnershipControls',
  'DeleteBucketPolicy',
  'DeleteBucketWebsite',
  'GetAccelerateConfiguration',
  'GetAnalyticsConfiguration',
  'GetBucketAcl',
  'GetBucketCORS',
  'GetBucketLocation',
  'GetBucketLogging',
  'GetBucketNotification',
  'GetBucketObjectLockConfiguration',
  'GetBucketOwnershipControls',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketPublicAccessBlock',
  'GetBucketRequestPayment',
  'GetBucketTagging',
  'GetBucketVersioning',
  'GetBucketWebsite',
  'GetEncryptionConfiguration',
  'GetIntelligentTieringConfiguration',
  'GetInventoryConfiguration',
  'GetLifecycleConfiguration',
  'GetMetricsConfiguration',
  'GetReplicationConfiguration',
  'ListBucket',
  'ListBucketMultipartUploads',
  'ListBucketVersions',
  'PutAccelerateConfiguration',
  'PutAnalyticsConfiguration',
  'PutBucketAcl',
  'PutBucketCORS',
  'PutBucketLogging',
  'PutBucketNotification',
  'PutBucketObjectLockConfiguration',
  'PutBucketOwnershipControls',
  'PutBucketPolicy',
  'PutBucketPublicAccessBlock',
  'PutBucketRequestPayment',
  'PutBucketTagging',
  'PutBucketVersioning',
  'PutBucketWebsite',
  'PutEncryptionConfiguration',
  'PutIntelligentTieringConfiguration',
  'PutInventoryConfiguration',
  'PutLifecycleConfiguration',
  'PutMetricsConfiguration',
  'PutReplicationConfiguration',
  // MyFSIO aliases (GetBucketCors/PutBucketCors already match case-insensitively)
  'HeadBucket',
  'ListMultipartUploads',
  'DeleteBucketTagging',
  'DeleteEncryptionConfiguration',
  'DeleteLifecycleConfiguration',
  'GetBucketLifecycle',
  'PutBucketLifecycle',
  'DeleteBucketCors',
  'DeleteReplicationConfiguration',
  'GetBucketQuota',
  'PutBucketQuota',
  'DeleteBucketQuota',
  'GetObjectLockConfiguration',
  'PutObjectLockConfiguration',
  'GetBucketNotificationConfiguration',
  'PutBucketNotificationConfiguration',
  'DeleteBucketNotificationConfiguration',
  'DeleteBucketLogging',
];

const SERVICE_ACTIONS = [
  'ListAllMyBuckets',
  'GetAccountPublicAccessBlock',
  'PutAccountPublicAccessBlock',
  'ListAccessPoints',
  'CreateJob',
  'ListJobs',
];

const KIND_BY_ACTION = new Map<string, ResourceKind>();
for (const [names, kind] of [
  [OBJECT_ACTIONS, 'object'],
  [BUCKET_ACTIONS, 'bucket'],
  [SERVICE_ACTIONS, 'service'],
] as const) {
  for (const name of names) {
    KIND_BY_ACTION.set(`s3:${name}`.toLowerCase(), kind);
  }
}

/** Every known S3 action, lower-cased ('s3:getobject', …). */
export const KNOWN_S3_ACTIONS: readonly string[] = [...KIND_BY_ACTION.keys()];

/** The resource kind of a known S3 action (case-insensitive); undefined for other actions. */
export function s3ActionKind(action: string): ResourceKind | undefined {
  return KIND_BY_ACTION.get(action.toLowerCase());
}

/** The resource kinds of every known S3 action an action pattern (e.g. 's3:Get*') matches. */
export function s3PatternKinds(pattern: string): Set<ResourceKind> {
  const kinds = new Set<ResourceKind>();
  const exact = s3ActionKind(pattern);
  if (exact) {
    kinds.add(exact);
    return kinds;
  }
  for (const [name, kind] of KIND_BY_ACTION) {
    if (matchesPattern(pattern, name, { ignoreCase: true })) {
      kinds.add(kind);
    }
  }
  return kinds;
}

const OTHER_SERVICES = new Set(['iam', 'sts', 'kms', 'admin']);
const ACTION_NAME = /^[A-Za-z0-9*?]+$/;

/**
 * Why `action` is not a valid policy action, or null when it is. S3 actions must name (or, with
 * wildcards, match) a known action; iam/sts/kms/admin actions need only be well formed, since
 * those services' action sets belong to other modules. Bucket policies accept S3 actions only.
 */
export function invalidActionReason(action: string, isBucketPolicy: boolean): string | null {
  if (action === '*') {
    return null;
  }
  const colon = action.indexOf(':');
  const service = colon > 0 ? action.slice(0, colon).toLowerCase() : '';
  const name = action.slice(colon + 1);
  if (colon <= 0 || !ACTION_NAME.test(name)) {
    return `Policy has invalid action: ${action}`;
  }
  if (service === 's3') {
    return s3PatternKinds(action).size > 0 ? null : `Policy has invalid action: ${action}`;
  }
  if (isBucketPolicy || !OTHER_SERVICES.has(service)) {
    return `Policy has invalid action: ${action}`;
  }
  return null;
}
