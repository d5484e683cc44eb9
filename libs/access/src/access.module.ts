import { BucketsModule } from '@myfsio/buckets';
import { ObjectsModule } from '@myfsio/objects';
import { Module } from '@nestjs/common';
import { AccessChanges } from './access-changes';
import { AclService } from './acl.service';
import { BucketPolicyService } from './bucket-policy.service';
import { BucketPresetsService } from './bucket-presets.service';

/** Bucket policies and ACLs: their stores, caches and change propagation across gateways. */
@Module({
  imports: [BucketsModule, ObjectsModule],
  providers: [AccessChanges, BucketPolicyService, AclService, BucketPresetsService],
  exports: [AccessChanges, BucketPolicyService, AclService, BucketPresetsService],
})
export class AccessModule {}
