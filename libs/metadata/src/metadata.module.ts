import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from './data-source';
import { MetadataHealth } from './metadata-health';
import { MetadataOptions } from './metadata-options';
import { BucketConfigRepository } from './repositories/bucket-config.repository';
import { BucketRepository } from './repositories/bucket.repository';
import { IamRepository } from './repositories/iam.repository';
import { MaintenanceHistoryRepository } from './repositories/maintenance-history.repository';
import { MultipartRepository } from './repositories/multipart.repository';
import { ObjectVersionRepository } from './repositories/object-version.repository';
import { PendingPromotionRepository } from './repositories/pending-promotion.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { SystemStateRepository } from './repositories/system-state.repository';
import { UnitOfWork } from './unit-of-work';

const REPOSITORIES = [
  BucketRepository,
  ObjectVersionRepository,
  MultipartRepository,
  IamRepository,
  BucketConfigRepository,
  OutboxRepository,
  SystemStateRepository,
  MaintenanceHistoryRepository,
  PendingPromotionRepository,
];

/** Closes the DataSource (connections, the SQLite file) when the app shuts down. */
@Injectable()
class MetadataShutdown implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) {
      await this.ds.destroy();
    }
  }
}

const dataSourceProvider: Provider = {
  provide: DataSource,
  inject: [MetadataOptions],
  useFactory: async (options: MetadataOptions): Promise<DataSource> => {
    const ds = createDataSource(options);
    await ds.initialize();
    try {
      await runMigrations(ds);
    } catch (err) {
      await ds.destroy();
      throw err;
    }
    return ds;
  },
};

function build(imports: ModuleMetadata['imports'], extra: Provider[]): DynamicModule {
  return {
    module: MetadataModule,
    global: true,
    imports: imports ?? [],
    providers: [...extra, dataSourceProvider, UnitOfWork, MetadataShutdown, MetadataHealth, ...REPOSITORIES],
    exports: [DataSource, UnitOfWork, MetadataHealth, ...REPOSITORIES],
  };
}

/**
 * The metadata database as a global Nest module. Provides the DataSource (initialized and
 * migrated during bootstrap, so the app does not start on a schema it does not know),
 * `UnitOfWork` and every repository; closes the DataSource on shutdown (needs
 * `app.enableShutdownHooks()` or `app.close()`).
 */
@Global()
@Module({})
export class MetadataModule {
  /** Uses a `MetadataOptions` provider the app supplies (globally, or through `imports`). */
  static forRoot(opts: { imports?: ModuleMetadata['imports'] } = {}): DynamicModule {
    return build(opts.imports, []);
  }

  /** Builds `MetadataOptions` with a factory, e.g. from `AppConfig`. */
  static forRootAsync(opts: {
    imports?: ModuleMetadata['imports'];
    useFactory: (...args: never[]) => MetadataOptions | Promise<MetadataOptions>;
    inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
  }): DynamicModule {
    return build(opts.imports, [
      { provide: MetadataOptions, useFactory: opts.useFactory, inject: opts.inject ?? [] },
    ]);
  }
}
