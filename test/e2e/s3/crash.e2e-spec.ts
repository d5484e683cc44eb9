import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Starts a PUT of `total` bytes and resolves once `sent` bytes are written; the request is left hanging. */
function startSlowPut(server: RunningServer, path: string, total: number, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${server.apiUrl}${path}`, {
      method: 'PUT',
      headers: {
        'x-access-key': server.accessKeyId,
        'x-secret-key': server.secretAccessKey,
        'content-length': String(total),
      },
    });
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    let written = 0;
    const pump = () => {
      while (written < sent) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      // Give the server a moment to stage what arrived, then leave the request unfinished.
      setTimeout(resolve, 300);
    };
    pump();
  });
}

describe('crash safety (kill -9)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.kill();
    cleanup(server);
  });

  it('after kill -9 mid-overwrite and mid-upload, each key holds the old object or nothing', async () => {
    server = await startServer();
    const s3 = s3Client(server);
    const bucket = bucketName('crash');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const original = Buffer.alloc(3 * 1024 * 1024 + 17, 0x41);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'data/big.bin', Body: original }));

    // An overwrite and a brand-new upload are both half-way through when the process dies.
    await Promise.all([
      startSlowPut(server, `/${bucket}/data/big.bin`, 256 * 1024 * 1024, 32 * 1024 * 1024),
      startSlowPut(server, `/${bucket}/data/fresh.bin`, 256 * 1024 * 1024, 32 * 1024 * 1024),
    ]);
    const { dir, apiPort, adminPort } = server;
    await server.kill();

    server = await startServer({ dir, ports: { api: apiPort, admin: adminPort } });
    const after = s3Client(server);
    const got = await after.send(new GetObjectCommand({ Bucket: bucket, Key: 'data/big.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(sha(bytes)).toBe(sha(original));
    expect(sha(readFileSync(join(server.storageRoot, bucket, 'data/big.bin')))).toBe(sha(original));

    await expect(
      after.send(new GetObjectCommand({ Bucket: bucket, Key: 'data/fresh.bin' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    expect(existsSync(join(server.storageRoot, bucket, 'data/fresh.bin'))).toBe(false);
    const listed = await after.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['data/big.bin']);
  });
});
