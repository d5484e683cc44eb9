import type { ResourceKind } from './s3-actions';

/** The IAM permissions one S3 API operation needs. */
export interface OperationPermissions {
  /** Every action needed, all on the operation's resource. */
  actions: string[];
  /** The resource the actions are checked on: 'arn:aws:s3:::*', the bucket ARN or the object ARN. */
  resource: ResourceKind;
  /** Replaces `actions` when the request names a versionId (e.g. s3:GetObjectVersion). */
  versionActions?: string[];
  /** Also needed on the copy source object (CopyObject, UploadPartCopy). */
  sourceActions?: string[];
  /** Also needed on the copy source when it names a versionId. */
  sourceVersionActions?: string[];
  /** Checked once per key listed in the request body (DeleteObjects), on each key's object ARN. */
  perKey?: boolean;
}

const bucket = (...actions: string[]): OperationPermissions => ({ actions, resource: 'bucket' });
const object = (actions: string[], versionActions?: string[]): OperationPermissions => ({
  actions,
  resource: 'object',
  ...(versionActions ? { versionActions } : {}),
});
const copy = (target: string): OperationPermissions => ({
  actions: [target],
  resource: 'object',
  sourceActions: ['s3:GetObject'],
  sourceVersionActions: ['s3:GetObjectVersion'],
});

/**
 * The IAM action(s) each S3 operation is authorized with, from AWS's "Required permissions for
 * Amazon S3 API operations". Several operations share an action: HeadObject is s3:GetObject,
 * every multipart step but Abort and ListParts is s3:PutObject, the Delete… configuration calls
 * are the matching Put… action (DeleteBucketTagging → s3:PutBucketTagging).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
export const OPERATION_ACTIONS: Record<string, OperationPermissions> = {
  ListBuckets: { actions: ['s3:ListAllMyBuckets'], resource: 'service' },
  AssumeRole: { actions: ['sts:AssumeRole'], resource: 'service' },
  CreateBucket: bucket('s3:CreateBucket'),
  HeadBucket: bucket('s3:ListBucket'),
  DeleteBucket: bucket('s3:DeleteBucket'),
  GetBucketLocation: bucket('s3:GetBucketLocation'),
  ListObjects: bucket('s3:ListBucket'),
  ListObjectsV2: bucket('s3:ListBucket'),
  ListObjectVersions: bucket('s3:ListBucketVersions'),
  ListMultipartUploads: bucket('s3:ListBucketMultipartUploads'),
  DeleteObjects: { ...object(['s3:DeleteObject'], ['s3:DeleteObjectVersion']), perKey: true },
  GetBucketVersioning: bucket('s3:GetBucketVersioning'),
  PutBucketVersioning: bucket('s3:PutBucketVersioning'),
  GetBucketPolicy: bucket('s3:GetBucketPolicy'),
  PutBucketPolicy: bucket('s3:PutBucketPolicy'),
  DeleteBucketPolicy: bucket('s3:DeleteBucketPolicy'),
  GetBucketPolicyStatus: bucket('s3:GetBucketPolicyStatus'),
  GetBucketAcl: bucket('s3:GetBucketAcl'),
  PutBucketAcl: bucket('s3:PutBucketAcl'),
  GetBucketTagging: bucket('s3:GetBucketTagging'),
  PutBucketTagging: bucket('s3:PutBucketTagging'),
  DeleteBucketTagging: bucket('s3:PutBucketTagging'),
  GetBucketLifecycleConfiguration: bucket('s3:GetLifecycleConfiguration'),
  PutBucketLifecycleConfiguration: bucket('s3:PutLifecycleConfiguration'),
  DeleteBucketLifecycle: bucket('s3:PutLifecycleConfiguration'),
  GetBucketCors: bucket('s3:GetBucketCORS'),
  PutBucketCors: bucket('s3:PutBucketCORS'),
  DeleteBucketCors: bucket('s3:PutBucketCORS'),
  GetBucketEncryption: bucket('s3:GetEncryptionConfiguration'),
  PutBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  DeleteBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  GetObjectLockConfiguration: bucket('s3:GetBucketObjectLockConfiguration'),
  PutObjectLockConfiguration: bucket('s3:PutBucketObjectLockConfiguration'),
  GetBucketWebsite: bucket('s3:GetBucketWebsite'),
  PutBucketWebsite: bucket('s3:PutBucketWebsite'),
  DeleteBucketWebsite: bucket('s3:DeleteBucketWebsite'),
  GetBucketNotificationConfiguration: bucket('s3:GetBucketNotification'),
  PutBucketNotificationConfiguration: bucket('s3:PutBucketNotification'),
  GetBucketLogging: bucket('s3:GetBucketLogging'),
  PutBucketLogging: bucket('s3:PutBucketLogging'),
  GetBucketReplication: bucket('s3:GetReplicationConfiguration'),
  PutBucketReplication: bucket('s3:PutReplicationConfiguration'),
  DeleteBucketReplication: bucket('s3:PutReplicationConfiguration'),
  PutObject: object(['s3:PutObject']),
  CopyObject: copy('s3:PutObject'),
  GetObject: object(['s3:GetObject'], ['s3:GetObjectVersion']),
  HeadObject: object(['s3:GetObject'], ['s3:GetObjectVersion']),
  DeleteObject: object(['s3:DeleteObject'], ['s3:DeleteObjectVersion']),
  GetObjectAcl: object(['s3:GetObjectAcl'], ['s3:GetObjectVersionAcl']),
  PutObjectAcl: object(['s3:PutObjectAcl'], ['s3:PutObjectVersionAcl']),
  GetObjectTagging: object(['s3:GetObjectTagging'], ['s3:GetObjectVersionTagging']),
  PutObjectTagging: object(['s3:PutObjectTagging'], ['s3:PutObjectVersionTagging']),
  DeleteObjectTagging: object(['s3:DeleteObjectTagging'], ['s3:DeleteObjectVersionTagging']),
  GetObjectRetention: object(['s3:GetObjectRetention']),
  PutObjectRetention: object(['s3:PutObjectRetention']),
  GetObjectLegalHold: object(['s3:GetObjectLegalHold']),
  PutObjectLegalHold: object(['s3:PutObjectLegalHold']),
  // Not an API call: asked beside a delete or PutObjectRetention that sends
  // x-amz-bypass-governance-retention, when a GOVERNANCE lock is in the way.
  BypassGovernanceRetention: object(['s3:BypassGovernanceRetention']),
  GetObjectAttributes: object(['s3:GetObjectAttributes'], ['s3:GetObjectVersionAttributes']),
  CreateMultipartUpload: object(['s3:PutObject']),
  UploadPart: object(['s3:PutObject']),
  UploadPartCopy: copy('s3:PutObject'),
  CompleteMultipartUpload: object(['s3:PutObject']),
  AbortMultipartUpload: object(['s3:AbortMultipartUpload']),
  ListParts: object(['s3:ListMultipartUploadParts']),
  SelectObjectContent: object(['s3:GetObject']),
  RestoreObject: object(['s3:RestoreObject']),
};

/** The ARN an S3 permission is checked on: service level, a bucket, or an object (key unencoded). */
export function s3ResourceArn(bucketName?: string, key?: string): string {
  if (bucketName === undefined) {
    return 'arn:aws:s3:::*';
  }
  return key === undefined ? `arn:aws:s3:::${bucketName}` : `arn:aws:s3:::${bucketName}/${key}`;
}

