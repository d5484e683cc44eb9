import { Module } from '@nestjs/common';
import { BucketTaggingService } from './bucket-tagging.service';
import { BucketsService } from './buckets.service';
import { ObjectLockConfigService } from './object-lock-config.service';

/** Bucket lifecycle (create, delete, list), bucket tagging and object lock configuration over the metadata and storage ports. */
@Module({
  providers: [BucketsService, BucketTaggingService, ObjectLockConfigService],
  exports: [BucketsService, BucketTaggingService, ObjectLockConfigService],
})
export class BucketsModule {}
