import { CreateBucketCommand, GetBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** The admin API's anonymous-access and bucket-policy presets, seen through the S3 gateway. */
describe('admin bucket access presets', () => {
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

  async function admin(method: string, path: string, body?: object, authenticated = true) {
    const res = await fetch(`${server.adminUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(authenticated
          ? { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey }
          : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  async function newBucket(objects: Record<string, string>): Promise<string> {
    const bucket = bucketName('preset');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [Key, Body] of Object.entries(objects)) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    }
    return bucket;
  }
  const anonStatus = async (path: string, init: RequestInit = {}) =>
    (await fetch(`${server.apiUrl}${path}`, init)).status;

  describe('anonymous access', () => {
    it('download on a prefix lets anyone read and list under it only; none takes it back', async () => {
      const bucket = await newBucket({ 'images/a.png': 'A', 'docs/b.txt': 'B' });
      expect((await admin('GET', `/admin/buckets/${bucket}/anonymous?prefix=images/`)).json.access).toBe(
        'none',
      );
      const set = await admin('PUT', `/admin/buckets/${bucket}/anonymous`, {
        access: 'download',
        prefix: 'images/',
      });
      expect(set).toMatchObject({ status: 200, json: { bucket, prefix: 'images/', access: 'download' } });
      expect(await anonStatus(`/${bucket}/images/a.png`)).toBe(200);
      expect(await anonStatus(`/${bucket}/docs/b.txt`)).toBe(403);
      expect(await anonStatus(`/${bucket}?list-type=2&prefix=images/`)).toBe(200);
      expect(await anonStatus(`/${bucket}?list-type=2&prefix=docs/`)).toBe(403);
      expect(await anonStatus(`/${bucket}/images/new.png`, { method: 'PUT', body: 'x' })).toBe(403);
      // The preset is the bucket policy S3 clients see.
      const stored = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(stored.Policy).toContain(`arn:aws:s3:::${bucket}/images/*`);
      await admin('PUT', `/admin/buckets/${bucket}/anonymous`, { access: 'none', prefix: 'images/' });
      expect(await anonStatus(`/${bucket}/images/a.png`)).toBe(403);
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'NoSuchBucketPolicy',
      });
    });

    it('public on the whole bucket allows anonymous writes and reads; levels on two prefixes coexist', async () => {
      const bucket = await newBucket({ 'pub/x': 'X' });
      await admin('PUT', `/admin/buckets/${bucket}/anonymous`, { access: 'upload', prefix: 'inbox/' });
      await admin('PUT', `/admin/buckets/${bucket}/anonymous`, { access: 'public', prefix: 'pub/' });
      expect(await anonStatus(`/${bucket}/inbox/drop`, { method: 'PUT', body: 'd' })).toBe(200);
      expect(await anonStatus(`/${bucket}/inbox/drop`)).toBe(403);
      expect(await anonStatus(`/${bucket}/pub/x`)).toBe(200);
      expect((await admin('GET', `/admin/buckets/${bucket}/anonymous?prefix=inbox/`)).json.access).toBe(
        'upload',
      );
      expect((await admin('GET', `/admin/buckets/${bucket}/anonymous?prefix=pub/`)).json.access).toBe(
        'public',
      );
    });

    it('refuses an unknown level with a validation error and unauthenticated callers with 403', async () => {
      const bucket = await newBucket({});
      const bad = await admin('PUT', `/admin/buckets/${bucket}/anonymous`, { access: 'everything' });
      expect(bad.status).toBe(400);
      expect(String(bad.json.message)).toContain('access');
      const anon = await admin('PUT', `/admin/buckets/${bucket}/anonymous`, { access: 'public' }, false);
      expect(anon.status).toBe(403);
    });

    it('answers NoSuchBucket for a missing bucket', async () => {
      const res = await admin('GET', `/admin/buckets/${bucketName('none')}/anonymous`);
      expect(res).toMatchObject({ status: 404, json: { code: 'NoSuchBucket' } });
    });
  });

  describe('bucket policy presets', () => {
    it('public allows anonymous list and read, private removes the policy', async () => {
      const bucket = await newBucket({ 'a.txt': 'A' });
      expect((await admin('GET', `/admin/buckets/${bucket}/policy`)).json).toMatchObject({
        preset: 'private',
        policy: null,
      });
      const pub = await admin('PUT', `/admin/buckets/${bucket}/policy`, { preset: 'public' });
      expect(pub).toMatchObject({ status: 200, json: { preset: 'public' } });
      expect(await anonStatus(`/${bucket}/a.txt`)).toBe(200);
      expect(await anonStatus(`/${bucket}?list-type=2`)).toBe(200);
      expect(await anonStatus(`/${bucket}/b.txt`, { method: 'PUT', body: 'b' })).toBe(403);
      await admin('PUT', `/admin/buckets/${bucket}/policy`, { preset: 'private' });
      expect(await anonStatus(`/${bucket}/a.txt`)).toBe(403);
    });

    it('custom stores a validated policy document and reports MalformedPolicy for a bad one', async () => {
      const bucket = await newBucket({ 'a.txt': 'A' });
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/a.txt`,
          },
        ],
      };
      const res = await admin('PUT', `/admin/buckets/${bucket}/policy`, { preset: 'custom', policy });
      expect(res).toMatchObject({ status: 200, json: { preset: 'custom' } });
      expect(await anonStatus(`/${bucket}/a.txt`)).toBe(200);
      const stored = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(stored.Policy ?? '')).toEqual(policy);
      const bad = await admin('PUT', `/admin/buckets/${bucket}/policy`, {
        preset: 'custom',
        policy: {
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' },
          ],
        },
      });
      expect(bad).toMatchObject({ status: 400, json: { code: 'MalformedPolicy' } });
    });
  });
});
