import { BucketsService } from '@myfsio/buckets';
import { type ProcessIdentity, THIS_PROCESS } from '@myfsio/common';
import {
  type Bucket,
  ObjectVersionRepository,
  PendingPromotionRepository,
  UnitOfWork,
} from '@myfsio/metadata';
import { ObjectsService, ObjectWriter, STALE_AFTER_MS, VersionPromotions } from '@myfsio/objects';
import { ObjectStore } from '@myfsio/storage';
import type { TestingModule } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createScratchDb, describeEachDialect, type ScratchDb } from '../support/db-matrix';
import { getText, putObjectInput, startObjectServices } from '../support/object-services';

const OWNER = 'owner-1';
/** This process before a restart (a container gives the new one the same pid). */
const PREDECESSOR: ProcessIdentity = { ...THIS_PROCESS, incarnation: 'an-earlier-process' };
/** A gateway on another machine, which may still be at work. */
const OTHER_HOST: ProcessIdentity = { host: 'other-host', pid: 1, incarnation: 'another-process' };

describeEachDialect('Interrupted versioned writes', (entry) => {
  let root: string;
  let db: ScratchDb;
  let moduleRef: TestingModule;
  let objects: ObjectsService;
  let buckets: BucketsService;
  let versions: ObjectVersionRepository;
  let journal: PendingPromotionRepository;
  let promotions: VersionPromotions;
  let store: ObjectStore;
  let counter = 0;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'myfsio-promotions-'));
    db = await createScratchDb(entry);
    moduleRef = await startObjectServices({ root, databaseUrl: db.databaseUrl });
    objects = moduleRef.get(ObjectsService);
    buckets = moduleRef.get(BucketsService);
    versions = moduleRef.get(ObjectVersionRepository);
    journal = moduleRef.get(PendingPromotionRepository);
    promotions = moduleRef.get(VersionPromotions);
    store = moduleRef.get(ObjectStore);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  async function versionedBucket(): Promise<Bucket> {
    counter++;
    const bucket = await buckets.create({ name: `prom-${entry.dialect}-${counter}`, ownerId: OWNER });
    return buckets.setVersioning(bucket.name, 'Enabled');
  }

  async function put(bucket: string, key: string, data: string): Promise<string> {
    return (await objects.putObject(putObjectInput(bucket, key, data))).versionId!;
  }

  const get = (bucket: string, key: string, versionId?: string) => getText(objects, bucket, key, versionId);

  /**
   * Leaves bucket/key as a crash between publish and commit does: the current row names its
   * preserved copy (journaled by process `writer`, `ageMs` ago) and the plain file holds bytes no
   * row describes.
   */
  async function crashMidWrite(
    bucket: Bucket,
    key: string,
    strayBytes: string,
    writer: ProcessIdentity,
    ageMs = 0,
  ) {
    const current = (await versions.findCurrent(bucket.id, key))!;
    const storagePath = (await store.preserveVersion(bucket.name, key, current.versionId))!;
    await moduleRef.get(UnitOfWork).run(async (tx) => {
      expect(await versions.repointLatest(tx, current.id, null, storagePath)).toBe(true);
      await journal.add(tx, {
        rowId: current.id,
        bucketId: bucket.id,
        bucketName: bucket.name,
        key,
        storagePath,
        ...writer,
        createdAt: new Date(Date.now() - ageMs),
      });
    });
    // As a publish does: a new file renamed over the plain path (the version file is a hard link).
    const plainPath = join(root, bucket.name, key);
    await writeFile(`${plainPath}.stray`, strayBytes);
    await rename(`${plainPath}.stray`, plainPath);
    return { rowId: current.id, storagePath };
  }

  it('serves the acknowledged bytes after a crash and puts them back at the plain path on sweep', async () => {
    const bucket = await versionedBucket();
    const v1 = await put(bucket.name, 'k', 'acknowledged');
    const { rowId, storagePath } = await crashMidWrite(bucket, 'k', 'never acknowledged!', PREDECESSOR);

    // Reads take the row's version file, not the stray plain file (which even has another size).
    expect(await get(bucket.name, 'k')).toBe('acknowledged');
    expect(await get(bucket.name, 'k', v1)).toBe('acknowledged');

    expect(await promotions.sweep()).toBe(1);
    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('acknowledged');
    expect((await versions.findById(rowId))?.storagePath).toBeNull();
    expect(existsSync(join(root, storagePath))).toBe(false);
    expect(await journal.find(rowId)).toBeNull();
    expect(await get(bucket.name, 'k')).toBe('acknowledged');
  });

  it("leaves another gateway's fresh entry alone and finishes it once it is stale", async () => {
    const bucket = await versionedBucket();
    await put(bucket.name, 'k', 'first');
    const { rowId } = await crashMidWrite(bucket, 'k', 'stray', OTHER_HOST);

    expect(await promotions.sweep()).toBe(0);
    expect(await journal.find(rowId)).not.toBeNull();
    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('stray');

    expect(await promotions.sweep(new Date(Date.now() + STALE_AFTER_MS))).toBe(1);
    expect(await journal.find(rowId)).toBeNull();
    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('first');
  });

  it('drops an entry whose row was superseded by a later write without touching the plain file', async () => {
    const bucket = await versionedBucket();
    const v1 = await put(bucket.name, 'k', 'first');
    const { rowId } = await crashMidWrite(bucket, 'k', 'stray', PREDECESSOR);
    // The next write demotes the row (it already names its version file) and replaces the stray bytes.
    await put(bucket.name, 'k', 'second');

    expect(await promotions.sweep()).toBe(0);
    expect(await journal.find(rowId)).toBeNull();
    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('second');
    expect(await get(bucket.name, 'k', v1)).toBe('first');
  });

  it('puts the current bytes back when a write fails after replacing the plain file', async () => {
    const bucket = await versionedBucket();
    const v1 = await put(bucket.name, 'k', 'kept');
    const current = (await versions.findCurrent(bucket.id, 'k'))!;
    const failing = moduleRef.get(ObjectWriter).commitVersion(bucket, 'k', {
      publish: async () => {
        const staged = await store.stage(Readable.from([Buffer.from('replacement bytes')]));
        await staged.publish(bucket.name, 'k');
        throw new Error('commit never happened');
      },
      row: {
        isDeleteMarker: false,
        size: 17,
        etag: '0'.repeat(32),
        ownerId: OWNER,
        storageClass: 'STANDARD',
        lastModified: new Date(),
      },
    });
    await expect(failing).rejects.toThrow('commit never happened');

    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('kept');
    const after = (await versions.findCurrent(bucket.id, 'k'))!;
    expect(after).toMatchObject({ id: current.id, versionId: v1, storagePath: null });
    expect(await journal.find(current.id)).toBeNull();
    expect(await get(bucket.name, 'k')).toBe('kept');
  });

  it('journals nothing once writes and promotions complete', async () => {
    const bucket = await versionedBucket();
    await put(bucket.name, 'k', 'one');
    const v2 = await put(bucket.name, 'k', 'two');
    await objects.deleteObject({
      bucket: bucket.name,
      key: 'k',
      query: new URLSearchParams({ versionId: v2 }),
      headers: {},
      ownerId: OWNER,
    });
    expect(await readFile(join(root, bucket.name, 'k'), 'utf8')).toBe('one');
    expect((await journal.list(100)).filter((e) => e.bucketId === bucket.id)).toEqual([]);
  });
});
