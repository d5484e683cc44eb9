import {
  AccessChangeBus,
  AccessModule,
  AclService,
  BucketPolicyService,
  BucketPresetsService,
} from '@myfsio/access';
import { BucketsModule, BucketsService } from '@myfsio/buckets';
import { AppConfig, ConfigModule } from '@myfsio/config';
import { RequestAuthenticator } from '@myfsio/auth';
import { GcModule, GcService } from '@myfsio/gc';
import {
  AdminAuthorizer,
  IamChangeBus,
  IamGroupsService,
  IamModule,
  IamPoliciesService,
  IamService,
  IamUsersService,
  ServiceAccountsService,
} from '@myfsio/iam';
import { LifecycleModule, LifecycleRunner } from '@myfsio/lifecycle';
import { IntegrityModule, IntegrityService } from '@myfsio/integrity';
import { MetadataModule, MetadataOptions } from '@myfsio/metadata';
import { MultipartModule } from '@myfsio/multipart';
import { ObjectsModule } from '@myfsio/objects';
import { FsObjectStore, MaintenanceStore, ObjectStore } from '@myfsio/storage';
import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { SchedulingModule } from '@myfsio/scheduling';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { MaintenanceSchedule } from './maintenance-schedule';
import { ReadinessService } from './readiness.service';
import { RedisAccessChangeBus } from './redis-access-change-bus';
import { RedisConnection } from './redis-connection';
import { RedisIamChangeBus } from './redis-iam-change-bus';

/** The storage port bound to the file-system adapter. */
@Global()
@Module({
  providers: [
    {
      provide: ObjectStore,
      useFactory: (config: AppConfig) =>
        new FsObjectStore({ root: config.storage.root, streamChunkSize: config.storage.streamChunkSize }),
      inject: [AppConfig],
    },
    {
      // The maintenance view of the same tree: it must share the store's temp-file registry and locks.
      provide: MaintenanceStore,
      useFactory: (store: ObjectStore) => (store as FsObjectStore).maintenance,
      inject: [ObjectStore],
    },
  ],
  exports: [ObjectStore, MaintenanceStore],
})
class StorageBindingModule {}

/** The infrastructure every feature uses: Redis, readiness, IAM change announcements. */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    RedisConnection,
    ReadinessService,
    { provide: IamChangeBus, useClass: RedisIamChangeBus },
    // With Redis, bucket policy and ACL changes reach other gateways at once (else by polling).
    {
      provide: AccessChangeBus,
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisAccessChangeBus(redis.client) : null),
      inject: [RedisConnection],
    },
  ],
  exports: [RedisConnection, ReadinessService, AccessChangeBus, IamChangeBus],
})
class InfrastructureModule {}

/**
 * The composition root shared by the gateway and the admin app: configuration, metadata,
 * storage and the feature services. Apps import it (or borrow its instances through
 * BridgeModule) and add only their HTTP layer.
 */
@Module({})
export class CoreModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [
        ConfigModule.forConfig(config),
        // Periodic work registers with SchedulerRegistry (intervals come from the configuration).
        ScheduleModule.forRoot(),
        SchedulingModule,
        MetadataModule.forRootAsync({
          useFactory: (c: AppConfig): MetadataOptions => ({
            databaseUrl: c.database.url,
            sqlitePath: c.database.sqlitePath,
          }),
          inject: [AppConfig],
        }),
        StorageBindingModule,
        InfrastructureModule,
        IamModule,
        BucketsModule,
        ObjectsModule,
        MultipartModule,
        LifecycleModule,
        GcModule,
        IntegrityModule,
        AccessModule,
      ],
      // Periodic GC and integrity runs, registered only when enabled.
      providers: [MaintenanceSchedule],
      exports: [
        IamModule,
        BucketsModule,
        ObjectsModule,
        MultipartModule,
        LifecycleModule,
        GcModule,
        IntegrityModule,
        InfrastructureModule,
        StorageBindingModule,
        AccessModule,
      ],
    };
  }
}

/** Instances the admin app borrows from the gateway when both run in one process. */
export const SHARED_SERVICES: readonly Type[] = [
  AppConfig,
  ReadinessService,
  IamService,
  AdminAuthorizer,
  RequestAuthenticator,
  BucketsService,
  LifecycleRunner,
  GcService,
  IntegrityService,
  BucketPolicyService,
  AclService,
  BucketPresetsService,
  IamUsersService,
  ServiceAccountsService,
  IamGroupsService,
  IamPoliciesService,
];
