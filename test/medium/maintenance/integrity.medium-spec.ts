import { IntegrityModule, IntegrityService } from '@myfsio/integrity';
import { mkdir, readdir, unlink, utimes, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describeEachDialect } from '../support/db-matrix';
import { age, createHarness, HOUR, md5Hex, newBucket, putObject, type MaintenanceHarness } from './harness';

describeEachDialect('IntegrityService', (entry) => {
  let h: MaintenanceHarness;
  let integrity: IntegrityService;
  beforeAll(async () => {
    h = await createHarness(entry, {}, [IntegrityModule]);
    integrity = h.moduleRef.get(IntegrityService);
  });
  afterAll(() => h?.close());

  it('detects, then heals, files changed, added and removed behind the gateway', async () => {
    const bucket = await newBucket(h);
    const bdir = join(h.root, bucket.name);
    await putObject(h, bucket, 'ok.txt', 'fine');
    await putObject(h, bucket, 'changed.txt', 'original');
    await putObject(h, bucket, 'grown.txt', 'short');
    await putObject(h, bucket, 'gone.txt', 'soon gone');
    await putObject(h, bucket, 'mp.bin', 'x'.repeat(15), {
      etag: `${'0'.repeat(32)}-2`,
      partsCount: 2,
      partSizes: [
        [10, 1],
        [5, 1],
      ],
    });
    await putObject(h, bucket, 'mp-ok.bin', 'y'.repeat(15), {
      etag: `${'1'.repeat(32)}-2`,
      partsCount: 2,
      partSizes: [
        [10, 1],
        [5, 1],
      ],
    });
    // Behind the gateway:
    await writeFile(join(bdir, 'changed.txt'), 'tampered'); // same size, other bytes
    await writeFile(join(bdir, 'grown.txt'), 'much longer now');
    await unlink(join(bdir, 'gone.txt'));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(bdir, 'mp.bin'), later, later);
    await mkdir(join(bdir, 'added'));
    await writeFile(join(bdir, 'added/new.json'), '{"a":1}');
    const vdir = join(h.root, '.myfsio.sys/versions', bucket.name);
    await mkdir(vdir, { recursive: true });
    await writeFile(join(vdir, 'stray'), 'stray version');
    await age(join(vdir, 'stray'), 25 * HOUR);

    const expectedIssues = {
      corruptedObjects: 3,
      orphanedObjects: 1,
      phantomMetadata: 1,
      orphanedVersionFiles: 1,
    };
    const dry = await integrity.run({ dryRun: true, autoHeal: true });
    expect(dry.issues).toEqual(expectedIssues);
    expect(dry.healed).toEqual({
      corruptedObjects: 0,
      orphanedObjects: 0,
      phantomMetadata: 0,
      orphanedVersionFiles: 0,
    });
    expect(dry.passCompleted).toBe(true);
    expect(dry.errors).toEqual([]);
    expect(dry.details.map((d) => `${d.type} ${d.key ?? d.path}`).sort()).toEqual(
      [
        'corrupted_object changed.txt',
        'corrupted_object grown.txt',
        'corrupted_object mp.bin',
        'orphaned_object added/new.json',
        'phantom_metadata gone.txt',
        `orphaned_version .myfsio.sys/versions/${bucket.name}/stray`,
      ].sort(),
    );
    expect((await h.versions.findCurrent(bucket.id, 'changed.txt'))?.etag).toBe(md5Hex('original'));
    expect(await h.versions.findCurrent(bucket.id, 'added/new.json')).toBeNull();
    expect(await h.versions.findCurrent(bucket.id, 'gone.txt')).not.toBeNull();
    expect(await readdir(vdir)).toEqual(['stray']);

    const reportOnly = await integrity.run({ dryRun: false, autoHeal: false });
    expect(reportOnly.issues).toEqual(expectedIssues);
    expect(reportOnly.healed.corruptedObjects).toBe(0);

    const healed = await integrity.run({ dryRun: false, autoHeal: true });
    expect(healed.issues).toEqual(expectedIssues);
    expect(healed.healed).toEqual(expectedIssues);
    expect(await h.versions.findCurrent(bucket.id, 'changed.txt')).toMatchObject({
      etag: md5Hex('tampered'),
      size: 8,
    });
    expect(await h.versions.findCurrent(bucket.id, 'grown.txt')).toMatchObject({
      etag: md5Hex('much longer now'),
      size: 15,
    });
    expect(await h.versions.findCurrent(bucket.id, 'mp.bin')).toMatchObject({
      etag: md5Hex('x'.repeat(15)),
      partsCount: null,
      partSizes: null,
    });
    expect(await h.versions.findCurrent(bucket.id, 'gone.txt')).toBeNull();
    expect(await h.versions.findCurrent(bucket.id, 'added/new.json')).toMatchObject({
      etag: md5Hex('{"a":1}'),
      size: 7,
      contentType: 'application/json',
      ownerId: 'owner-1',
    });
    // The file is gone and its emptied directory pruned.
    expect(await readdir(join(h.root, '.myfsio.sys/versions'))).toEqual([]);
    expect((await h.versions.findCurrent(bucket.id, 'mp-ok.bin'))?.etag).toBe(`${'1'.repeat(32)}-2`);

    const clean = await integrity.run({ dryRun: false, autoHeal: true });
    expect(clean.issues).toEqual({
      corruptedObjects: 0,
      orphanedObjects: 0,
      phantomMetadata: 0,
      orphanedVersionFiles: 0,
    });

    const history = await integrity.historyPage(2, 0);
    expect(history.total).toBe(4);
    expect(history.runs[1]!.result).toMatchObject({
      issues: expectedIssues,
      healed: expectedIssues,
      autoHeal: true,
    });
  });
});

