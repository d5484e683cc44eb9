import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  BucketRepository,
  IamRepository,
  MetadataModule,
  MetadataOptions,
  ObjectVersionRepository,
  UnitOfWork,
} from '@myfsio/metadata';
import { DataSource } from 'typeorm';
import { createScratchDb, describeEachDialect, type ScratchDb } from '../support/db-matrix';

describeEachDialect('MetadataModule', (entry) => {
  let db: ScratchDb;

  beforeAll(async () => {
    db = await createScratchDb(entry);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('migrates during bootstrap, injects the repositories and closes the DataSource on shutdown', async () => {
    const app = await Test.createTestingModule({
      imports: [
        MetadataModule.forRootAsync({
          useFactory: (): MetadataOptions => ({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath }),
        }),
      ],
    }).compile();
    await app.init();

    const ds = app.get(DataSource);
    expect(ds.isInitialized).toBe(true);
    expect(await ds.showMigrations()).toBe(false);
    const buckets = app.get(BucketRepository);
    const bucket = await buckets.create(null, { name: 'module-bucket', ownerId: 'o', region: 'r' });
    await app.get(UnitOfWork).run((tx) =>
      app.get(ObjectVersionRepository).putCurrent(
        tx,
        {
          bucketId: bucket.id,
          key: 'k',
          versionId: 'null',
          isDeleteMarker: false,
          size: 1,
          etag: 'e',
          ownerId: 'o',
          storageClass: 'STANDARD',
          lastModified: new Date(),
        },
        { replaceNullVersion: true },
      ),
    );
    expect(await app.get(IamRepository).getVersion()).toBe(0);

    await app.close();
    expect(ds.isInitialized).toBe(false);
  });

  it('uses a MetadataOptions provider supplied by the app, and starts again on a migrated database', async () => {
    @Global()
    @Module({
      providers: [
        { provide: MetadataOptions, useValue: { databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath } },
      ],
      exports: [MetadataOptions],
    })
    class AppConfigModule {}

    const app = await Test.createTestingModule({
      imports: [AppConfigModule, MetadataModule.forRoot()],
    }).compile();
    await app.init();
    expect((await app.get(BucketRepository).findByName('module-bucket'))?.name).toBe('module-bucket');
    await app.close();
  });
});
