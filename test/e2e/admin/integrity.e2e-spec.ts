import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdir, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminRequest } from '../../support/admin-api';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

type Counts = Record<
  'corruptedObjects' | 'orphanedObjects' | 'phantomMetadata' | 'orphanedVersionFiles',
  number
>;
interface ScanBody {
  dryRun: boolean;
  autoHeal: boolean;
  issues: Counts;
  healed: Counts;
  details: { type: string; key?: string; healed: boolean }[];
  errors: string[];
  passCompleted: boolean;
}

const NONE: Counts = { corruptedObjects: 0, orphanedObjects: 0, phantomMetadata: 0, orphanedVersionFiles: 0 };

describe('integrity admin API', () => {
  let server: RunningServer;
  let s3: S3Client;
  const bucket = bucketName('integ');

  beforeAll(async () => {
    server = await startServer({ env: { MULTIPART_MIN_PART_SIZE: '5' } });
    s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    cleanup(server);
  });

  it('refuses requests without admin credentials', async () => {
    for (const [method, path] of [
      ['GET', '/admin/integrity/status'],
      ['POST', '/admin/integrity/run'],
      ['GET', '/admin/integrity/history'],
    ] as const) {
      const res = await adminRequest(server, method, path, {
        auth: null,
        body: method === 'POST' ? {} : undefined,
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AccessDenied');
    }
  });

  it('finds files changed, added and removed behind the gateway, and heals them on request', async () => {
    const bdir = join(server.storageRoot, bucket);
    for (const [key, body] of [
      ['ok.txt', 'fine'],
      ['changed.txt', 'original'],
      ['gone.txt', 'soon gone'],
    ]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp.bin' }));
    const parts = [];
    for (const [n, data] of [
      [1, 'a'.repeat(10)],
      [2, 'b'.repeat(5)],
    ] as const) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'mp.bin',
          UploadId: upload.UploadId,
          PartNumber: n,
          Body: data,
        }),
      );
      parts.push({ PartNumber: n, ETag: part.ETag });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mp.bin',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );

    // Behind the gateway: same-size rewrite, removal, a new file, and a multipart object rewritten in place.
    await writeFile(join(bdir, 'changed.txt'), 'tampered');
    await unlink(join(bdir, 'gone.txt'));
    await mkdir(join(bdir, 'added'));
    await writeFile(join(bdir, 'added/photo.png'), 'not really a png');
    await writeFile(join(bdir, 'mp.bin'), 'c'.repeat(15));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(bdir, 'mp.bin'), later, later);

    const expected: Counts = {
      corruptedObjects: 2,
      orphanedObjects: 1,
      phantomMetadata: 1,
      orphanedVersionFiles: 0,
    };
    const dry = await adminRequest<ScanBody>(server, 'POST', '/admin/integrity/run', {
      body: { dry_run: true, auto_heal: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      autoHeal: true,
      issues: expected,
      healed: NONE,
      errors: [],
    });
    expect(dry.body.details.map((d) => `${d.type} ${d.key}`).sort()).toEqual([
      'corrupted_object changed.txt',
      'corrupted_object mp.bin',
      'orphaned_object added/photo.png',
      'phantom_metadata gone.txt',
    ]);
    // Nothing changed: the old ETag, no new key, the phantom still listed.
    const headBefore = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'changed.txt' }));
    expect(headBefore.ETag).toBe(`"${md5('original')}"`);
    const listedBefore = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listedBefore.Contents?.map((o) => o.Key)).toEqual(['changed.txt', 'gone.txt', 'mp.bin', 'ok.txt']);

    const healed = await adminRequest<ScanBody>(server, 'POST', '/admin/integrity/run', {
      body: { dry_run: false, auto_heal: true },
    });
    expect(healed.status).toBe(200);
    expect(healed.body).toMatchObject({
      issues: expected,
      healed: expected,
      errors: [],
      passCompleted: true,
    });

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['added/photo.png', 16],
      ['changed.txt', 8],
      ['mp.bin', 15],
      ['ok.txt', 4],
    ]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'changed.txt' }));
    expect(head.ETag).toBe(`"${md5('tampered')}"`);
    const mp = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mp.bin' }));
    expect(mp.ETag).toBe(`"${md5('c'.repeat(15))}"`);
    const added = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'added/photo.png' }));
    expect(added.ContentType).toBe('image/png');
    expect(added.ETag).toBe(`"${md5('not really a png')}"`);
    expect(await added.Body?.transformToString()).toBe('not really a png');
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'gone.txt' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ok.txt' }));
    expect(ok.ETag).toBe(`"${md5('fine')}"`);

    const clean = await adminRequest<ScanBody>(server, 'POST', '/admin/integrity/run', { body: {} });
    expect(clean.body.issues).toEqual(NONE);
  });

  it('shows configuration, cursor and last run in the status, and pages the history', async () => {
    const status = await adminRequest<Record<string, unknown>>(server, 'GET', '/admin/integrity/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      enabled: false,
      running: false,
      intervalHours: 24,
      batchSize: 1000,
      autoHeal: false,
      dryRun: false,
      cursor: null,
      counts: { issues: NONE, healed: NONE },
      lastRun: { kind: 'integrity', dryRun: false, result: { issues: NONE } },
    });
    const history = await adminRequest<{
      runs: { dryRun: boolean; result: { autoHeal: boolean } }[];
      total: number;
    }>(server, 'GET', '/admin/integrity/history?limit=2');
    expect(history.status).toBe(200);
    expect(history.body.total).toBe(3);
    expect(history.body.runs.map((r) => [r.dryRun, r.result.autoHeal])).toEqual([
      [false, false],
      [false, true],
    ]);
    const bad = await adminRequest(server, 'POST', '/admin/integrity/run', { body: { auto_heal: 1 } });
    expect(bad.status).toBe(400);
  });
});