/** Where a request points, for {@link requiredPermissions}. */
export interface OperationTarget {
  bucket?: string;
  key?: string;
  hasVersionId?: boolean;
  copySource?: { bucket: string; key: string; hasVersionId?: boolean };
}

/**
 * Every (action, resource) pair an operation needs; the request is allowed only if each one is.
 * DeleteObjects is asked once per listed key (`target.key`, `hasVersionId` of that entry).
 * Service-level S3 actions are checked on 'arn:aws:s3:::*', other services' (sts) on '*'.
 * @throws Error for an operation missing from {@link OPERATION_ACTIONS} (a programming error,
 *   never a reason to allow).
 */
export function requiredPermissions(
  operation: string,
  target: OperationTarget,
): Array<{ action: string; resource: string }> {
  const entry = Object.hasOwn(OPERATION_ACTIONS, operation) ? OPERATION_ACTIONS[operation] : undefined;
  if (!entry) {
    throw new Error(`No IAM actions are defined for operation ${operation}`);
  }
  const actions = target.hasVersionId && entry.versionActions ? entry.versionActions : entry.actions;
  const resourceOf = (action: string): string =>
    entry.resource === 'service'
      ? action.startsWith('s3:')
        ? s3ResourceArn()
        : '*'
      : entry.resource === 'bucket'
        ? s3ResourceArn(target.bucket ?? '')
        : s3ResourceArn(target.bucket ?? '', target.key ?? '');
  const out = actions.map((action) => ({ action, resource: resourceOf(action) }));
  const source = target.copySource;
  if (source && entry.sourceActions) {
    const sourceActions =
      source.hasVersionId && entry.sourceVersionActions ? entry.sourceVersionActions : entry.sourceActions;
    const sourceArn = s3ResourceArn(source.bucket, source.key);
    out.push(...sourceActions.map((action) => ({ action, resource: sourceArn })));
  }
  return out;
}
