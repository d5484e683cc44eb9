import { MaintenanceHistoryRepository } from '@myfsio/metadata';
import { describeEachDialect } from '../support/db-matrix';
import { newBucket, putKeys, useMetadataDb, version } from './harness';

describeEachDialect('maintenance queries', (entry) => {
  const db = useMetadataDb(entry);

  describe('MaintenanceHistoryRepository', () => {
    it('records runs and pages them per kind, newest first, with the total', async () => {
      const h = db();
      const history = new MaintenanceHistoryRepository(h.ds, h.uow);
      const base = 1_800_000_000_000;
      for (let i = 0; i < 5; i++) {
        await history.record({
          kind: 'gc',
          trigger: i % 2 === 0 ? 'scheduled' : 'manual',
          dryRun: i === 4,
          startedAt: new Date(base + i * 1000),
          finishedAt: new Date(base + i * 1000 + 500),
          result: { counts: { tempFiles: i }, bytesFreed: i * 10, errors: [] },
        });
      }
      const integrity = await history.record({
        kind: 'integrity',
        trigger: 'manual',
        dryRun: false,
        startedAt: new Date(base),
        finishedAt: new Date(base + 1),
        result: { scanned: 3 },
      });
      expect(integrity.id).toEqual(expect.any(Number));

      const first = await history.page('gc', 2, 0);
      expect(first.total).toBe(5);
      expect(first.runs.map((r) => (r.result.counts as { tempFiles: number }).tempFiles)).toEqual([4, 3]);
      expect(first.runs[0]).toMatchObject({ kind: 'gc', dryRun: true, trigger: 'scheduled' });
      expect(first.runs[0]!.startedAt).toEqual(new Date(base + 4000));
      const last = await history.page('gc', 2, 4);
      expect(last.runs.map((r) => r.result.bytesFreed)).toEqual([0]);
      expect(await history.page('gc', 2, 10)).toEqual({ runs: [], total: 5 });
      expect((await history.latest('integrity'))?.result).toEqual({ scanned: 3 });
    });
  });

  describe('ObjectVersionRepository maintenance queries', () => {
    it('scans latest rows after a key in byte order, a batch at a time', async () => {
      const h = db();
      const bucket = await newBucket(h);
      await putKeys(h, bucket.id, ['b', 'a', 'a/b', 'é', 'c', 'Z']);
      const first = await h.objects.scanLatestAfter(bucket.id, null, 3);
      expect(first.map((v) => v.key)).toEqual(['Z', 'a', 'a/b']);
      const next = await h.objects.scanLatestAfter(bucket.id, 'a/b', 3);
      expect(next.map((v) => v.key)).toEqual(['b', 'c', 'é']);
      expect(await h.objects.scanLatestAfter(bucket.id, 'é', 3)).toEqual([]);
    });

    it('finds the latest rows of a batch of keys', async () => {
      const h = db();
      const bucket = await newBucket(h);
      await putKeys(h, bucket.id, ['x', 'y']);
      const found = await h.objects.findLatestMany(bucket.id, ['x', 'nope', 'y']);
      expect([...found.keys()].sort()).toEqual(['x', 'y']);
      expect((await h.objects.findLatestMany(bucket.id, [])).size).toBe(0);
    });

    it('rewrites content only while the row is unchanged', async () => {
      const h = db();
      const bucket = await newBucket(h);
      const put = await h.uow.run((tx) =>
        h.objects.putCurrent(
          tx,
          version(bucket.id, 'k', { checksums: { CRC32: 'AAAAAA==' }, partsCount: 2, etag: 'e-2' }),
          { replaceNullVersion: true },
        ),
      );
      const v = put.version;
      const content = {
        size: 9,
        etag: '0123456789abcdef0123456789abcdef',
        lastModified: new Date(1_800_000_000_000),
      };
      expect(
        await h.objects.replaceContentIf(
          null,
          v.id,
          { etag: 'other', lastModified: v.lastModified },
          content,
        ),
      ).toBe(false);
      expect(
        await h.objects.replaceContentIf(null, v.id, { etag: v.etag, lastModified: v.lastModified }, content),
      ).toBe(true);
      const after = await h.objects.findById(v.id);
      expect(after).toMatchObject({ ...content, checksums: null, partsCount: null, partSizes: null });
    });

    it('deletes a row only while it is unchanged', async () => {
      const h = db();
      const bucket = await newBucket(h);
      await putKeys(h, bucket.id, ['gone']);
      const v = (await h.objects.findCurrent(bucket.id, 'gone'))!;
      const stale = await h.uow.run((tx) =>
        h.objects.deleteVersionIf(tx, v.id, { etag: v.etag, lastModified: new Date(1) }),
      );
      expect(stale).toBeNull();
      const done = await h.uow.run((tx) =>
        h.objects.deleteVersionIf(tx, v.id, { etag: v.etag, lastModified: v.lastModified }),
      );
      expect(done?.deleted?.id).toBe(v.id);
      expect(await h.objects.findCurrent(bucket.id, 'gone')).toBeNull();
    });

    it('tells which storage paths rows reference', async () => {
      const h = db();
      const bucket = await newBucket(h);
      await h.uow.run((tx) =>
        h.objects.putCurrent(
          tx,
          version(bucket.id, 'v', { versionId: 'v1', storagePath: '.myfsio.sys/versions/a' }),
          {
            replaceNullVersion: false,
          },
        ),
      );
      const refs = await h.objects.referencedStoragePaths([
        '.myfsio.sys/versions/a',
        '.myfsio.sys/versions/b',
      ]);
      expect([...refs]).toEqual(['.myfsio.sys/versions/a']);
      expect((await h.objects.referencedStoragePaths([])).size).toBe(0);
    });
  });

  describe('MultipartRepository.existingUploadIds', () => {
    it('returns the ids of uploads in progress among those given', async () => {
      const h = db();
      const bucket = await newBucket(h);
      await h.multipart.create(null, {
        uploadId: 'up-1',
        bucketId: bucket.id,
        key: 'k',
        ownerId: 'owner-1',
        storageClass: 'STANDARD',
        metadata: { userMetadata: {} },
      });
      expect([...(await h.multipart.existingUploadIds(['up-1', 'up-2']))]).toEqual(['up-1']);
      expect((await h.multipart.existingUploadIds([])).size).toBe(0);
    });
  });
});
