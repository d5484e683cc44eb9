import { AclService, type AccessControlList, cannedAclGrants, defaultAcl } from '@myfsio/access';
import type { BucketPolicyService } from '@myfsio/access';
import type { BucketsService } from '@myfsio/buckets';
import { S3Error, S3Errors } from '@myfsio/common';
import type { Bucket } from '@myfsio/metadata';
import { CANNED_POLICIES, parsePolicy, type PolicyDocument } from '@myfsio/policy';
import { Authorizer, type AuthorizationRequest } from './authorizer';
import { ANONYMOUS, userArn, type Principal } from './principal';

const ROOT_ID = 'root-id';

function user(
  name: string,
  identityPolicies: PolicyDocument[] = [],
  extra: Partial<Principal> = {},
): Principal {
  return {
    kind: 'user',
    userId: `${name}-id`,
    userName: name,
    displayName: name,
    accessKeyId: `AK${name.toUpperCase()}`,
    arn: userArn(name),
    isRoot: false,
    identityPolicies,
    ...extra,
  };
}

const ROOT: Principal = { ...(user('admin') as object), userId: ROOT_ID, isRoot: true } as Principal;
const ALICE = user('alice');
const READER = user('reader', [CANNED_POLICIES.readonly]);
const WRITER = user('writer', [CANNED_POLICIES.readwrite]);
const SESSION_LIMITED = user('session', [CANNED_POLICIES.readwrite], {
  sessionPolicy: identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }),
});

function identity(statement: object): PolicyDocument {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), 'identity');
}

function bucketPolicy(...statements: object[]): PolicyDocument {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'bucket', {
    bucket: 'b',
  });
}

interface World {
  policy?: PolicyDocument;
  bucketAcl?: AccessControlList;
  objectAcl?: AccessControlList | null;
  bucketExists?: boolean;
  /** Tags by key of the objects in bucket b (missing key: no object). */
  objectTags?: Record<string, Record<string, string>>;
}

function authorizerFor(world: World): {
  authorizer: Authorizer;
  objectAclReads: () => number;
  objectTagReads: () => number;
} {
  let reads = 0;
  let tagReads = 0;
  const bucket: Bucket = {
    id: 'b-id',
    name: 'b',
    ownerId: ROOT_ID,
    region: 'us-east-1',
    createdAt: new Date(0),
    versioning: 'Unversioned',
    objectLockEnabled: false,
    acl: null,
  };
  const buckets = {
    require: (name: string) =>
      world.bucketExists === false || (name !== 'b' && name !== 'src')
        ? Promise.reject(S3Errors.noSuchBucket(name))
        : Promise.resolve({ ...bucket, name }),
  } as unknown as BucketsService;
  const policies = {
    policyOf: (b: Bucket) => Promise.resolve(b.name === 'b' ? world.policy : undefined),
  } as unknown as BucketPolicyService;
  const acls = Object.assign(Object.create(AclService.prototype) as AclService, {
    bucketAcl: () => world.bucketAcl ?? defaultAcl(ROOT_ID),
    objectAcl: () => {
      reads++;
      return Promise.resolve(world.objectAcl === undefined ? defaultAcl(ROOT_ID) : world.objectAcl);
    },
    objectTags: (_b: Bucket, key: string) => {
      tagReads++;
      return Promise.resolve(world.objectTags?.[key] ?? null);
    },
  });
  return {
    authorizer: new Authorizer(buckets, policies, acls),
    objectAclReads: () => reads,
    objectTagReads: () => tagReads,
  };
}

function request(
  principal: Principal,
  name: string,
  target: {
    bucket?: string;
    key?: string;
    query?: string;
    headers?: Record<string, string>;
    ip?: string;
  } = {},
): AuthorizationRequest {
  return {
    op: {
      name,
      bucket: target.bucket ?? 'b',
      key: target.key,
      query: new URLSearchParams(target.query ?? ''),
    },
    principal,
    sourceIp: target.ip ?? '10.1.2.3',
    isSecureTransport: false,
    headers: target.headers ?? {},
    authScheme: principal.kind === 'anonymous' ? 'anonymous' : 'sigv4-header',
  };
}

