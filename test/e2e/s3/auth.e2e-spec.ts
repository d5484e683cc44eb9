import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** The hash constructor @smithy/signature-v4 expects, over node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

describe('authentication', () => {
  let server: RunningServer;
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
    bucket = bucketName('auth');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('returns SignatureDoesNotMatch for a wrong secret', async () => {
    const bad = s3Client(server, { accessKeyId: server.accessKeyId, secretAccessKey: 'wrong-secret' });
    await expect(bad.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('returns InvalidAccessKeyId for an unknown key', async () => {
    const bad = s3Client(server, { accessKeyId: 'AKIDOESNOTEXIST00000', secretAccessKey: 'x' });
    await expect(bad.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('returns RequestTimeTooSkewed for a clock 20 minutes off', async () => {
    const skewed = new S3Client({
      endpoint: server.apiUrl,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      systemClockOffset: 20 * 60 * 1000,
      maxAttempts: 1,
    });
    await expect(skewed.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'RequestTimeTooSkewed',
    });
  });

  it('denies anonymous requests', async () => {
    const res = await fetch(`${server.apiUrl}/${bucket}/k`);
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toMatch(/<RequestId>[0-9A-F]{16}<\/RequestId>/);
  });

  it('accepts the X-Access-Key/X-Secret-Key headers and refuses a wrong secret', async () => {
    const ok = await fetch(`${server.apiUrl}/${bucket}/k`, {
      headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${server.apiUrl}/${bucket}/k`, {
      headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': 'nope' },
    });
    expect(bad.status).toBe(403);
  });

  it('refuses an expired presigned URL with AccessDenied "Request has expired"', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toContain('Request has expired');
  });

  it('returns XAmzContentSHA256Mismatch for a body that does not match its signed hash, storing nothing', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      sha256: Sha256 as never,
    });
    const claimed = 'a'.repeat(64);
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.apiPort,
      path: `/${bucket}/mismatch`,
      headers: {
        host: `127.0.0.1:${server.apiPort}`,
        'x-amz-content-sha256': claimed,
        'content-length': '5',
      },
      body: 'hello',
    });
    const res = await fetch(`${server.apiUrl}/${bucket}/mismatch`, {
      method: 'PUT',
      headers: signed.headers as Record<string, string>,
      body: 'hello',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('XAmzContentSHA256Mismatch');
    const head = await fetch(`${server.apiUrl}/${bucket}/mismatch`, {
      method: 'HEAD',
      headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
    });
    expect(head.status).toBe(404);
  });
});
