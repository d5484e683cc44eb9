import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminRequest } from '../../support/admin-api';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const DAY = 24 * 3_600_000;

async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

interface GcReportBody {
  dryRun: boolean;
  collected: Record<string, number>;
  bytesFreed: number;
  kept: { interruptedConversions: number };
  errors: string[];
}

describe('GC admin API', () => {
  let server: RunningServer;
  let s3: S3Client;
  const bucket = bucketName('gc');

  beforeAll(async () => {
    // Every incomplete upload counts as abandoned, so the test need not wait seven days.
    server = await startServer({ env: { GC_MULTIPART_MAX_AGE_DAYS: '0' } });
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
      ['GET', '/admin/gc/status'],
      ['POST', '/admin/gc/run'],
      ['GET', '/admin/gc/history'],
    ] as const) {
      const res = await adminRequest(server, method, path, {
        auth: null,
        body: method === 'POST' ? {} : undefined,
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AccessDenied');
    }
    const wrong = await adminRequest(server, 'GET', '/admin/gc/status', {
      auth: { accessKey: server.accessKeyId, secretKey: 'wrong-secret' },
    });
    expect(wrong.status).toBe(403);
  });

  it('reports in a dry run, then collects leftovers and leaves objects alone', async () => {
    const root = server.storageRoot;
    const bdir = join(root, bucket);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/keep.txt', Body: 'keep me' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'folder/', Body: Buffer.alloc(0) }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));
    await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'big.bin',
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(1000, 1),
      }),
    );
    // Planted behind the gateway: a crashed upload's temp file, a fresh one, an old empty
    // directory chain and a stale conversion claim.
    const tmp = join(root, '.myfsio.sys/tmp');
    await writeFile(join(tmp, '999-deadbeef.tmp'), Buffer.alloc(300));
    await age(join(tmp, '999-deadbeef.tmp'), 2 * DAY);
    await writeFile(join(tmp, '999-fresh.tmp'), 'x');
    await mkdir(join(bdir, 'empty/inner'), { recursive: true });
    await age(join(bdir, 'empty/inner'), 2 * DAY);
    await age(join(bdir, 'empty'), 2 * DAY);
    await mkdir(join(bdir, 'docs/.myfsio.cv-old'));
    await age(join(bdir, 'docs/.myfsio.cv-old'), 2 * DAY);

    const dry = await adminRequest<GcReportBody>(server, 'POST', '/admin/gc/run', {
      body: { dry_run: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.collected).toMatchObject({
      tempFiles: 1,
      multipartUploads: 1,
      staleConversionClaims: 1,
      emptyDirectories: 1,
    });
    expect(dry.body.bytesFreed).toBe(1300);
    expect(dry.body.errors).toEqual([]);
    expect(existsSync(join(tmp, '999-deadbeef.tmp'))).toBe(true);
    expect(existsSync(join(bdir, 'empty/inner'))).toBe(true);
    const stillListed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(stillListed.Uploads?.map((u) => u.UploadId)).toEqual([upload.UploadId]);

    const real = await adminRequest<GcReportBody>(server, 'POST', '/admin/gc/run', {
      body: { dry_run: false },
    });
    expect(real.status).toBe(200);
    expect(real.body.collected).toEqual({
      tempFiles: 1,
      multipartUploads: 1,
      orphanedPartDirectories: 0,
      staleConversionClaims: 1,
      orphanedVersionFiles: 0,
      emptyDirectories: 2,
    });
    expect(real.body.errors).toEqual([]);
    expect(existsSync(join(tmp, '999-deadbeef.tmp'))).toBe(false);
    expect(existsSync(join(tmp, '999-fresh.tmp'))).toBe(true);
    expect(existsSync(join(bdir, 'empty'))).toBe(false);
    expect(existsSync(join(bdir, 'docs/.myfsio.cv-old'))).toBe(false);
    expect(await readdir(join(root, '.myfsio.sys/multipart')).catch(() => [])).toEqual([]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);

    // Objects and the folder marker are untouched.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['docs/keep.txt', 'folder/']);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/keep.txt' }));
    expect(await got.Body?.transformToString()).toBe('keep me');
  });

  it('pages the history newest first and shows the last run in the status', async () => {
    const all = await adminRequest<{ runs: { id: number; dryRun: boolean; kind: string }[]; total: number }>(
      server,
      'GET',
      '/admin/gc/history?limit=50&offset=0',
    );
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(2);
    expect(all.body.runs.map((r) => [r.kind, r.dryRun])).toEqual([
      ['gc', false],
      ['gc', true],
    ]);
    const second = await adminRequest<{ runs: { id: number }[]; limit: number; offset: number }>(
      server,
      'GET',
      '/admin/gc/history?limit=1&offset=1',
    );
    expect(second.body).toMatchObject({ limit: 1, offset: 1 });
    expect(second.body.runs.map((r) => r.id)).toEqual([all.body.runs[1]!.id]);
    const bad = await adminRequest(server, 'GET', '/admin/gc/history?limit=0');
    expect(bad.status).toBe(400);

    const status = await adminRequest<Record<string, unknown>>(server, 'GET', '/admin/gc/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      enabled: false,
      running: false,
      intervalHours: 6,
      dryRun: false,
      tempFileMaxAgeHours: 24,
      multipartMaxAgeDays: 0,
      lockFileMaxAgeHours: 1,
      lastRun: { id: all.body.runs[0]!.id, kind: 'gc', dryRun: false },
    });
  });

  it('rejects a run body with unknown or mistyped fields', async () => {
    const res = await adminRequest(server, 'POST', '/admin/gc/run', { body: { dry_run: 'yes' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ValidationError');
  });
});

describe('scheduled maintenance', () => {
  it('starts with GC and the integrity scanner enabled, reports them enabled, and shuts down cleanly', async () => {
    const server = await startServer({ env: { GC_ENABLED: 'true', INTEGRITY_ENABLED: 'true' } });
    try {
      const gc = await adminRequest(server, 'GET', '/admin/gc/status');
      expect(gc.body).toMatchObject({ enabled: true, intervalHours: 6 });
      const integrity = await adminRequest(server, 'GET', '/admin/integrity/status');
      expect(integrity.body).toMatchObject({ enabled: true, intervalHours: 24 });
    } finally {
      expect(await server.stop()).toBe(0);
      cleanup(server);
    }
  });
});