const publicRead = { owner: { id: ROOT_ID }, grants: cannedAclGrants('public-read', ROOT_ID, ROOT_ID) };
const publicReadWrite = {
  owner: { id: ROOT_ID },
  grants: cannedAclGrants('public-read-write', ROOT_ID, ROOT_ID),
};
const allowAnonGet = bucketPolicy({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
});
const denyAliceAll = bucketPolicy(
  { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
  {
    Effect: 'Deny',
    Principal: { AWS: userArn('alice') },
    Action: 's3:*',
    Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
  },
);
const denyAll = bucketPolicy({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
});
const allowAliceByArn = bucketPolicy({
  Effect: 'Allow',
  Principal: { AWS: userArn('alice') },
  Action: ['s3:ListBucket', 's3:PutObject', 's3:GetObject'],
  Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
});
const listUnderPublic = bucketPolicy({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:ListBucket',
  Resource: 'arn:aws:s3:::b',
  Condition: { StringLike: { 's3:prefix': 'public/*' } },
});
const fromTenNet = bucketPolicy({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
  Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
});

type Case = [string, World, AuthorizationRequest, boolean];

const cases: Case[] = [
  ['root may do anything without policies', {}, request(ROOT, 'PutBucketPolicy'), true],
  [
    'root is refused by a bucket-policy Deny',
    { policy: denyAll },
    request(ROOT, 'GetObject', { key: 'k' }),
    false,
  ],
  [
    'root can still repair a locking bucket policy',
    { policy: denyAll },
    request(ROOT, 'DeleteBucketPolicy'),
    true,
  ],
  ['anonymous is refused without policy or ACL', {}, request(ANONYMOUS, 'GetObject', { key: 'k' }), false],
  [
    'anonymous reads through a bucket policy',
    { policy: allowAnonGet },
    request(ANONYMOUS, 'GetObject', { key: 'k' }),
    true,
  ],
  [
    'anonymous cannot write through a read policy',
    { policy: allowAnonGet },
    request(ANONYMOUS, 'PutObject', { key: 'k' }),
    false,
  ],
  [
    'anonymous reads a public-read object',
    { objectAcl: publicRead },
    request(ANONYMOUS, 'GetObject', { key: 'k' }),
    true,
  ],
  [
    'anonymous lists a public-read bucket',
    { bucketAcl: publicRead },
    request(ANONYMOUS, 'ListObjectsV2'),
    true,
  ],
  [
    'anonymous writes into a public-read-write bucket',
    { bucketAcl: publicReadWrite },
    request(ANONYMOUS, 'PutObject', { key: 'k' }),
    true,
  ],
  [
    'a bucket ACL does not let anonymous read objects',
    { bucketAcl: publicRead },
    request(ANONYMOUS, 'GetObject', { key: 'k' }),
    false,
  ],
  ['a user without policies is refused', {}, request(ALICE, 'GetObject', { key: 'k' }), false],
  [
    'a user named by the bucket policy is allowed',
    { policy: allowAliceByArn },
    request(ALICE, 'PutObject', { key: 'k' }),
    true,
  ],
  [
    'Deny for a user overrides the public Allow',
    { policy: denyAliceAll },
    request(ALICE, 'GetObject', { key: 'k' }),
    false,
  ],
  [
    'Deny overrides a public-read ACL',
    { policy: denyAll, objectAcl: publicRead },
    request(ANONYMOUS, 'GetObject', { key: 'k' }),
    false,
  ],
  ['readonly identity policy allows GetObject', {}, request(READER, 'GetObject', { key: 'k' }), true],
  ['readonly identity policy refuses PutObject', {}, request(READER, 'PutObject', { key: 'k' }), false],
  ['readwrite identity policy allows DeleteBucket', {}, request(WRITER, 'DeleteBucket'), true],
  [
    'identity Allow loses to a bucket-policy Deny',
    { policy: denyAll },
    request(WRITER, 'GetObject', { key: 'k' }),
    false,
  ],
  ['a session policy narrows the identity', {}, request(SESSION_LIMITED, 'PutObject', { key: 'k' }), false],
  ['a session policy keeps what it allows', {}, request(SESSION_LIMITED, 'GetObject', { key: 'k' }), true],
  [
    'versionId needs s3:GetObjectVersion',
    { policy: allowAnonGet },
    request(ANONYMOUS, 'GetObject', { key: 'k', query: 'versionId=v1' }),
    false,
  ],
  [
    's3:prefix condition allows a listing under the prefix',
    { policy: listUnderPublic },
    request(ANONYMOUS, 'ListObjectsV2', { query: 'list-type=2&prefix=public/a' }),
    true,
  ],
  [
    's3:prefix condition refuses another prefix',
    { policy: listUnderPublic },
    request(ANONYMOUS, 'ListObjectsV2', { query: 'list-type=2&prefix=private/' }),
    false,
  ],
  [
    'aws:SourceIp allows the listed network',
    { policy: fromTenNet },
    request(ANONYMOUS, 'GetObject', { key: 'k', ip: '10.9.9.9' }),
    true,
  ],
  [
    'aws:SourceIp refuses other addresses',
    { policy: fromTenNet },
    request(ANONYMOUS, 'GetObject', { key: 'k', ip: '192.168.1.1' }),
    false,
  ],
  [
    'copy needs read on the source too',
    { policy: allowAliceByArn },
    request(ALICE, 'CopyObject', { key: 'dst', headers: { 'x-amz-copy-source': '/src/k' } }),
    false,
  ],
  [
    'copy within an allowed bucket is allowed',
    { policy: allowAliceByArn },
    request(ALICE, 'CopyObject', { key: 'dst', headers: { 'x-amz-copy-source': '/b/k' } }),
    true,
  ],
  [
    'an ACL header on PutObject needs s3:PutObjectAcl',
    { policy: allowAliceByArn },
    request(ALICE, 'PutObject', { key: 'k', headers: { 'x-amz-acl': 'public-read' } }),
    false,
  ],
  [
    'a missing bucket is AccessDenied without permission',
    { bucketExists: false },
    request(ALICE, 'ListObjectsV2'),
    false,
  ],
  [
    'a missing bucket reaches the handler with permission',
    { bucketExists: false },
    request(WRITER, 'ListObjectsV2'),
    true,
  ],
  [
    'CreateBucket is decided by identity policies',
    {},
    request(WRITER, 'CreateBucket', { bucket: 'new' }),
    true,
  ],
  ['anonymous cannot list buckets', {}, request(ANONYMOUS, 'ListBuckets', { bucket: undefined }), false],
];

describe('Authorizer', () => {
  it.each(cases)('%s', async (_name, world, req, allowed) => {
    const { authorizer } = authorizerFor(world);
    const outcome = authorizer.authorize(req);
    if (allowed) {
      await expect(outcome).resolves.toBeUndefined();
    } else {
      await expect(outcome).rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
    }
  });

  it('reads no object ACL when policies allow', async () => {
    const { authorizer, objectAclReads } = authorizerFor({ policy: allowAnonGet });
    await authorizer.authorize(request(ANONYMOUS, 'GetObject', { key: 'k' }));
    expect(objectAclReads()).toBe(0);
  });

  it('reads no object ACL when a Deny would refuse anyway', async () => {
    const { authorizer, objectAclReads } = authorizerFor({ policy: denyAll, objectAcl: publicRead });
    await expect(authorizer.authorize(request(ANONYMOUS, 'GetObject', { key: 'k' }))).rejects.toThrow();
    expect(objectAclReads()).toBe(0);
  });

  describe('s3:ExistingObjectTag', () => {
    const world: World = {
      policy: bucketPolicy(
        {
          Effect: 'Allow',
          Principal: { AWS: userArn('alice') },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        },
        {
          Effect: 'Deny',
          Principal: { AWS: userArn('alice') },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'secret' } },
        },
      ),
      objectTags: { plain: {}, tagged: { classification: 'secret' }, other: { classification: 'public' } },
    };
    const get = (key: string) =>
      authorizerFor(world).authorizer.authorize(request(ALICE, 'GetObject', { key }));

    it("denies by the object's tags and allows objects without them", async () => {
      await expect(get('tagged')).rejects.toMatchObject({ code: 'AccessDenied' });
      await expect(get('plain')).resolves.toBeUndefined();
      await expect(get('other')).resolves.toBeUndefined();
      // A missing object has no tags: the Deny does not hold (the handler answers NoSuchKey).
      await expect(get('missing')).resolves.toBeUndefined();
    });

    it('reads no tags when no policy asks about them', async () => {
      const plain = authorizerFor({
        ...world,
        policy: bucketPolicy((world.policy as PolicyDocument).Statement[0]!),
      });
      await plain.authorizer.authorize(request(ALICE, 'GetObject', { key: 'tagged' }));
      expect(plain.objectTagReads()).toBe(0);
    });
  });

  it('defers DeleteObjects to the per-key check', async () => {
    const { authorizer } = authorizerFor({ policy: allowAliceByArn });
    const req = request(ALICE, 'DeleteObjects');
    await expect(authorizer.authorize(req)).resolves.toBeUndefined();
    await expect(authorizer.isKeyAllowed(req, 'k', undefined)).resolves.toBe(false);
    const deleter = authorizerFor({
      policy: bucketPolicy({
        Effect: 'Allow',
        Principal: { AWS: userArn('alice') },
        Action: 's3:DeleteObject',
        Resource: 'arn:aws:s3:::b/tmp/*',
      }),
    }).authorizer;
    await expect(deleter.isKeyAllowed(req, 'tmp/x', undefined)).resolves.toBe(true);
    await expect(deleter.isKeyAllowed(req, 'keep/x', undefined)).resolves.toBe(false);
    await expect(deleter.isKeyAllowed(req, 'tmp/x', 'v1')).resolves.toBe(false);
  });

  describe('concealMissingKey', () => {
    const missing = () => new S3Error('NoSuchKey');
    const codeOf = async (world: World, principal: Principal, name: string, err: unknown = missing()) =>
      (
        (await authorizerFor(world).authorizer.concealMissingKey(
          err,
          request(principal, name, { key: 'gone' }),
        )) as S3Error
      ).code;

    it('keeps NoSuchKey for a caller allowed s3:ListBucket (identity, bucket policy, root)', async () => {
      await expect(codeOf({}, WRITER, 'GetObject')).resolves.toBe('NoSuchKey');
      await expect(codeOf({}, ROOT, 'HeadObject')).resolves.toBe('NoSuchKey');
      const listByPolicy = bucketPolicy({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
      });
      await expect(codeOf({ policy: listByPolicy }, ANONYMOUS, 'GetObject')).resolves.toBe('NoSuchKey');
    });

    it('answers AccessDenied to a caller without s3:ListBucket on GetObject, HeadObject, GetObjectAttributes', async () => {
      for (const name of ['GetObject', 'HeadObject', 'GetObjectAttributes']) {
        await expect(codeOf({ policy: allowAnonGet }, ANONYMOUS, name)).resolves.toBe('AccessDenied');
        await expect(codeOf({}, SESSION_LIMITED, name)).resolves.toBe('AccessDenied');
        // MinIO's canned readonly grants s3:GetObject without s3:ListBucket.
        await expect(codeOf({}, READER, name)).resolves.toBe('AccessDenied');
      }
    });

    it('leaves other errors and other operations alone', async () => {
      await expect(codeOf({}, ANONYMOUS, 'GetObject', new S3Error('NoSuchVersion'))).resolves.toBe(
        'NoSuchVersion',
      );
      await expect(codeOf({}, ANONYMOUS, 'GetObjectTagging')).resolves.toBe('NoSuchKey');
      const plain = new Error('disk on fire');
      await expect(
        authorizerFor({}).authorizer.concealMissingKey(plain, request(ANONYMOUS, 'GetObject')),
      ).resolves.toBe(plain);
    });
  });
});
