import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { anonymousS3Client, bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** Unsigned requests: plain HTTP (curl, a browser) and the SDK with a no-op signer. */
describe('anonymous requests', () => {
  let server: RunningServer;
  let s3: S3Client;
  let anon: S3Client;
  let bucket: string;

  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
    anon = anonymousS3Client(server);
    bucket = bucketName('anon');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pub/a.txt', Body: 'public bytes' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'priv/b.txt', Body: 'private bytes' }));
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('are refused with AccessDenied XML when nothing allows them', async () => {
    const res = await fetch(`${server.apiUrl}/${bucket}/pub/a.txt`);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).not.toContain('public bytes');
    await expect(anon.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('read what a prefix-scoped bucket policy allows, through fetch and the SDK', async () => {
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${bucket}/pub/*`,
            },
          ],
        }),
      }),
    );
    const res = await fetch(`${server.apiUrl}/${bucket}/pub/a.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('public bytes');
    const head = await fetch(`${server.apiUrl}/${bucket}/pub/a.txt`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const sdk = await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'pub/a.txt' }));
    expect(await sdk.Body?.transformToString()).toBe('public bytes');
    expect((await fetch(`${server.apiUrl}/${bucket}/priv/b.txt`)).status).toBe(403);
    const put = await fetch(`${server.apiUrl}/${bucket}/pub/new.txt`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect((await fetch(`${server.apiUrl}/${bucket}/pub/a.txt`)).status).toBe(403);
  });

  it('get AccessDenied rather than NoSuchBucket for a missing bucket', async () => {
    const res = await fetch(`${server.apiUrl}/${bucketName('ghost')}/k`);
    expect(res.status).toBe(403);
  });
});
