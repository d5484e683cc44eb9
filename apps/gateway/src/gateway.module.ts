import { type DynamicModule, Module } from '@nestjs/common';
import { AclHandlers } from './handlers/acl.handlers';
import { BucketPolicyHandlers } from './handlers/bucket-policy.handlers';
import { BucketHandlers } from './handlers/bucket.handlers';
import { LifecycleHandlers } from './handlers/lifecycle.handlers';
import { ListHandlers } from './handlers/list.handlers';
import { MultipartHandlers } from './handlers/multipart.handlers';
import { GovernanceBypassCheck } from './handlers/governance-bypass';
import { ObjectLockHandlers } from './handlers/object-lock.handlers';
import { ObjectHandlers } from './handlers/object.handlers';
import { S3Handlers } from './handlers/s3-handlers';
import { StsHandlers } from './handlers/sts.handlers';
import { TaggingHandlers } from './handlers/tagging.handlers';
import { GatewayHealthController } from './health/gateway-health.controller';
import { S3Pipeline } from './http/s3-pipeline';

/** The S3 gateway: the request pipeline, the handlers and the health endpoints. */
@Module({})
export class GatewayModule {
  static register(imports: DynamicModule[]): DynamicModule {
    return {
      module: GatewayModule,
      imports,
      controllers: [GatewayHealthController],
      providers: [
        S3Pipeline,
        S3Handlers,
        BucketHandlers,
        ListHandlers,
        ObjectHandlers,
        MultipartHandlers,
        TaggingHandlers,
        StsHandlers,
        LifecycleHandlers,
        BucketPolicyHandlers,
        AclHandlers,
        ObjectLockHandlers,
        GovernanceBypassCheck,
      ],
    };
  }
}
