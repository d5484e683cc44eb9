import {
  BucketConfigRepository,
  BucketRepository,
  createDataSource,
  IamRepository,
  MultipartRepository,
  ObjectVersionRepository,
  OutboxRepository,
  runMigrations,
  SystemStateRepository,
  UnitOfWork,
  type Bucket,
  type NewObjectVersion,
} from '@myfsio/metadata';
import type { DataSource } from 'typeorm';
import { createScratchDb, type DbMatrixEntry, type ScratchDb } from '../support/db-matrix';

export interface MetadataHarness {
  ds: DataSource;
  uow: UnitOfWork;
  buckets: BucketRepository;
  objects: ObjectVersionRepository;
  multipart: MultipartRepository;
  iam: IamRepository;
  configs: BucketConfigRepository;
  outbox: OutboxRepository;
  state: SystemStateRepository;
}

/**
 * Registers beforeAll/afterAll that give the enclosing describe a migrated scratch
 * database of `entry`'s dialect and the repositories over it; returns a getter.
 */
export function useMetadataDb(entry: DbMatrixEntry): () => MetadataHarness {
  let db: ScratchDb | undefined;
  let h: MetadataHarness | undefined;
  beforeAll(async () => {
    db = await createScratchDb(entry);
    const ds = createDataSource({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath });
    await ds.initialize();
    await runMigrations(ds);
    const uow = new UnitOfWork(ds);
    h = {
      ds,
      uow,
      buckets: new BucketRepository(ds, uow),
      objects: new ObjectVersionRepository(ds, uow),
      multipart: new MultipartRepository(ds, uow),
      iam: new IamRepository(ds, uow),
      configs: new BucketConfigRepository(ds, uow),
      outbox: new OutboxRepository(ds, uow),
      state: new SystemStateRepository(ds, uow),
    };
  });
  afterAll(async () => {
    if (h?.ds.isInitialized) {
      await h.ds.destroy();
    }
    await db?.drop();
  });
  return () => {
    if (h === undefined) {
      throw new Error('metadata harness used outside a test');
    }
    return h;
  };
}

let bucketCounter = 0;

/** Creates a bucket with a unique name. */
export function newBucket(h: MetadataHarness, patch: Partial<Bucket> = {}): Promise<Bucket> {
  bucketCounter++;
  return h.buckets.create(null, {
    name: `bucket-${process.pid}-${bucketCounter}`,
    ownerId: 'owner-1',
    region: 'us-east-1',
    ...patch,
  });
}

/** A version with plausible defaults for `key`. */
export function version(
  bucketId: string,
  key: string,
  patch: Partial<NewObjectVersion> = {},
): NewObjectVersion {
  return {
    bucketId,
    key,
    versionId: 'null',
    isDeleteMarker: false,
    size: 3,
    etag: 'acbd18db4cc2f85cedef654fccc4a4d8',
    ownerId: 'owner-1',
    storageClass: 'STANDARD',
    lastModified: new Date(1_700_000_000_123),
    ...patch,
  };
}

/** Writes `keys` as unversioned objects in one transaction. */
export async function putKeys(h: MetadataHarness, bucketId: string, keys: readonly string[]): Promise<void> {
  await h.uow.run(async (tx) => {
    for (const key of keys) {
      await h.objects.putCurrent(tx, version(bucketId, key), { replaceNullVersion: true });
    }
  });
}
