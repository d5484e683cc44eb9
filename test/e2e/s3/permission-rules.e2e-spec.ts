import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createUser } from '../../support/iam-api';
import {
  admin,
  createServiceAccount,
  expectNotStored,
  expectStored,
  policyJson,
} from '../../support/permission-fixture';
import { anonymousS3Client, bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const MAX_ATTEMPTS = 3;
const denied = { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } };

/**
 * The rules around the permission matrix: deny overrides allow across identity and bucket
 * policies, conditions, anonymous access, the identity checks before any policy, and missing
 * keys (presigned URLs are in permission-presigned.e2e-spec.ts). One live server; setup only
 * through the admin API, STS and S3.
 */
describe('permission rules', () => {
  let server: RunningServer;
  let root: S3Client;

  beforeAll(async () => {
    server = await startServer({
      env: { AUTH_MAX_ATTEMPTS: String(MAX_ATTEMPTS), IAM_REFRESH_INTERVAL_SECONDS: '1' },
    });
    root = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function newBucket(objects: string[], statements: object[] = []): Promise<string> {
    const bucket = bucketName('rules');
    await root.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const Key of objects) {
      await root.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    }
    if (statements.length > 0) {
      const Policy = policyJson(...statements).replaceAll('BUCKET', bucket);
      await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
    }
    return bucket;
  }

  describe('deny overrides allow', () => {
    let arn: string;
    let s3: S3Client;
    beforeAll(async () => {
      const user = await createUser(server, { name: 'r-denier' });
      await admin(server, 'PUT', '/admin/iam/policies/r-all-but-protected-delete', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::*/protected/*' },
        ],
      });
      await admin(server, 'PUT', '/admin/iam/users/r-denier/attached-policies/r-all-but-protected-delete');
      arn = 'arn:aws:iam::000000000000:user/r-denier';
      s3 = s3Client(server, user);
    });

    it('an identity-policy Deny beats a bucket-policy Allow', async () => {
      const bucket = await newBucket(
        ['protected/k', 'open/k'],
        [
          {
            Effect: 'Allow',
            Principal: { AWS: arn },
            Action: 's3:DeleteObject',
            Resource: 'arn:aws:s3:::BUCKET/*',
          },
        ],
      );
      await expect(
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'protected/k' })),
      ).rejects.toMatchObject(denied);
      await expectStored(server, root, bucket, 'protected/k');
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'open/k' }));
      await expectNotStored(server, root, bucket, 'open/k');
    });

    it('a bucket-policy Deny beats an identity-policy Allow', async () => {
      const bucket = await newBucket(
        ['secret/k', 'public/k'],
        [
          {
            Effect: 'Deny',
            Principal: { AWS: arn },
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: 'arn:aws:s3:::BUCKET/secret/*',
          },
        ],
      );
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret/k' }))).rejects.toMatchObject(
        denied,
      );
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret/new', Body: 'no' })),
      ).rejects.toMatchObject(denied);
      await expectNotStored(server, root, bucket, 'secret/new');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'public/k' }));
      expect(await got.Body!.transformToString()).toBe('public/k');
    });

    it('an aws:SourceIp NotIpAddress condition denies callers outside the range only', async () => {
      const notFrom = (cidr: string, prefix: string) => ({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::BUCKET/${prefix}/*`,
        Condition: { NotIpAddress: { 'aws:SourceIp': cidr } },
      });
      // The test talks to 127.0.0.1: outside 10.0.0.0/8, inside 127.0.0.1/32.
      const bucket = await newBucket(
        ['elsewhere/k', 'local/k'],
        [notFrom('10.0.0.0/8', 'elsewhere'), notFrom('127.0.0.1/32', 'local')],
      );
      await expect(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'elsewhere/k' })),
      ).rejects.toMatchObject(denied);
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'local/k' }))).resolves.toBeDefined();
    });
  });

  describe('anonymous access', () => {
    it('is refused without a grant, and a refused anonymous write stores nothing', async () => {
      const bucket = await newBucket(['k']);
      const anon = anonymousS3Client(server);
      await expect(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject(
        denied,
      );
      await expect(anon.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject(denied);
      await expect(
        anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'anon', Body: 'x' })),
      ).rejects.toMatchObject(denied);
      await expectNotStored(server, root, bucket, 'anon');
      const res = await fetch(`${server.apiUrl}/${bucket}/k`);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    });

    it('is allowed by a bucket policy naming everyone, only where it grants', async () => {
      const bucket = await newBucket(
        ['shared/k', 'private/k'],
        [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::BUCKET/shared/*',
          },
        ],
      );
      const anon = anonymousS3Client(server);
      const got = await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/k' }));
      expect(await got.Body!.transformToString()).toBe('shared/k');
      await expect(
        anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/k' })),
      ).rejects.toMatchObject(denied);
      await expect(
        anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/new', Body: 'x' })),
      ).rejects.toMatchObject(denied);
      await expectNotStored(server, root, bucket, 'shared/new');
    });

    it('is allowed by a public-read object ACL, set on PutObject or by PutObjectAcl', async () => {
      const bucket = await newBucket(['later', 'private']);
      await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'pub', Body: 'pub', ACL: 'public-read' }));
      const anon = anonymousS3Client(server);
      const got = await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'pub' }));
      expect(await got.Body!.transformToString()).toBe('pub');
      await expect(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'later' }))).rejects.toMatchObject(
        denied,
      );
      await root.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'later', ACL: 'public-read' }));
      await expect(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'later' }))).resolves.toBeDefined();
      // The object ACL grants reading that object, not listing the bucket or reading another.
      await expect(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'private' }))).rejects.toMatchObject(
        denied,
      );
      await expect(anon.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject(denied);
    });
    it('is allowed to list by a public-read bucket ACL, which does not open the objects', async () => {
      const bucket = bucketName('rules-acl');
      await root.send(new CreateBucketCommand({ Bucket: bucket, ACL: 'public-read' }));
      await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'k' }));
      const anon = anonymousS3Client(server);
      const listed = await anon.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['k']);
      await expect(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject(
        denied,
      );
      await expect(
        anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'anon', Body: 'x' })),
      ).rejects.toMatchObject(denied);
      await expectNotStored(server, root, bucket, 'anon');
    });
  });

  describe('identity checks before any policy', () => {
    const everything = [{ bucket: '*', actions: ['*'] }];

    it('refuses an expired user', async () => {
      const user = await createUser(server, {
        name: 'r-expired',
        policies: everything,
        expires_at: new Date(Date.now() - 60_000).toISOString(),
      });
      await expect(s3Client(server, user).send(new ListBucketsCommand({}))).rejects.toMatchObject(denied);
    });

    it('refuses a disabled user, and takes it back when enabled', async () => {
      const user = await createUser(server, { name: 'r-disabled', policies: everything });
      const s3 = s3Client(server, user);
      await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
      await admin(server, 'POST', '/admin/iam/users/r-disabled/disable');
      await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject(denied);
      await admin(server, 'POST', '/admin/iam/users/r-disabled/enable');
      await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
    });

    it(`locks a user out after ${MAX_ATTEMPTS} bad signatures, even for a correct one`, async () => {
      const user = await createUser(server, { name: 'r-locked', policies: everything });
      const wrong = s3Client(server, { accessKeyId: user.accessKeyId, secretAccessKey: 'not-the-secret' });
      for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
        await expect(wrong.send(new ListBucketsCommand({}))).rejects.toMatchObject({
          name: 'SignatureDoesNotMatch',
        });
      }
      const err = await s3Client(server, user)
        .send(new ListBucketsCommand({}))
        .catch((e: unknown) => e);
      expect(err).toMatchObject(denied);
      expect((err as Error).message).toMatch(/locked after too many failed sign-in attempts/);
      // Enabling the user ends the lockout at once.
      await admin(server, 'POST', '/admin/iam/users/r-locked/enable');
      await expect(s3Client(server, user).send(new ListBucketsCommand({}))).resolves.toBeDefined();
      // Another user is not affected.
      const other = await createUser(server, { name: 'r-not-locked', policies: everything });
      await expect(s3Client(server, other).send(new ListBucketsCommand({}))).resolves.toBeDefined();
    });

    it("drops a disabled group's policies from its members at once", async () => {
      const bucket = await newBucket(['k']);
      const user = await createUser(server, { name: 'r-member' });
      await admin(server, 'PUT', '/admin/iam/policies/r-read', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
      });
      await admin(server, 'POST', '/admin/iam/groups', { name: 'r-readers', members: ['r-member'] });
      await admin(server, 'PUT', '/admin/iam/groups/r-readers/attached-policies/r-read');
      const get = () => s3Client(server, user).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      await expect(get()).resolves.toBeDefined();
      await admin(server, 'POST', '/admin/iam/groups/r-readers/disable');
      await expect(get()).rejects.toMatchObject(denied);
      await admin(server, 'POST', '/admin/iam/groups/r-readers/enable');
      await expect(get()).resolves.toBeDefined();
      await admin(server, 'DELETE', '/admin/iam/groups/r-readers/members', { members: ['r-member'] });
      await expect(get()).rejects.toMatchObject(denied);
    });

    it("stops a service account with its parent, and narrows it to its parent's permissions", async () => {
      const bucket = await newBucket(['k']);
      await createUser(server, { name: 'r-parent', policies: [{ bucket, actions: ['list', 'read'] }] });
      // The session policy asks for more than the parent has: the intersection is what counts.
      const account = await createServiceAccount(server, 'r-parent', 'r-parent-sa', [
        { bucket, actions: ['list', 'read', 'write'] },
      ]);
      const s3 = s3Client(server, account);
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).resolves.toBeDefined();
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sa', Body: 'x' })),
      ).rejects.toMatchObject(denied);
      await expectNotStored(server, root, bucket, 'sa');
      await admin(server, 'POST', '/admin/iam/users/r-parent/disable');
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject(denied);
    });

    it('refuses an STS session whose token was tampered with', async () => {
      const user = await createUser(server, { name: 'r-sts', policies: everything });
      const sts = new STSClient({
        endpoint: server.apiUrl,
        region: 'us-east-1',
        credentials: user,
        maxAttempts: 1,
      });
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/any', RoleSessionName: 'rules' }),
      );
      const creds = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey! };
      await expect(
        s3Client(server, { ...creds, sessionToken: c!.SessionToken! }).send(new ListBucketsCommand({})),
      ).resolves.toBeDefined();
      const token = c!.SessionToken!;
      const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      await expect(
        s3Client(server, { ...creds, sessionToken: flipped }).send(new ListBucketsCommand({})),
      ).rejects.toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('a missing key', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html: 404 with s3:ListBucket,
    // 403 without it, so a caller who may not list cannot probe which keys exist.
    it('is NoSuchKey to a caller who may list the bucket and AccessDenied to one who may not', async () => {
      const bucket = await newBucket(
        ['k'],
        [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::BUCKET/*' }],
      );
      const lister = s3Client(
        server,
        await createUser(server, { name: 'r-lister', policies: [{ bucket, actions: ['list', 'read'] }] }),
      );
      const getter = s3Client(
        server,
        await createUser(server, { name: 'r-getter', policies: [{ bucket, actions: ['read'] }] }),
      );
      const anon = anonymousS3Client(server);
      const get = (s3: S3Client) => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' }));
      const head = (s3: S3Client) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' }));
      await expect(get(lister)).rejects.toMatchObject({
        name: 'NoSuchKey',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(head(lister)).rejects.toMatchObject({
        name: 'NotFound',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(get(root)).rejects.toMatchObject({ name: 'NoSuchKey' });
      for (const s3 of [getter, anon]) {
        await expect(get(s3)).rejects.toMatchObject(denied);
        await expect(head(s3)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
        expect(await got.Body!.transformToString()).toBe('k');
      }
    });
  });
});
