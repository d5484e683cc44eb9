/**
 * MyFSIO's simple action names and the IAM actions each one grants. `aliases` is the spec's
 * "Available IAM Actions" table; `extra` adds the AWS action names the S3 operations are checked
 * against (see operation-actions.ts) where MyFSIO's alias differs, so that e.g. a "list" user can
 * call ListParts (s3:ListMultipartUploadParts) and not only hold the alias s3:ListParts.
 */
export const SIMPLE_S3_ACTIONS = {
  list: {
    aliases: [
      's3:ListBucket',
      's3:ListAllMyBuckets',
      's3:ListBucketVersions',
      's3:ListMultipartUploads',
      's3:ListParts',
    ],
    extra: ['s3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:GetBucketLocation'],
  },
  read: {
    aliases: [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectTagging',
      's3:GetObjectVersionTagging',
      's3:GetObjectAcl',
      's3:GetBucketVersioning',
      's3:HeadObject',
      's3:HeadBucket',
    ],
    extra: [
      's3:GetObjectVersionAcl',
      's3:GetObjectAttributes',
      's3:GetObjectVersionAttributes',
      's3:GetBucketLocation',
    ],
  },
  write: {
    aliases: [
      's3:PutObject',
      's3:PutObjectTagging',
      's3:CreateMultipartUpload',
      's3:UploadPart',
      's3:CompleteMultipartUpload',
      's3:AbortMultipartUpload',
      's3:CopyObject',
    ],
    // The spec's scenario table: "Enable versioning | write (includes s3:PutBucketVersioning)".
    extra: [
      's3:PutObjectVersionTagging',
      's3:RestoreObject',
      's3:GetBucketLocation',
      's3:PutBucketVersioning',
    ],
  },
  delete: {
    aliases: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging'],
    extra: ['s3:DeleteObjectVersionTagging'],
  },
  create_bucket: { aliases: ['s3:CreateBucket'], extra: [] },
  delete_bucket: { aliases: ['s3:DeleteBucket'], extra: [] },
  share: {
    aliases: ['s3:PutObjectAcl', 's3:PutBucketAcl', 's3:GetBucketAcl'],
    extra: ['s3:PutObjectVersionAcl'],
  },
  policy: {
    aliases: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
    extra: ['s3:GetBucketPolicyStatus'],
  },
  versioning: { aliases: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'], extra: [] },
  tagging: { aliases: ['s3:GetBucketTagging', 's3:PutBucketTagging', 's3:DeleteBucketTagging'], extra: [] },
  encryption: {
    aliases: [
      's3:GetEncryptionConfiguration',
      's3:PutEncryptionConfiguration',
      's3:DeleteEncryptionConfiguration',
    ],
    extra: [],
  },
  lifecycle: {
    aliases: [
      's3:GetLifecycleConfiguration',
      's3:PutLifecycleConfiguration',
      's3:DeleteLifecycleConfiguration',
      's3:GetBucketLifecycle',
      's3:PutBucketLifecycle',
    ],
    extra: [],
  },
  cors: { aliases: ['s3:GetBucketCors', 's3:PutBucketCors', 's3:DeleteBucketCors'], extra: [] },
  replication: {
    aliases: [
      's3:GetReplicationConfiguration',
      's3:PutReplicationConfiguration',
      's3:DeleteReplicationConfiguration',
      's3:ReplicateObject',
      's3:ReplicateTags',
      's3:ReplicateDelete',
    ],
    extra: [],
  },
  quota: { aliases: ['s3:GetBucketQuota', 's3:PutBucketQuota', 's3:DeleteBucketQuota'], extra: [] },
  object_lock: {
    aliases: [
      's3:GetObjectLockConfiguration',
      's3:PutObjectLockConfiguration',
      's3:PutObjectRetention',
      's3:GetObjectRetention',
      's3:PutObjectLegalHold',
      's3:GetObjectLegalHold',
    ],
    extra: [
      's3:GetBucketObjectLockConfiguration',
      's3:PutBucketObjectLockConfiguration',
      's3:BypassGovernanceRetention',
    ],
  },
  notification: {
    aliases: [
      's3:GetBucketNotificationConfiguration',
      's3:PutBucketNotificationConfiguration',
      's3:DeleteBucketNotificationConfiguration',
    ],
    extra: ['s3:GetBucketNotification', 's3:PutBucketNotification'],
  },
  logging: { aliases: ['s3:GetBucketLogging', 's3:PutBucketLogging', 's3:DeleteBucketLogging'], extra: [] },
  website: { aliases: ['s3:GetBucketWebsite', 's3:PutBucketWebsite', 's3:DeleteBucketWebsite'], extra: [] },
} as const satisfies Record<string, { aliases: readonly string[]; extra: readonly string[] }>;

/** One of the 19 simple S3 action names. */
export type SimpleS3Action = keyof typeof SIMPLE_S3_ACTIONS;

/** The simple IAM action names and the IAM action each stands for (`iam:*` grants them all). */
export const SIMPLE_IAM_ACTIONS = {
  'iam:list_users': 'iam:ListUsers',
  'iam:create_user': 'iam:CreateUser',
  'iam:delete_user': 'iam:DeleteUser',
  'iam:rotate_key': 'iam:RotateAccessKey',
  'iam:update_policy': 'iam:PutUserPolicy',
  'iam:create_key': 'iam:CreateAccessKey',
  'iam:delete_key': 'iam:DeleteAccessKey',
  'iam:get_user': 'iam:GetUser',
  'iam:get_policy': 'iam:GetPolicy',
  'iam:disable_user': 'iam:DisableUser',
} as const;

/** The 19 simple S3 names in the spec's order. */
export const SIMPLE_S3_ACTION_NAMES = Object.keys(SIMPLE_S3_ACTIONS) as SimpleS3Action[];

/** Every IAM action a simple S3 action grants (aliases first, then the AWS names). */
export function expandSimpleAction(name: SimpleS3Action): string[] {
  const entry = SIMPLE_S3_ACTIONS[name];
  return [...entry.aliases, ...entry.extra];
}

// An AWS-style name in a simple policy stands for the group that lists it ("s3:GetObject" is
// "read"). Where several groups list it, a group naming it in the spec table beats one that adds
// it as an extra, then the smallest group wins, so a name never grants more than it must:
// s3:GetBucketVersioning means "versioning", not "read".
const GROUP_BY_ALIAS = new Map<string, SimpleS3Action>();
const rank = (name: SimpleS3Action, alias: string): [number, number] => [
  SIMPLE_S3_ACTIONS[name].aliases.some((a) => a.toLowerCase() === alias) ? 0 : 1,
  expandSimpleAction(name).length,
];
for (const name of SIMPLE_S3_ACTION_NAMES) {
  for (const alias of expandSimpleAction(name).map((a) => a.toLowerCase())) {
    const current = GROUP_BY_ALIAS.get(alias);
    const [kind, size] = rank(name, alias);
    const [currentKind, currentSize] = current ? rank(current, alias) : [2, 0];
    if (kind < currentKind || (kind === currentKind && size < currentSize)) {
      GROUP_BY_ALIAS.set(alias, name);
    }
  }
}

/** The simple group an AWS-style S3 action name belongs to (case-insensitive), if any. */
export function simpleGroupOf(awsAction: string): SimpleS3Action | undefined {
  return GROUP_BY_ALIAS.get(awsAction.toLowerCase());
}