describeEachDialect('IntegrityService in batches', (entry) => {
  let h: MaintenanceHarness;
  let integrity: IntegrityService;
  beforeAll(async () => {
    h = await createHarness(entry, { INTEGRITY_BATCH_SIZE: '3' }, [IntegrityModule]);
    integrity = h.moduleRef.get(IntegrityService);
  });
  afterAll(() => h?.close());

  it('scans at most a batch per run and resumes from the saved cursor until the pass is complete', async () => {
    const bucket = await newBucket(h);
    const bdir = join(h.root, bucket.name);
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      await putObject(h, bucket, key, key);
    }
    await unlink(join(bdir, 'k4'));
    await writeFile(join(bdir, 'k9'), 'added');

    const first = await integrity.run({ dryRun: true });
    expect(first.scanned.objects).toBe(3);
    expect(first.passCompleted).toBe(false);
    expect(first.cursor).toEqual({ bucket: bucket.name, phase: 'rows', afterKey: 'k3' });
    expect((await integrity.status()).cursor).toEqual(first.cursor);

    const runs = [first];
    while (!runs[runs.length - 1]!.passCompleted) {
      runs.push(await integrity.run({ dryRun: true }));
      expect(runs.length).toBeLessThan(10);
    }
    const total = (f: (r: (typeof runs)[0]) => number) => runs.reduce((sum, r) => sum + f(r), 0);
    expect(total((r) => r.scanned.objects)).toBe(5);
    expect(total((r) => r.scanned.files)).toBe(5);
    expect(total((r) => r.issues.phantomMetadata)).toBe(1);
    expect(total((r) => r.issues.orphanedObjects)).toBe(1);
    expect((await integrity.status()).cursor).toBeNull();
  });
});

describeEachDialect('IntegrityService crash safety', (entry) => {
  let h: MaintenanceHarness;
  let integrity: IntegrityService;
  beforeAll(async () => {
    h = await createHarness(entry, {}, [IntegrityModule]);
    integrity = h.moduleRef.get(IntegrityService);
  });
  afterAll(() => h?.close());

  it('indexes an added file only after hashing all of it; a run that fails midway leaves it for the next', async () => {
    const bucket = await newBucket(h);
    await writeFile(join(h.root, bucket.name, 'big.bin'), Buffer.alloc(200_000, 7));
    // The read fails after the first chunk, as a crash or an I/O error would end it.
    const open = jest.spyOn(h.store, 'open').mockImplementationOnce(() =>
      Promise.resolve({
        stream: Readable.from(
          (async function* () {
            await Promise.resolve();
            yield Buffer.alloc(1000, 7);
            throw new Error('EIO: read failed');
          })(),
        ),
        size: 200_000,
        mtimeMs: 0,
      }),
    );
    const failed = await integrity.run({ dryRun: false, autoHeal: true });
    expect(failed.errors).toEqual([expect.stringContaining('EIO: read failed')]);
    expect(failed.healed.orphanedObjects).toBe(0);
    expect(await h.versions.findCurrent(bucket.id, 'big.bin')).toBeNull();
    open.mockRestore();

    const next = await integrity.run({ dryRun: false, autoHeal: true });
    expect(next.healed.orphanedObjects).toBe(1);
    expect(await h.versions.findCurrent(bucket.id, 'big.bin')).toMatchObject({
      size: 200_000,
      etag: md5Hex(Buffer.alloc(200_000, 7)),
    });
  });
});
