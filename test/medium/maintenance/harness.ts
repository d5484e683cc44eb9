import { ConfigModule, loadConfig } from '@myfsio/config';
import { GcModule, GcService } from '@myfsio/gc';
import {
  BucketRepository,
  MaintenanceHistoryRepository,
  MetadataModule,
  MultipartRepository,
  ObjectVersionRepository,
  SystemStateRepository,
  UnitOfWork,
  type Bucket,
} from '@myfsio/metadata';
import { FsObjectStore, MaintenanceStore, ObjectStore } from '@myfsio/storage';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createScratchDb, type DbMatrixEntry, type ScratchDb } from '../support/db-matrix';

@Global()
@Module({})
class StorageForTest {
  static forRoot(store: FsObjectStore): DynamicModule {
    return {
      module: StorageForTest,
      providers: [
        { provide: ObjectStore, useValue: store },
        { provide: MaintenanceStore, useValue: store.maintenance },
      ],
      exports: [ObjectStore, MaintenanceStore],
    };
  }
}

/** GC (and the integrity scanner) over a temp STORAGE_ROOT and a scratch database. */
export interface MaintenanceHarness {
  root: string;
  moduleRef: TestingModule;
  store: FsObjectStore;
  gc: GcService;
  buckets: BucketRepository;
  versions: ObjectVersionRepository;
  uploads: MultipartRepository;
  history: MaintenanceHistoryRepository;
  state: SystemStateRepository;
  uow: UnitOfWork;
  close(): Promise<void>;
}

/** Builds the harness; `env` overrides configuration (GC_*, INTEGRITY_*). */
export async function createHarness(
  entry: DbMatrixEntry,
  env: Record<string, string> = {},
  extraModules: DynamicModule['imports'] = [],
): Promise<MaintenanceHarness> {
  const root = await mkdtemp(join(tmpdir(), 'myfsio-maint-'));
  const db: ScratchDb = await createScratchDb(entry);
  const config = loadConfig({ STORAGE_ROOT: root, ...env }, { cwd: root, envFile: false });
  const store = new FsObjectStore({ root });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forConfig(config),
      MetadataModule.forRootAsync({
        useFactory: () => ({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath }),
      }),
      StorageForTest.forRoot(store),
      GcModule,
      ...(extraModules ?? []),
    ],
  }).compile();
  await moduleRef.init();
  return {
    root,
    moduleRef,
    store,
    gc: moduleRef.get(GcService),
    buckets: moduleRef.get(BucketRepository),
    versions: moduleRef.get(ObjectVersionRepository),
    uploads: moduleRef.get(MultipartRepository),
    history: moduleRef.get(MaintenanceHistoryRepository),
    state: moduleRef.get(SystemStateRepository),
    uow: moduleRef.get(UnitOfWork),
    close: async () => {
      await moduleRef.close();
      await db.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A bucket row and its directory. */
export async function newBucket(h: MaintenanceHarness): Promise<Bucket> {
  counter++;
  const bucket = await h.buckets.create(null, {
    name: `mb-${process.pid}-${counter}`,
    ownerId: 'owner-1',
    region: 'us-east-1',
  });
  await h.store.createBucket(bucket.name);
  return bucket;
}

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** Writes an object as PutObject does: the file, then its row (single-part ETag). */
export async function putObject(
  h: MaintenanceHarness,
  bucket: Bucket,
  key: string,
  data: string,
  patch: { etag?: string; partsCount?: number; partSizes?: [number, number][] } = {},
): Promise<void> {
  const staged = await h.store.stage(Readable.from([Buffer.from(data)]));
  try {
    await staged.publish(bucket.name, key);
  } finally {
    await staged.discard();
  }
  await h.uow.run((tx) =>
    h.versions.putCurrent(
      tx,
      {
        bucketId: bucket.id,
        key,
        versionId: 'null',
        isDeleteMarker: false,
        size: Buffer.byteLength(data),
        etag: patch.etag ?? md5Hex(data),
        ownerId: 'owner-1',
        storageClass: 'STANDARD',
        lastModified: new Date(),
        partsCount: patch.partsCount ?? null,
        partSizes: patch.partSizes ?? null,
      },
      { replaceNullVersion: true },
    ),
  );
}

/** Sets a path's atime and mtime `ms` into the past. */
export async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
