import { BucketsModule } from '@myfsio/buckets';
import { ConfigModule, loadConfig } from '@myfsio/config';
import { MetadataModule } from '@myfsio/metadata';
import { ObjectsModule, type ObjectsService, type PutObjectInput } from '@myfsio/objects';
import { FsObjectStore, ObjectStore } from '@myfsio/storage';
import { type DynamicModule, Global, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

/** Binds ObjectStore to an FsObjectStore over `root` for every module, as CoreModule does in the apps. */
@Global()
@Module({})
class StorageForTest {
  static forRoot(root: string): DynamicModule {
    return {
      module: StorageForTest,
      providers: [{ provide: ObjectStore, useValue: new FsObjectStore({ root }) }],
      exports: [ObjectStore],
    };
  }
}

export interface ObjectServicesOptions {
  /** STORAGE_ROOT, a temp directory the caller removes. */
  root: string;
  /** Configuration variables besides STORAGE_ROOT. */
  env?: Record<string, string>;
  /** A scratch server database (see db-matrix); without it, SQLite at `sqlitePath`. */
  databaseUrl?: string;
  /** Defaults to `<root>/.myfsio.sys/meta.db`, where the apps keep it. */
  sqlitePath?: string;
  /** Modules besides configuration, metadata, storage, buckets and objects. */
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
}

/**
 * A started testing module with the object services (BucketsModule, ObjectsModule and what
 * `imports` adds) over a real file system and a real metadata database. The caller closes it.
 */
export async function startObjectServices(options: ObjectServicesOptions): Promise<TestingModule> {
  const { root } = options;
  const config = loadConfig({ STORAGE_ROOT: root, ...options.env }, { cwd: root, envFile: false });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forConfig(config),
      MetadataModule.forRootAsync({
        useFactory: () => ({
          databaseUrl: options.databaseUrl,
          sqlitePath: options.sqlitePath ?? join(root, '.myfsio.sys', 'meta.db'),
        }),
      }),
      StorageForTest.forRoot(root),
      BucketsModule,
      ObjectsModule,
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** PutObject's input for an in-memory body, sent without aws-chunked encoding. */
export function putObjectInput(
  bucket: string,
  key: string,
  data: Buffer | string,
  headers: PutObjectInput['headers'] = {},
  ownerId = 'owner-1',
): PutObjectInput {
  const body = Buffer.from(data);
  return {
    bucket,
    key,
    body: Readable.from([body]),
    bodyLength: body.length,
    isAwsChunked: false,
    trailers: Promise.resolve({}),
    headers,
    ownerId,
  };
}

/** The bytes of bucket/key (of one version when given), as text. */
export async function getText(
  objects: ObjectsService,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<string> {
  const query = new URLSearchParams(versionId === undefined ? '' : { versionId });
  const result = await objects.getObject({ bucket, key, headers: {}, query });
  return (await buffer(result.body)).toString();
}
