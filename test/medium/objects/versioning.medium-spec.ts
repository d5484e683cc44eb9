import { BucketsService } from '@myfsio/buckets';
import { ObjectVersionRepository, type Bucket } from '@myfsio/metadata';
import { ObjectsService } from '@myfsio/objects';
import type { TestingModule } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDb, describeEachDialect, type ScratchDb } from '../support/db-matrix';
import { getText, putObjectInput, startObjectServices } from '../support/object-services';

const OWNER = 'owner-1';

describeEachDialect('ObjectsService versioning', (entry) => {
  let root: string;
  let db: ScratchDb;
  let moduleRef: TestingModule;
  let objects: ObjectsService;
  let buckets: BucketsService;
  let versions: ObjectVersionRepository;
  let counter = 0;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'myfsio-versioning-'));
    db = await createScratchDb(entry);
    moduleRef = await startObjectServices({ root, databaseUrl: db.databaseUrl });
    objects = moduleRef.get(ObjectsService);
    buckets = moduleRef.get(BucketsService);
    versions = moduleRef.get(ObjectVersionRepository);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  async function newBucket(versioning?: 'Enabled' | 'Suspended'): Promise<Bucket> {
    counter++;
    const bucket = await buckets.create({ name: `ver-${entry.dialect}-${counter}`, ownerId: OWNER });
    return versioning === undefined ? bucket : buckets.setVersioning(bucket.name, versioning);
  }

  function put(
    bucket: string,
    key: string,
    data: string,
    headers: Record<string, string> = {},
  ): Promise<{ versionId: string | null }> {
    const md5 = createHash('md5').update(data).digest('base64');
    return objects.putObject(putObjectInput(bucket, key, data, { 'content-md5': md5, ...headers }));
  }

  const get = (bucket: string, key: string, versionId?: string) => getText(objects, bucket, key, versionId);

  function del(bucket: string, key: string, versionId?: string) {
    const query = new URLSearchParams(versionId === undefined ? '' : { versionId });
    return objects.deleteObject({ bucket, key, query, headers: {}, ownerId: OWNER });
  }

  const plain = (bucket: string, key: string) => join(root, bucket, key);

  async function versionFiles(bucket: string): Promise<string[]> {
    const dir = join(root, '.myfsio.sys', 'versions', bucket);
    if (!existsSync(dir)) {
      return [];
    }
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  }

  it('keeps every version, serves each by id and keeps the plain file equal to the latest', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await put(bucket.name, 'doc.txt', 'one');
    const v2 = await put(bucket.name, 'doc.txt', 'two!');
    const v3 = await put(bucket.name, 'doc.txt', 'three');
    expect(new Set([v1.versionId, v2.versionId, v3.versionId]).size).toBe(3);
    expect(v1.versionId).toMatch(/^[0-9a-f]{32}$/);
    expect(await get(bucket.name, 'doc.txt')).toBe('three');
    expect(await get(bucket.name, 'doc.txt', v1.versionId!)).toBe('one');
    expect(await get(bucket.name, 'doc.txt', v2.versionId!)).toBe('two!');
    expect(await readFile(plain(bucket.name, 'doc.txt'), 'utf8')).toBe('three');
    expect((await versionFiles(bucket.name)).sort()).toEqual([v1.versionId, v2.versionId].sort());
  });

  it('promotes the previous version back to the plain path when the latest is deleted by id', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await put(bucket.name, 'p/k', 'first');
    const v2 = await put(bucket.name, 'p/k', 'second');
    await expect(del(bucket.name, 'p/k', v2.versionId!)).resolves.toEqual({
      versionId: v2.versionId,
      isDeleteMarker: false,
    });
    expect(await readFile(plain(bucket.name, 'p/k'), 'utf8')).toBe('first');
    const current = await versions.findCurrent(bucket.id, 'p/k');
    expect(current).toMatchObject({ versionId: v1.versionId, storagePath: null, isLatest: true });
    expect(await versionFiles(bucket.name)).toEqual([]);
    await del(bucket.name, 'p/k', v1.versionId!);
    expect(existsSync(plain(bucket.name, 'p/k'))).toBe(false);
    expect(await versions.findCurrent(bucket.id, 'p/k')).toBeNull();
  });

  it('hides the key behind a delete marker and restores it when the marker is removed', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await put(bucket.name, 'm', 'bytes');
    const marker = await del(bucket.name, 'm');
    expect(marker.isDeleteMarker).toBe(true);
    expect(marker.versionId).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(plain(bucket.name, 'm'))).toBe(false);
    await expect(get(bucket.name, 'm')).rejects.toMatchObject({
      code: 'NoSuchKey',
      headers: expect.objectContaining({ 'x-amz-delete-marker': 'true' }),
    });
    await expect(get(bucket.name, 'm', marker.versionId!)).rejects.toMatchObject({
      code: 'MethodNotAllowed',
    });
    expect(await get(bucket.name, 'm', v1.versionId!)).toBe('bytes');

    await expect(del(bucket.name, 'm', marker.versionId!)).resolves.toEqual({
      versionId: marker.versionId,
      isDeleteMarker: true,
    });
    expect(await readFile(plain(bucket.name, 'm'), 'utf8')).toBe('bytes');
    expect(await get(bucket.name, 'm')).toBe('bytes');
  });

  it('keeps the null version written before versioning and replaces only it when Suspended', async () => {
    const bucket = await newBucket();
    expect((await put(bucket.name, 'n', 'unversioned')).versionId).toBeNull();
    await buckets.setVersioning(bucket.name, 'Enabled');
    const v1 = await put(bucket.name, 'n', 'versioned');
    expect(await get(bucket.name, 'n', 'null')).toBe('unversioned');

    await buckets.setVersioning(bucket.name, 'Suspended');
    expect((await put(bucket.name, 'n', 'suspended-1')).versionId).toBe('null');
    expect((await put(bucket.name, 'n', 'suspended-2')).versionId).toBe('null');
    expect(await get(bucket.name, 'n')).toBe('suspended-2');
    expect(await get(bucket.name, 'n', v1.versionId!)).toBe('versioned');
    const page = await versions.listVersions({ bucketId: bucket.id, prefix: 'n', maxKeys: 10 });
    expect(page.versions.map((v) => [v.versionId, v.isLatest])).toEqual([
      ['null', true],
      [v1.versionId, false],
    ]);
    // Only v1's bytes are in the versions area: the replaced null versions left nothing behind.
    expect(await versionFiles(bucket.name)).toEqual([v1.versionId]);

    // A Suspended DELETE puts a null delete marker in place of the null version.
    const marker = await del(bucket.name, 'n');
    expect(marker).toEqual({ versionId: 'null', isDeleteMarker: true });
    expect(existsSync(plain(bucket.name, 'n'))).toBe(false);
    const after = await versions.listVersions({ bucketId: bucket.id, prefix: 'n', maxKeys: 10 });
    expect(after.versions.map((v) => [v.versionId, v.isDeleteMarker])).toEqual([
      ['null', true],
      [v1.versionId, false],
    ]);
  });

  it('pages through many versions with key and version-id markers', async () => {
    const bucket = await newBucket('Enabled');
    const written: string[] = [];
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 7; i++) {
        written.push(`${key}:${(await put(bucket.name, key, `${key}${i}`)).versionId}`);
      }
    }
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await versions.listVersions({
        bucketId: bucket.id,
        prefix: '',
        keyMarker,
        versionIdMarker,
        maxKeys: 4,
      });
      seen.push(...page.versions.map((v) => `${v.key}:${v.versionId}`));
      if (!page.isTruncated) {
        break;
      }
      keyMarker = page.nextKeyMarker ?? undefined;
      versionIdMarker = page.nextVersionIdMarker ?? undefined;
    }
    // Each key newest first, keys in order, nothing missed or repeated.
    const expected = ['a', 'b', 'c'].flatMap((k) => written.filter((w) => w.startsWith(`${k}:`)).reverse());
    expect(seen).toEqual(expected);
  });

  it('stores object lock fields on the version row and refuses removing a protected version', async () => {
    const created = await buckets.create({
      name: `ver-${entry.dialect}-lock`,
      ownerId: OWNER,
      objectLockEnabled: true,
    });
    expect(created).toMatchObject({ versioning: 'Enabled', objectLockEnabled: true });
    const until = new Date(Date.now() + 86_400_000);
    until.setUTCMilliseconds(0);
    const locked = await put(created.name, 'l', 'locked', {
      'x-amz-object-lock-mode': 'COMPLIANCE',
      'x-amz-object-lock-retain-until-date': until.toISOString(),
      'x-amz-object-lock-legal-hold': 'OFF',
    });
    const plainVersion = await put(created.name, 'l', 'plain');
    const row = await versions.findVersion(created.id, 'l', locked.versionId!);
    expect(row).toMatchObject({
      lockMode: 'COMPLIANCE',
      lockRetainUntil: until,
      legalHold: false,
      isLatest: false,
    });
    expect(await versions.findVersion(created.id, 'l', plainVersion.versionId!)).toMatchObject({
      lockMode: null,
      lockRetainUntil: null,
      legalHold: null,
    });
    await expect(del(created.name, 'l', locked.versionId!)).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(await get(created.name, 'l', locked.versionId!)).toBe('locked');
    // Deleting the unlocked current version promotes the locked one back to the plain path.
    await del(created.name, 'l', plainVersion.versionId!);
    expect(await readFile(plain(created.name, 'l'), 'utf8')).toBe('locked');
  });

  it('keeps every version readable under concurrent writes and deletes of one key', async () => {
    const bucket = await newBucket('Enabled');
    const bodies = Array.from({ length: 12 }, (_, i) => `body-${i}-${'x'.repeat(i)}`);
    const results = await Promise.all([
      ...bodies.map((b) => put(bucket.name, 'race', b)),
      del(bucket.name, 'race'),
      del(bucket.name, 'race'),
    ]);
    const page = await versions.listVersions({ bucketId: bucket.id, prefix: 'race', maxKeys: 100 });
    expect(page.versions).toHaveLength(14);
    expect(page.versions.filter((v) => v.isLatest)).toHaveLength(1);
    for (const [i, body] of bodies.entries()) {
      expect(await get(bucket.name, 'race', results[i]!.versionId!)).toBe(body);
    }
    const latest = page.versions[0]!;
    if (latest.isDeleteMarker) {
      expect(existsSync(plain(bucket.name, 'race'))).toBe(false);
    } else {
      expect(await readFile(plain(bucket.name, 'race'), 'utf8')).toBe(await get(bucket.name, 'race'));
    }
    expect((await versionFiles(bucket.name)).length).toBe(latest.isDeleteMarker ? 12 : 11);
  });
});
