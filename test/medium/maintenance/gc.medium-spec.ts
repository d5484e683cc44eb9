import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describeEachDialect } from '../support/db-matrix';
import { age, createHarness, DAY, HOUR, newBucket, putObject, type MaintenanceHarness } from './harness';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describeEachDialect('GcService', (entry) => {
  let h: MaintenanceHarness;
  beforeAll(async () => {
    h = await createHarness(entry);
  });
  afterAll(() => h?.close());

  it('reports in a dry run, collects in a real run, and touches nothing else', async () => {
    const bucket = await newBucket(h);
    const bdir = join(h.root, bucket.name);
    const tmp = join(h.root, '.myfsio.sys/tmp');
    const parts = join(h.root, '.myfsio.sys/multipart');
    await putObject(h, bucket, 'docs/keep.txt', 'keep me');
    await putObject(h, bucket, 'folder/', '');

    // Temp files: one stale, one fresh, one held staged by this process (old mtime, still in use).
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'stale.tmp'), 'x'.repeat(10));
    await age(join(tmp, 'stale.tmp'), 25 * HOUR);
    await writeFile(join(tmp, 'fresh.tmp'), 'y');
    const held = await h.store.stage(Readable.from([Buffer.from('held')]));
    for (const name of await readdir(tmp)) {
      if (name !== 'fresh.tmp') {
        await age(join(tmp, name), 25 * HOUR);
      }
    }

    // Multipart: an abandoned upload with a part, a recent one, and a part directory without a row.
    for (const [uploadId, initiated] of [
      ['abandoned', new Date(Date.now() - 8 * DAY)],
      ['recent', new Date()],
    ] as const) {
      await h.uploads.create(null, {
        uploadId,
        bucketId: bucket.id,
        key: 'big',
        ownerId: 'owner-1',
        storageClass: 'STANDARD',
        metadata: { userMetadata: {} },
        initiatedAt: initiated,
      });
      const part = await h.store.stagePart(uploadId, 1, Readable.from([Buffer.from('part-bytes')]));
      await part.publish();
    }
    const leftover = await h.store.stagePart('leftover', 1, Readable.from([Buffer.from('12345')]));
    await leftover.publish();
    await age(join(parts, 'leftover/1.827ccb0eea8a706c4c34a16891f84e7b'), 8 * DAY);
    await age(join(parts, 'leftover'), 8 * DAY);

    // Conversion claims: a stale empty one, a fresh empty one, an interrupted conversion.
    await mkdir(join(bdir, 'docs/.myfsio.cv-gone'));
    await age(join(bdir, 'docs/.myfsio.cv-gone'), 2 * HOUR);
    await mkdir(join(bdir, '.myfsio.cv-young'));
    await mkdir(join(bdir, '.myfsio.cv-solo'));
    await writeFile(join(bdir, '.myfsio.cv-solo/.myfsio.self'), 'only copy');
    await age(join(bdir, '.myfsio.cv-solo'), 2 * HOUR);

    // Version files: one referenced by a row, one orphaned.
    const vdir = join(h.root, '.myfsio.sys/versions', bucket.name);
    await mkdir(vdir, { recursive: true });
    await writeFile(join(vdir, 'v-old'), 'old version');
    await writeFile(join(vdir, 'v-ref'), 'referenced');
    await age(join(vdir, 'v-old'), 25 * HOUR);
    await age(join(vdir, 'v-ref'), 25 * HOUR);
    await h.uow.run((tx) =>
      h.versions.putCurrent(
        tx,
        {
          bucketId: bucket.id,
          key: 'versioned',
          versionId: 'v1',
          isDeleteMarker: false,
          size: 10,
          etag: '0'.repeat(32),
          ownerId: 'owner-1',
          storageClass: 'STANDARD',
          lastModified: new Date(),
          storagePath: `.myfsio.sys/versions/${bucket.name}/v-ref`,
        },
        { replaceNullVersion: false },
      ),
    );

    // Empty directories: an old chain, a fresh one.
    await mkdir(join(bdir, 'old/a/b'), { recursive: true });
    for (const p of ['old/a/b', 'old/a', 'old']) {
      await age(join(bdir, p), 2 * HOUR);
    }
    await mkdir(join(bdir, 'new-empty'));

    const dry = await h.gc.run({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.collected).toEqual({
      tempFiles: 1,
      multipartUploads: 1,
      orphanedPartDirectories: 1,
      staleConversionClaims: 1,
      orphanedVersionFiles: 1,
      // A dry run removes nothing, so only the deepest directory of the chain is empty yet.
      emptyDirectories: 1,
    });
    expect(dry.kept.interruptedConversions).toBe(1);
    expect(dry.bytesFreed).toBe(10 + 10 + 5 + 11);
    expect(dry.errors).toEqual([]);
    expect(await exists(join(tmp, 'stale.tmp'))).toBe(true);
    expect(await h.uploads.find('abandoned')).not.toBeNull();
    expect(await exists(join(parts, 'leftover'))).toBe(true);
    expect(await exists(join(bdir, 'old/a/b'))).toBe(true);

    const real = await h.gc.run({ dryRun: false });
    expect(real.collected).toEqual({
      tempFiles: 1,
      multipartUploads: 1,
      orphanedPartDirectories: 1,
      staleConversionClaims: 1,
      orphanedVersionFiles: 1,
      emptyDirectories: 3,
    });
    expect(real.errors).toEqual([]);
    expect(await readdir(tmp)).toEqual(expect.arrayContaining(['fresh.tmp']));
    expect(await exists(join(tmp, 'stale.tmp'))).toBe(false);
    expect(await h.uploads.find('abandoned')).toBeNull();
    expect(await h.uploads.find('recent')).not.toBeNull();
    expect((await readdir(parts)).sort()).toEqual(['recent']);
    expect(await exists(join(bdir, 'docs/.myfsio.cv-gone'))).toBe(false);
    expect(await exists(join(bdir, '.myfsio.cv-young'))).toBe(true);
    expect(await exists(join(bdir, '.myfsio.cv-solo/.myfsio.self'))).toBe(true);
    expect(await readdir(vdir)).toEqual(['v-ref']);
    expect(await exists(join(bdir, 'old'))).toBe(false);
    expect(await exists(join(bdir, 'new-empty'))).toBe(true);
    expect(await exists(join(bdir, 'docs/keep.txt'))).toBe(true);
    expect(await exists(join(bdir, 'folder/.myfsio.dir'))).toBe(true);
    expect(await exists(bdir)).toBe(true);
    // The staged upload this process still holds was never touched.
    await held.publish(bucket.name, 'held');
    expect(await exists(join(bdir, 'held'))).toBe(true);

    const page = await h.gc.historyPage(10, 0);
    expect(page.total).toBe(2);
    expect(page.runs.map((r) => r.dryRun)).toEqual([false, true]);
    expect(page.runs[0]!.result).toMatchObject({ collected: real.collected, bytesFreed: real.bytesFreed });
    expect((await h.gc.status()).lastRun?.id).toBe(page.runs[0]!.id);
  });

  it('finishes the work of a run that crashed between removing an upload row and its parts', async () => {
    const bucket = await newBucket(h);
    await h.uploads.create(null, {
      uploadId: 'crashed',
      bucketId: bucket.id,
      key: 'k',
      ownerId: 'owner-1',
      storageClass: 'STANDARD',
      metadata: { userMetadata: {} },
      initiatedAt: new Date(Date.now() - 8 * DAY),
    });
    const part = await h.store.stagePart('crashed', 1, Readable.from([Buffer.from('p')]));
    await part.publish();
    const dir = join(h.root, '.myfsio.sys/multipart/crashed');
    for (const name of await readdir(dir)) {
      await age(join(dir, name), 8 * DAY);
    }
    await age(dir, 8 * DAY);
    // The crash: the row is gone, the parts stayed.
    await h.uploads.delete(null, 'crashed');
    const report = await h.gc.run({ dryRun: false });
    expect(report.collected.orphanedPartDirectories).toBe(1);
    expect(await exists(dir)).toBe(false);
  });
});
