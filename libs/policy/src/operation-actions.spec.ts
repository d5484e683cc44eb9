import { evaluate } from './evaluate';
import { OPERATION_ACTIONS, requiredPermissions } from './operation-actions';
import { s3ActionKind } from './s3-actions';
import type { SimpleS3Action } from './simple-actions';
import { fromSimplePolicies } from './simple-policy';
import { facts } from './spec-helpers';

// The simple action(s) a MyFSIO user needs for each S3 operation (spec, "Available IAM Actions").
const SIMPLE_GROUP: Record<string, SimpleS3Action[]> = {
  ListBuckets: ['list'],
  CreateBucket: ['create_bucket'],
  HeadBucket: ['list'],
  DeleteBucket: ['delete_bucket'],
  GetBucketLocation: ['list'],
  ListObjects: ['list'],
  ListObjectsV2: ['list'],
  ListObjectVersions: ['list'],
  ListMultipartUploads: ['list'],
  DeleteObjects: ['delete'],
  GetBucketVersioning: ['versioning'],
  PutBucketVersioning: ['versioning'],
  GetBucketPolicy: ['policy'],
  PutBucketPolicy: ['policy'],
  DeleteBucketPolicy: ['policy'],
  GetBucketPolicyStatus: ['policy'],
  GetBucketAcl: ['share'],
  PutBucketAcl: ['share'],
  GetBucketTagging: ['tagging'],
  PutBucketTagging: ['tagging'],
  DeleteBucketTagging: ['tagging'],
  GetBucketLifecycleConfiguration: ['lifecycle'],
  PutBucketLifecycleConfiguration: ['lifecycle'],
  DeleteBucketLifecycle: ['lifecycle'],
  GetBucketCors: ['cors'],
  PutBucketCors: ['cors'],
  DeleteBucketCors: ['cors'],
  GetBucketEncryption: ['encryption'],
  PutBucketEncryption: ['encryption'],
  DeleteBucketEncryption: ['encryption'],
  GetObjectLockConfiguration: ['object_lock'],
  PutObjectLockConfiguration: ['object_lock'],
  GetBucketWebsite: ['website'],
  PutBucketWebsite: ['website'],
  DeleteBucketWebsite: ['website'],
  GetBucketNotificationConfiguration: ['notification'],
  PutBucketNotificationConfiguration: ['notification'],
  GetBucketLogging: ['logging'],
  PutBucketLogging: ['logging'],
  GetBucketReplication: ['replication'],
  PutBucketReplication: ['replication'],
  DeleteBucketReplication: ['replication'],
  PutObject: ['write'],
  CopyObject: ['write', 'read'],
  GetObject: ['read'],
  HeadObject: ['read'],
  DeleteObject: ['delete'],
  GetObjectAcl: ['read'],
  PutObjectAcl: ['share'],
  GetObjectTagging: ['read'],
  PutObjectTagging: ['write'],
  DeleteObjectTagging: ['delete'],
  GetObjectRetention: ['object_lock'],
  PutObjectRetention: ['object_lock'],
  BypassGovernanceRetention: ['object_lock'],
  GetObjectLegalHold: ['object_lock'],
  PutObjectLegalHold: ['object_lock'],
  GetObjectAttributes: ['read'],
  CreateMultipartUpload: ['write'],
  UploadPart: ['write'],
  UploadPartCopy: ['write', 'read'],
  CompleteMultipartUpload: ['write'],
  AbortMultipartUpload: ['write'],
  ListParts: ['list'],
  SelectObjectContent: ['read'],
  RestoreObject: ['write'],
};

const target = { bucket: 'b', key: 'dir/k', copySource: { bucket: 'src', key: 'orig' } };

function allowedFor(groups: SimpleS3Action[], operation: string, hasVersionId: boolean): boolean {
  const doc = fromSimplePolicies([
    { bucket: 'b', actions: groups },
    { bucket: 'src', actions: groups },
  ]);
  const copySource = { ...target.copySource, hasVersionId };
  return requiredPermissions(operation, { ...target, hasVersionId, copySource }).every(
    ({ action, resource }) => evaluate(doc, facts(action, resource), { kind: 'identity' }) === 'Allow',
  );
}

describe('OPERATION_ACTIONS', () => {
  it.each(Object.entries(OPERATION_ACTIONS))('%s names known actions of its resource kind', (_op, entry) => {
    const s3Actions = [...entry.actions, ...(entry.versionActions ?? [])].filter((a) => a.startsWith('s3:'));
    for (const action of s3Actions) {
      expect([action, s3ActionKind(action)]).toEqual([action, entry.resource]);
    }
  });

  it('has a simple-policy group for every S3 operation', () => {
    expect(Object.keys(SIMPLE_GROUP).sort()).toEqual(
      Object.keys(OPERATION_ACTIONS)
        .filter((o) => o !== 'AssumeRole')
        .sort(),
    );
  });

  it.each(Object.entries(SIMPLE_GROUP))(
    '%s is granted by simple %j, versioned or not, and not without it',
    (op, groups) => {
      expect(allowedFor(groups, op, false)).toBe(true);
      expect(allowedFor(groups, op, true)).toBe(true);
      expect(allowedFor([], op, false)).toBe(false);
    },
  );
});

describe('requiredPermissions', () => {
  it.each([
    ['ListBuckets', {}, [['s3:ListAllMyBuckets', 'arn:aws:s3:::*']]],
    ['AssumeRole', {}, [['sts:AssumeRole', '*']]],
    ['HeadBucket', { bucket: 'b' }, [['s3:ListBucket', 'arn:aws:s3:::b']]],
    ['GetObject', { bucket: 'b', key: 'a/b' }, [['s3:GetObject', 'arn:aws:s3:::b/a/b']]],
    [
      'GetObject',
      { bucket: 'b', key: 'k', hasVersionId: true },
      [['s3:GetObjectVersion', 'arn:aws:s3:::b/k']],
    ],
    ['DeleteObjects', { bucket: 'b', key: 'k' }, [['s3:DeleteObject', 'arn:aws:s3:::b/k']]],
    [
      'CopyObject',
      { bucket: 'b', key: 'k', copySource: { bucket: 's', key: 'o', hasVersionId: true } },
      [
        ['s3:PutObject', 'arn:aws:s3:::b/k'],
        ['s3:GetObjectVersion', 'arn:aws:s3:::s/o'],
      ],
    ],
    [
      'UploadPartCopy',
      { bucket: 'b', key: 'k', copySource: { bucket: 's', key: 'o' } },
      [
        ['s3:PutObject', 'arn:aws:s3:::b/k'],
        ['s3:GetObject', 'arn:aws:s3:::s/o'],
      ],
    ],
    ['DeleteBucketTagging', { bucket: 'b' }, [['s3:PutBucketTagging', 'arn:aws:s3:::b']]],
  ])('%s %j → %j', (op, t, expected) => {
    expect(requiredPermissions(op, t).map(({ action, resource }) => [action, resource])).toEqual(expected);
  });

  it('throws for an unknown operation instead of requiring nothing', () => {
    expect(() => requiredPermissions('FrobnicateBucket', { bucket: 'b' })).toThrow(/FrobnicateBucket/);
    expect(() => requiredPermissions('toString', {})).toThrow();
  });
});
