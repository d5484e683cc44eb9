import { BucketsModule } from '@myfsio/buckets';
import { MultipartModule } from '@myfsio/multipart';
import { ObjectsModule } from '@myfsio/objects';
import { Module } from '@nestjs/common';
import { LifecycleRunner } from './lifecycle-runner';
import { LifecycleScheduler } from './lifecycle-scheduler';
import { LifecycleService } from './lifecycle.service';

/**
 * Bucket lifecycle: the configuration subresource, `x-amz-expiration`, and enforcement on a
 * schedule. Needs AppConfig, the metadata repositories, PeriodicRuns and ScheduleModule from
 * the global modules CoreModule sets up.
 */
@Module({
  imports: [BucketsModule, ObjectsModule, MultipartModule],
  providers: [LifecycleService, LifecycleRunner, LifecycleScheduler],
  exports: [LifecycleService, LifecycleRunner],
})
export class LifecycleModule {}
