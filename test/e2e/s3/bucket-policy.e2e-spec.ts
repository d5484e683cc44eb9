import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { awsCli, parseJson, s3apiArgs } from '../../support/clients/aws-cli';
import { anonymousS3Client, bucketName, s3Client } from '../../support/s3-client';
import { SEED_SECRET_KEY, seedUser, type SeededUser } from '../../support/seed-users';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('bucket policies', () => {
  let server: RunningServer;
  let s3: S3Client;
  let anon: S3Client;
  let alice: SeededUser;
  let aliceS3: S3Client;

  beforeAll(async () => {
    server = await startServer({ env: { SECRET_KEY: SEED_SECRET_KEY } });
    s3 = s3Client(server);
    anon = anonymousS3Client(server);
    alice = await seedUser(server, 'alice-policy');
    aliceS3 = s3Client(server, { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function newBucket(objects: Record<string, string> = {}): Promise<string> {
    const bucket = bucketName('pol');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [Key, Body] of Object.entries(objects)) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    }
    return bucket;
  }
  const setPolicy = (Bucket: string, Policy: string) =>
    s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
  const anonGet = (Bucket: string, Key: string) => anon.send(new GetObjectCommand({ Bucket, Key }));

  describe('PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy', () => {
    it('stores the policy and returns it as sent', async () => {
      const bucket = await newBucket();
      const doc = policy({
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      });
      const put = await setPolicy(bucket, doc);
      expect(put.$metadata.httpStatusCode).toBe(204);
      const got = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(got.Policy ?? '')).toEqual(JSON.parse(doc));
    });

    it('returns NoSuchBucketPolicy for a bucket without one, and 204 on delete', async () => {
      const bucket = await newBucket();
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'NoSuchBucketPolicy',
        $metadata: { httpStatusCode: 404 },
      });
      await setPolicy(
        bucket,
        policy({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:ListBucket',
          Resource: `arn:aws:s3:::${bucket}`,
        }),
      );
      const del = await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'NoSuchBucketPolicy',
      });
    });

    it.each([
      ['invalid JSON', '{"Version": "2012-10-17", "Statement": [', /invalid Json/i],
      ['an unknown action', 'ACTION', /action/i],
      ['a resource outside the bucket', 'RESOURCE', /resource/i],
    ])('returns MalformedPolicy for %s', async (_name, body, message) => {
      const bucket = await newBucket();
      const doc =
        body === 'ACTION'
          ? policy({
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:FlyToTheMoon',
              Resource: `arn:aws:s3:::${bucket}/*`,
            })
          : body === 'RESOURCE'
            ? policy({
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::another-bucket/*',
              })
            : body;
      const err = await setPolicy(bucket, doc).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'MalformedPolicy', $metadata: { httpStatusCode: 400 } });
      expect((err as Error).message).toMatch(message);
    });

    it('returns NoSuchBucket for a missing bucket (root)', async () => {
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucketName('nope') }))).rejects.toMatchObject(
        {
          name: 'NoSuchBucket',
        },
      );
    });

    it('works through the AWS CLI (put-bucket-policy, get-bucket-policy, get-bucket-policy-status)', async () => {
      const bucket = await newBucket();
      const aws = awsCli(server);
      const doc = policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      });
      const put = await aws(s3apiArgs('put-bucket-policy', { bucket, policy: doc }));
      expect(put.code).toBe(0);
      const got = parseJson<{ Policy: string }>(await aws(s3apiArgs('get-bucket-policy', { bucket })));
      expect(JSON.parse(got.Policy)).toEqual(JSON.parse(doc));
      const status = parseJson<{ PolicyStatus: { IsPublic: boolean } }>(
        await aws(s3apiArgs('get-bucket-policy-status', { bucket })),
      );
      expect(status.PolicyStatus.IsPublic).toBe(true);
    });
  });

  describe('GetBucketPolicyStatus', () => {
    it('is public for an Allow to everyone and not for one pinned to addresses', async () => {
      const bucket = await newBucket();
      const allowAll = {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      };
      await setPolicy(bucket, policy(allowAll));
      const open = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
      expect(open.PolicyStatus?.IsPublic).toBe(true);
      await setPolicy(
        bucket,
        policy({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      );
      const pinned = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
      expect(pinned.PolicyStatus?.IsPublic).toBe(false);
    });
  });

  describe('enforcement', () => {
    it('lets anonymous callers read only what the policy allows, at once after a change', async () => {
      const bucket = await newBucket({ 'a.txt': 'hello' });
      await expect(anonGet(bucket, 'a.txt')).rejects.toMatchObject({
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
      await setPolicy(
        bucket,
        policy({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        }),
      );
      const got = await anonGet(bucket, 'a.txt');
      expect(await got.Body?.transformToString()).toBe('hello');
      await expect(
        anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'w', Body: 'x' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      await expect(anonGet(bucket, 'a.txt')).rejects.toMatchObject({ name: 'AccessDenied' });
    });

    it('lets a Deny override an Allow', async () => {
      const bucket = await newBucket({ 'open/a': 'A', 'secret/b': 'B' });
      await setPolicy(
        bucket,
        policy(
          {
            Effect: 'Allow',
            Principal: { AWS: alice.arn },
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
          {
            Effect: 'Deny',
            Principal: { AWS: alice.arn },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/secret/*`,
          },
        ),
      );
      const ok = await aliceS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'open/a' }));
      expect(await ok.Body?.transformToString()).toBe('A');
      await expect(
        aliceS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret/b' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    });

    it("applies s3:ExistingObjectTag conditions with the object's current tags", async () => {
      const bucket = await newBucket({ 'doc-a': 'A', 'doc-b': 'B' });
      const classify = (Key: string, Value: string) =>
        s3.send(
          new PutObjectTaggingCommand({
            Bucket: bucket,
            Key,
            Tagging: { TagSet: [{ Key: 'classification', Value }] },
          }),
        );
      await classify('doc-b', 'secret');
      await setPolicy(
        bucket,
        policy(
          {
            Effect: 'Allow',
            Principal: { AWS: alice.arn },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
          {
            Effect: 'Deny',
            Principal: { AWS: alice.arn },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
            Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'secret' } },
          },
        ),
      );
      const read = (Key: string) => aliceS3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      await expect(read('doc-a')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await expect(read('doc-b')).rejects.toMatchObject({ name: 'AccessDenied' });
      // Retagging the object changes the decision at once.
      await classify('doc-b', 'public');
      await expect(read('doc-b')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    });

    it('applies aws:SourceIp conditions', async () => {
      const bucket = await newBucket({ k: 'v' });
      const statement = (cidr: string) => ({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { IpAddress: { 'aws:SourceIp': cidr } },
      });
      await setPolicy(bucket, policy(statement('127.0.0.0/8')));
      await expect(anonGet(bucket, 'k')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await setPolicy(bucket, policy(statement('10.0.0.0/8')));
      await expect(anonGet(bucket, 'k')).rejects.toMatchObject({ name: 'AccessDenied' });
    });

    it('applies s3:prefix conditions on ListBucket', async () => {
      const bucket = await newBucket({ 'public/a': '1', 'private/b': '2' });
      await setPolicy(
        bucket,
        policy({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:ListBucket',
          Resource: `arn:aws:s3:::${bucket}`,
          Condition: { StringLike: { 's3:prefix': 'public/*' } },
        }),
      );
      const listed = await anon.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'public/' }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['public/a']);
      await expect(
        anon.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'private/' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(anon.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });

    it('re-checks a presigned URL against the policy when it is used', async () => {
      const bucket = await newBucket({ 'doc.txt': 'presigned' });
      const allow = {
        Effect: 'Allow',
        Principal: { AWS: alice.arn },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      };
      await setPolicy(bucket, policy(allow));
      const url = await getSignedUrl(aliceS3, new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }), {
        expiresIn: 600,
      });
      const first = await fetch(url);
      expect(first.status).toBe(200);
      expect(await first.text()).toBe('presigned');
      await setPolicy(bucket, policy(allow, { ...allow, Effect: 'Deny' }));
      const second = await fetch(url);
      expect(second.status).toBe(403);
      expect(await second.text()).toContain('<Code>AccessDenied</Code>');
    });

    it('lets root repair a policy that denies everyone', async () => {
      const bucket = await newBucket({ k: 'v' });
      await setPolicy(
        bucket,
        policy({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        }),
      );
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).resolves.toMatchObject({
        $metadata: { httpStatusCode: 200 },
      });
    });
  });
});
