import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { bucketName, s3Client } from '../../support/s3-client';
import { SEED_SECRET_KEY, seedUser, type SeededUser } from '../../support/seed-users';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Requests by a non-root user, decided by bucket policies that name the user's ARN. */
describe('authorization of a non-root user', () => {
  let server: RunningServer;
  let s3: S3Client;
  let carol: SeededUser;
  let carolS3: S3Client;

  beforeAll(async () => {
    server = await startServer({ env: { SECRET_KEY: SEED_SECRET_KEY } });
    s3 = s3Client(server);
    carol = await seedUser(server, 'carol-authz');
    carolS3 = s3Client(server, { accessKeyId: carol.accessKeyId, secretAccessKey: carol.secretAccessKey });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function newBucket(objects: Record<string, string> = {}, statements: object[] = []): Promise<string> {
    const bucket = bucketName('authz');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [Key, Body] of Object.entries(objects)) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    }
    if (statements.length > 0) {
      const Policy = policy(...statements).replaceAll('BUCKET', bucket);
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
    }
    return bucket;
  }
  const allow = (Action: string | string[], Resource: string | string[]) => ({
    Effect: 'Allow',
    Principal: { AWS: carol.arn },
    Action,
    Resource,
  });

  it('refuses a user that no policy allows (ListBuckets, ListObjectsV2, GetObject)', async () => {
    const bucket = await newBucket({ k: 'v' });
    await expect(carolS3.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(carolS3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(carolS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('says AccessDenied for a missing bucket to a user without permission, NoSuchBucket to root', async () => {
    const missing = bucketName('missing');
    await expect(carolS3.send(new ListObjectsV2Command({ Bucket: missing }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: missing }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('allows what a bucket policy grants the user by ARN, and HeadObject follows GetObject', async () => {
    const bucket = await newBucket({ k: 'v' }, [
      allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::BUCKET/*'),
    ]);
    await carolS3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mine', Body: 'carol' }));
    const got = await carolS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mine' }));
    expect(await got.Body?.transformToString()).toBe('carol');
    await expect(carolS3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).resolves.toMatchObject({
      ContentLength: 1,
    });
    await expect(carolS3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('reports per-key AccessDenied in DeleteObjects and deletes only the permitted keys', async () => {
    const bucket = await newBucket({ 'tmp/a': '1', 'tmp/b': '2', 'keep/c': '3' }, [
      allow('s3:DeleteObject', 'arn:aws:s3:::BUCKET/tmp/*'),
    ]);
    const res = await carolS3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'keep/c' }, { Key: 'tmp/b' }] },
      }),
    );
    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['tmp/a', 'tmp/b']);
    expect(res.Errors).toEqual([{ Key: 'keep/c', Code: 'AccessDenied', Message: 'Access Denied' }]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['keep/c']);
  });

  it('needs read on the copy source as well as write on the target', async () => {
    const source = await newBucket({ 'src.txt': 'copy me' });
    const target = await newBucket({}, [allow('s3:PutObject', 'arn:aws:s3:::BUCKET/*')]);
    const copy = () =>
      carolS3.send(
        new CopyObjectCommand({ Bucket: target, Key: 'dst.txt', CopySource: `${source}/src.txt` }),
      );
    await expect(copy()).rejects.toMatchObject({ name: 'AccessDenied' });
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: source,
        Policy: policy(allow('s3:GetObject', `arn:aws:s3:::${source}/*`)),
      }),
    );
    await expect(copy()).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    const got = await s3.send(new GetObjectCommand({ Bucket: target, Key: 'dst.txt' }));
    expect(await got.Body?.transformToString()).toBe('copy me');
  });
});
