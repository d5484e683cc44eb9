import { BucketsService } from '@myfsio/buckets';
import { LifecycleRunner, LifecycleService, type LifecycleRule } from '@myfsio/lifecycle';
import {
  BucketConfigRepository,
  BucketRepository,
  MultipartRepository,
  ObjectVersionRepository,
  UnitOfWork,
} from '@myfsio/metadata';
import { MultipartModule, MultipartService } from '@myfsio/multipart';
import { ObjectsService } from '@myfsio/objects';
import type { TestingModule } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createScratchDb, describeEachDialect, type ScratchDb } from '../support/db-matrix';
import { startObjectServices } from '../support/object-services';

const OWNER = 'owner-1';
/** A far-future "now": every rule with Days is due. */
const LATER = () => new Date('2100-01-01T00:00:00Z');

describeEachDialect('LifecycleRunner', (entry) => {
  let db: ScratchDb;
  let root: string;
  let moduleRef: TestingModule;
  let runner: LifecycleRunner;
  let objects: ObjectsService;
  let buckets: BucketsService;
  let versions: ObjectVersionRepository;
  let configs: BucketConfigRepository;

  beforeAll(async () => {
    db = await createScratchDb(entry);
    root = await mkdtemp(join(tmpdir(), 'myfsio-lifecycle-'));
    moduleRef = await startObjectServices({
      root,
      env: { LIFECYCLE_DAY_SECONDS: '1' },
      databaseUrl: db.databaseUrl,
      sqlitePath: db.sqlitePath,
      imports: [MultipartModule],
      // The services without LifecycleModule's scheduler: the test runs passes itself.
      providers: [LifecycleService, LifecycleRunner],
    });
    runner = moduleRef.get(LifecycleRunner);
    objects = moduleRef.get(ObjectsService);
    buckets = moduleRef.get(BucketsService);
    versions = moduleRef.get(ObjectVersionRepository);
    configs = moduleRef.get(BucketConfigRepository);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await rm(root, { recursive: true, force: true });
    await db?.drop();
  });

  const put = (bucket: string, key: string, body = key) =>
    objects.putObject({
      bucket,
      key,
      body: Readable.from([Buffer.from(body)]),
      bodyLength: Buffer.byteLength(body),
      isAwsChunked: false,
      trailers: Promise.resolve({}),
      headers: {},
      ownerId: OWNER,
    });
  const setRules = async (bucketId: string, Rules: LifecycleRule[]) =>
    configs.put(null, bucketId, 'lifecycle', JSON.stringify({ Rules }));
  const currentKeys = async (bucketId: string) =>
    (await versions.listCurrent({ bucketId, prefix: '', maxKeys: 10_000 })).entries.map((v) => v.key);

  it('expires current objects under the prefix across several index pages, rows and files', async () => {
    const bucket = await buckets.create({ name: `lc-pages-${entry.dialect}`, ownerId: OWNER });
    const expiring = Array.from({ length: 520 }, (_, i) => `exp/${String(i).padStart(4, '0')}`);
    for (const key of [...expiring, 'keep/a', 'expx']) {
      await put(bucket.name, key);
    }
    await setRules(bucket.id, [
      { ID: 'exp', Status: 'Enabled', Filter: { Prefix: 'exp/' }, Expiration: { Days: 1 } },
    ]);
    // Not yet due: nothing happens.
    const early = await runner.run(() => new Date(Date.now() - 60_000));
    expect(early.objectsExpired).toBe(0);
    const stats = await runner.run(LATER);
    expect(stats).toMatchObject({ objectsExpired: 520, errors: 0 });
    expect(await currentKeys(bucket.id)).toEqual(['expx', 'keep/a']);
    expect(existsSync(join(root, bucket.name, 'exp', '0000'))).toBe(false);
    expect(existsSync(join(root, bucket.name, 'keep', 'a'))).toBe(true);
    // A second pass finds nothing left to do.
    expect((await runner.run(LATER)).objectsExpired).toBe(0);
  });

  it('never expires a write that replaced the object the scan saw', async () => {
    const bucket = await buckets.create({ name: `lc-race-${entry.dialect}`, ownerId: OWNER });
    await put(bucket.name, 'k', 'old');
    const seen = await versions.findCurrent(bucket.id, 'k');
    await put(bucket.name, 'k', 'new');
    await objects.deleteObject({
      bucket: bucket.name,
      key: 'k',
      query: new URLSearchParams(),
      headers: {},
      ownerId: OWNER,
      expectedRowId: seen?.id,
    });
    expect((await versions.findCurrent(bucket.id, 'k'))?.etag).not.toBe(seen?.etag);
    expect(existsSync(join(root, bucket.name, 'k'))).toBe(true);
  });

  it('aborts the incomplete multipart uploads under the prefix only', async () => {
    const bucket = await buckets.create({ name: `lc-mpu-${entry.dialect}`, ownerId: OWNER });
    const multipart = moduleRef.get(MultipartService);
    const upload = (key: string) =>
      multipart.createMultipartUpload({ bucket: bucket.name, key, headers: {}, ownerId: OWNER });
    const stale = await upload('tmp/a');
    const other = await upload('data/b');
    await setRules(bucket.id, [
      {
        ID: 'mpu',
        Status: 'Enabled',
        Filter: { Prefix: 'tmp/' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
    const stats = await runner.run(LATER);
    expect(stats.uploadsAborted).toBe(1);
    const repo = moduleRef.get(MultipartRepository);
    expect(await repo.find(stale.uploadId)).toBeNull();
    expect(await repo.find(other.uploadId)).not.toBeNull();
  });

  it('expires noncurrent versions beyond NewerNoncurrentVersions and a lone delete marker', async () => {
    const bucket = await buckets.create({ name: `lc-ver-${entry.dialect}`, ownerId: OWNER });
    await moduleRef.get(BucketRepository).update(null, bucket.id, { versioning: 'Enabled' });
    buckets.invalidate(bucket.name);
    const uow = moduleRef.get(UnitOfWork);
    // TODO(issue 6): write these through PutObject/DeleteObject once versioning lands.
    const insert = (key: string, versionId: string, at: string, isDeleteMarker = false) =>
      uow.run((tx) =>
        versions.putCurrent(
          tx,
          {
            bucketId: bucket.id,
            key,
            versionId,
            isDeleteMarker,
            size: isDeleteMarker ? 0 : 1,
            etag: 'e',
            ownerId: OWNER,
            storageClass: 'STANDARD',
            lastModified: new Date(at),
            createdAt: new Date(at),
          },
          { replaceNullVersion: false },
        ),
      );
    for (const [i, at] of ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'].entries()) {
      await insert('n/k', `v${i + 1}`, `${at}T00:00:00Z`);
    }
    await insert('m/gone', 'm1', '2024-01-01T00:00:00Z', true);
    await insert('m/kept', 'k1', '2024-01-01T00:00:00Z');
    await insert('m/kept', 'k2', '2024-01-02T00:00:00Z', true);
    await setRules(bucket.id, [
      {
        ID: 'nve',
        Status: 'Enabled',
        Filter: { Prefix: 'n/' },
        NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 },
      },
      {
        ID: 'dm',
        Status: 'Enabled',
        Filter: { Prefix: 'm/' },
        Expiration: { ExpiredObjectDeleteMarker: true },
      },
    ]);
    const stats = await runner.run(LATER);
    expect(stats).toMatchObject({ noncurrentVersionsExpired: 2, deleteMarkersRemoved: 1, errors: 0 });
    const left = await versions.listVersions({ bucketId: bucket.id, prefix: '', maxKeys: 100 });
    expect(left.versions.map((v) => `${v.key}@${v.versionId}`)).toEqual([
      'm/kept@k2',
      'm/kept@k1',
      'n/k@v4',
      'n/k@v3',
    ]);
  });
});
