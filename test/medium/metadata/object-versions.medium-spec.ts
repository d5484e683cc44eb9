import { describeEachDialect } from '../support/db-matrix';
import { newBucket, useMetadataDb, version } from './harness';

describeEachDialect('ObjectVersionRepository versions', (entry) => {
  const db = useMetadataDb(entry);

  it('replaces the null version on unversioned writes and returns the removed row', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const first = await h.uow.run((tx) =>
      h.objects.putCurrent(tx, version(bucket.id, 'k', { etag: 'e1' }), { replaceNullVersion: true }),
    );
    expect(first).toMatchObject({ demoted: null, removed: [] });
    expect(first.version).toMatchObject({ key: 'k', versionId: 'null', isLatest: true, etag: 'e1' });

    const second = await h.uow.run((tx) =>
      h.objects.putCurrent(tx, version(bucket.id, 'k', { etag: 'e2' }), { replaceNullVersion: true }),
    );
    expect(second.demoted).toBeNull();
    expect(second.removed).toEqual([
      expect.objectContaining({ id: first.version.id, etag: 'e1', versionId: 'null' }),
    ]);
    expect(await h.objects.findCurrent(bucket.id, 'k')).toMatchObject({ id: second.version.id, etag: 'e2' });
    expect(await h.objects.findById(first.version.id)).toBeNull();
  });

  it('finds one version of many keys at once, skipping keys without it', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const keys = [
      'a',
      'a/b',
      'é 中 😀',
      'k'.repeat(1024),
      ...Array.from({ length: 600 }, (_, i) => `many/${i}`),
    ];
    await h.uow.run(async (tx) => {
      for (const key of keys) {
        await h.objects.putCurrent(tx, version(bucket.id, key), { replaceNullVersion: true });
      }
    });
    const found = await h.uow.run((tx) =>
      h.objects.findVersions(bucket.id, [...keys, 'missing', 'a'], 'null', tx),
    );
    expect(found.size).toBe(keys.length);
    expect(found.get('é 中 😀')).toMatchObject({ key: 'é 中 😀', versionId: 'null', isLatest: true });
    expect(found.get('k'.repeat(1024))).toMatchObject({ key: 'k'.repeat(1024) });
    expect(found.has('missing')).toBe(false);
    expect((await h.objects.findVersions(bucket.id, ['a'], 'v1')).size).toBe(0);
    expect((await h.objects.findVersions(bucket.id, [], 'null')).size).toBe(0);
  });

  it('keeps history on versioned writes and replaces only the null version when suspended', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    // Creation times one millisecond apart, as ObjectWriter orders them (nextCreatedAt): writes
    // within one millisecond would otherwise list by version id.
    let createdAt = Date.now();
    const put = (versionId: string, replaceNullVersion: boolean, patch = {}) =>
      h.uow.run((tx) =>
        h.objects.putCurrent(
          tx,
          version(bucket.id, 'doc', { versionId, createdAt: new Date(++createdAt), ...patch }),
          { replaceNullVersion },
        ),
      );

    const nullV = await put('null', true);
    const v1 = await put('v1', false);
    expect(v1.demoted).toMatchObject({ id: nullV.version.id, isLatest: false });
    expect(v1.removed).toEqual([]);
    const v2 = await put('v2', false);
    expect(v2.demoted).toMatchObject({ id: v1.version.id });

    // Suspended: the new null version replaces the old null version, v2 stays as history.
    const suspended = await put('null', true, { etag: 'new-null' });
    expect(suspended.removed.map((r) => r.id)).toEqual([nullV.version.id]);
    expect(suspended.demoted).toMatchObject({ id: v2.version.id });

    const versions = await h.objects.listVersions({ bucketId: bucket.id, prefix: '', maxKeys: 10 });
    expect(versions.versions.map((v) => [v.versionId, v.isLatest])).toEqual([
      ['null', true],
      ['v2', false],
      ['v1', false],
    ]);
  });

  it('lets exactly one of two concurrent first writes of a key be latest', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        h.uow.run(
          (tx) =>
            h.objects.putCurrent(tx, version(bucket.id, 'race', { versionId: v }), {
              replaceNullVersion: false,
            }),
          // As the object writer runs it: racing first inserts may deadlock on MariaDB.
          { isRestartable: true },
        ),
      ),
    );
    const all = await h.objects.listVersions({ bucketId: bucket.id, prefix: 'race', maxKeys: 10 });
    expect(all.versions).toHaveLength(3);
    expect(all.versions.filter((v) => v.isLatest)).toHaveLength(1);

    await Promise.all(
      [1, 2, 3].map(() =>
        h.uow.run(
          (tx) => h.objects.putCurrent(tx, version(bucket.id, 'nullrace'), { replaceNullVersion: true }),
          { isRestartable: true },
        ),
      ),
    );
    const nulls = await h.objects.listVersions({ bucketId: bucket.id, prefix: 'nullrace', maxKeys: 10 });
    expect(nulls.versions).toEqual([expect.objectContaining({ versionId: 'null', isLatest: true })]);
  });

  it('promotes the next newest version when the latest is deleted', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    const at = (ms: number) => new Date(1_700_000_000_000 + ms);
    const ids = await h.uow.run(async (tx) => {
      const out: string[] = [];
      for (const [i, v] of ['v1', 'v2', 'dm'].entries()) {
        const res = await h.objects.putCurrent(
          tx,
          version(bucket.id, 'p', { versionId: v, isDeleteMarker: v === 'dm', createdAt: at(i) }),
          { replaceNullVersion: false },
        );
        out.push(res.version.id);
      }
      return out;
    });

    const dropMarker = await h.uow.run((tx) => h.objects.deleteVersion(tx, ids[2]!));
    expect(dropMarker.deleted).toMatchObject({ versionId: 'dm', isDeleteMarker: true });
    expect(dropMarker.promoted).toMatchObject({ versionId: 'v2', isLatest: true });
    expect(await h.objects.findCurrent(bucket.id, 'p')).toMatchObject({ versionId: 'v2' });

    const dropOld = await h.uow.run((tx) => h.objects.deleteVersion(tx, ids[0]!));
    expect(dropOld).toMatchObject({ deleted: { versionId: 'v1' }, promoted: null });
    expect(await h.uow.run((tx) => h.objects.deleteVersion(tx, ids[0]!))).toEqual({
      deleted: null,
      promoted: null,
    });

    await h.uow.run((tx) => h.objects.deleteVersion(tx, ids[1]!));
    expect(await h.objects.findCurrent(bucket.id, 'p')).toBeNull();
  });

  it('pages through versions with key and version-id markers, newest first within a key', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    await h.uow.run(async (tx) => {
      let t = 0;
      for (const key of ['a', 'b/1', 'b/2', 'c']) {
        for (const v of ['v1', 'v2', 'v3']) {
          await h.objects.putCurrent(
            tx,
            version(bucket.id, key, { versionId: v, createdAt: new Date(1_700_000_000_000 + t++) }),
            { replaceNullVersion: false },
          );
        }
      }
    });
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await h.objects.listVersions({
        bucketId: bucket.id,
        prefix: '',
        keyMarker,
        versionIdMarker,
        maxKeys: 2,
      });
      seen.push(...page.versions.map((v) => `${v.key}@${v.versionId}`));
      if (!page.isTruncated) {
        break;
      }
      keyMarker = page.nextKeyMarker!;
      versionIdMarker = page.nextVersionIdMarker ?? undefined;
    }
    expect(seen).toEqual(['a', 'b/1', 'b/2', 'c'].flatMap((k) => ['v3', 'v2', 'v1'].map((v) => `${k}@${v}`)));

    const rolled = await h.objects.listVersions({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxKeys: 4,
    });
    expect(rolled.versions.map((v) => `${v.key}@${v.versionId}`)).toEqual(['a@v3', 'a@v2', 'a@v1']);
    expect(rolled).toMatchObject({
      commonPrefixes: ['b/'],
      isTruncated: true,
      nextKeyMarker: 'b/',
      nextVersionIdMarker: null,
    });
    const rest = await h.objects.listVersions({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      keyMarker: 'b/',
      maxKeys: 4,
    });
    expect(rest.versions.map((v) => `${v.key}@${v.versionId}`)).toEqual(['c@v3', 'c@v2', 'c@v1']);
    expect(rest.commonPrefixes).toEqual([]);
  });

  it('round-trips sizes above 2^32, timestamps, checksums, metadata and tags', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const size = 5 * 1024 ** 4 + 7; // 5 TiB + 7, far above 2^32
    const lastModified = new Date(1_700_000_000_789);
    const put = await h.uow.run((tx) =>
      h.objects.putCurrent(
        tx,
        version(bucket.id, 'big', {
          size,
          etag: '9b2cf535f27731c974343645a3985328-10000',
          lastModified,
          partsCount: 10000,
          checksums: { CRC32: 'AAAAAA==', SHA256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' },
          checksumType: 'COMPOSITE',
          contentType: 'video/mp4',
          userMetadata: { 'x-owner': 'é 中 😀' },
          tags: { project: 'ünïcode' },
          storagePath: '.myfsio.sys/versions/x',
        }),
        { replaceNullVersion: true },
      ),
    );
    const found = await h.objects.findVersion(bucket.id, 'big', 'null');
    expect(found).toEqual(put.version);
    expect(found).toMatchObject({
      size,
      lastModified,
      partsCount: 10000,
      checksumType: 'COMPOSITE',
      userMetadata: { 'x-owner': 'é 中 😀' },
      tags: { project: 'ünïcode' },
      contentEncoding: null,
    });
    expect(typeof found!.size).toBe('number');

    expect(await h.objects.countByBucket(bucket.id)).toEqual({ objectCount: 1, totalSize: size });
    expect(await h.objects.update(null, found!.id, { tags: null, storagePath: null })).toBe(true);
    expect(await h.objects.findById(found!.id)).toMatchObject({ tags: null, storagePath: null, size });
    expect(await h.objects.update(null, 'missing', { tags: null })).toBe(false);
  });

  it('deletes many rows by id', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    const ids = await h.uow.run(async (tx) => {
      const out: string[] = [];
      for (const v of ['v1', 'v2', 'v3']) {
        out.push(
          (
            await h.objects.putCurrent(tx, version(bucket.id, 'm', { versionId: v }), {
              replaceNullVersion: false,
            })
          ).version.id,
        );
      }
      return out;
    });
    expect(await h.uow.run((tx) => h.objects.deleteMany(tx, ids.slice(0, 2)))).toBe(2);
    expect(await h.uow.run((tx) => h.objects.deleteMany(tx, []))).toBe(0);
    expect(
      (await h.objects.listVersions({ bucketId: bucket.id, prefix: '', maxKeys: 10 })).versions.map(
        (v) => v.versionId,
      ),
    ).toEqual(['v3']);
  });

  it('reads committed state outside the transaction and its own writes inside', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await h.uow.run(async (tx) => {
      await h.objects.putCurrent(tx, version(bucket.id, 'pending'), { replaceNullVersion: true });
      expect(await h.objects.findCurrent(bucket.id, 'pending', tx)).not.toBeNull();
      expect(await h.objects.findCurrent(bucket.id, 'pending')).toBeNull();
    });
    expect(await h.objects.findCurrent(bucket.id, 'pending')).not.toBeNull();

    await expect(
      h.uow.run(async (tx) => {
        await h.objects.putCurrent(tx, version(bucket.id, 'rolled-back'), { replaceNullVersion: true });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await h.objects.findCurrent(bucket.id, 'rolled-back')).toBeNull();
  });

  it('refuses a nested UnitOfWork.run instead of deadlocking', async () => {
    const h = db();
    await expect(h.uow.run(() => h.uow.run(() => Promise.resolve(1)))).rejects.toThrow(
      'pass the outer tx down',
    );
    // Work started after the transaction ended is not nested.
    await expect(h.uow.run(() => Promise.resolve(2))).resolves.toBe(2);
  });
});
