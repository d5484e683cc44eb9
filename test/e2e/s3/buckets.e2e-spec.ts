import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

describe('bucket operations', () => {
  let server: RunningServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  describe('CreateBucket', () => {
    it('creates the bucket directory under STORAGE_ROOT', async () => {
      const name = bucketName();
      const res = await s3.send(new CreateBucketCommand({ Bucket: name }));
      expect(res.Location).toBe(`/${name}`);
      expect(existsSync(join(server.storageRoot, name))).toBe(true);
    });

    it('accepts a LocationConstraint', async () => {
      const name = bucketName();
      await s3.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      await expect(s3.send(new HeadBucketCommand({ Bucket: name }))).resolves.toBeDefined();
    });

    it('returns BucketAlreadyOwnedByYou for a second create', async () => {
      const name = bucketName();
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await expect(s3.send(new CreateBucketCommand({ Bucket: name }))).rejects.toMatchObject({
        name: 'BucketAlreadyOwnedByYou',
        $metadata: { httpStatusCode: 409 },
      });
    });

    it.each(['ab', 'UPPER', 'under_score', '192.168.0.1', 'a..b', '-lead', 'x'.repeat(64)])(
      'returns InvalidBucketName for %s',
      async (name) => {
        await expect(s3.send(new CreateBucketCommand({ Bucket: name }))).rejects.toMatchObject({
          name: 'InvalidBucketName',
          $metadata: { httpStatusCode: 400 },
        });
      },
    );

    it('returns MalformedXML for a broken configuration body', async () => {
      const res = await fetch(`${server.apiUrl}/${bucketName()}`, {
        method: 'PUT',
        headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
        body: '<CreateBucketConfiguration><LocationConstraint>',
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<Code>MalformedXML</Code>');
    });
  });

  describe('HeadBucket', () => {
    it('answers 404 without a body for a missing bucket', async () => {
      await expect(s3.send(new HeadBucketCommand({ Bucket: bucketName('missing') }))).rejects.toMatchObject({
        name: 'NotFound',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('reports the region', async () => {
      const name = bucketName();
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      const res = await s3.send(new HeadBucketCommand({ Bucket: name }));
      expect(res.BucketRegion).toBe('us-east-1');
    });
  });

  describe('ListBuckets', () => {
    it('lists buckets in name order with creation dates and the owner', async () => {
      const names = [bucketName('lb'), bucketName('lb')];
      for (const n of names) {
        await s3.send(new CreateBucketCommand({ Bucket: n }));
      }
      const res = await s3.send(new ListBucketsCommand({}));
      const listed = (res.Buckets ?? []).map((b) => b.Name);
      expect(listed).toEqual(expect.arrayContaining(names));
      expect([...listed].sort()).toEqual(listed);
      expect(res.Owner?.ID).toBeTruthy();
      expect(res.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    });

    it('pages with max-buckets and continuation-token, filtered by prefix', async () => {
      const prefix = `pg-${Date.now().toString(36)}`;
      const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
      for (const n of names) {
        await s3.send(new CreateBucketCommand({ Bucket: n }));
      }
      const first = await s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2 }));
      expect(first.Buckets?.map((b) => b.Name)).toEqual(names.slice(0, 2));
      expect(first.ContinuationToken).toBeTruthy();
      const second = await s3.send(
        new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
      );
      expect(second.Buckets?.map((b) => b.Name)).toEqual(names.slice(2));
      expect(second.ContinuationToken).toBeUndefined();
    });
  });

  describe('GetBucketLocation', () => {
    it('answers an empty constraint for us-east-1', async () => {
      const name = bucketName();
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      const res = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
      expect(res.LocationConstraint ?? '').toBe('');
    });
  });

  describe('DeleteBucket', () => {
    it('refuses a bucket that holds objects, then deletes it once empty', async () => {
      const name = bucketName();
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
      await expect(s3.send(new DeleteBucketCommand({ Bucket: name }))).rejects.toMatchObject({
        name: 'BucketNotEmpty',
        $metadata: { httpStatusCode: 409 },
      });
      await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'k' }));
      const res = await s3.send(new DeleteBucketCommand({ Bucket: name }));
      expect(res.$metadata.httpStatusCode).toBe(204);
      expect(existsSync(join(server.storageRoot, name))).toBe(false);
    });

    it('returns NoSuchBucket for a missing bucket', async () => {
      await expect(s3.send(new DeleteBucketCommand({ Bucket: bucketName('missing') }))).rejects.toMatchObject(
        {
          name: 'NoSuchBucket',
        },
      );
    });
  });

  it('answers NotImplemented for an unknown subresource instead of a listing', async () => {
    const name = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const res = await fetch(`${server.apiUrl}/${name}?accelerate`, {
      headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
    });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('<Code>NotImplemented</Code>');
  });
});
