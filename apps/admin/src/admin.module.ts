import { type DynamicModule, Module } from '@nestjs/common';
import { BucketAccessController } from './buckets/bucket-access.controller';
import { AdminHealthController } from './health/admin-health.controller';
import { IamGroupsController, IamPoliciesController } from './iam/groups-policies.controller';
import { AdminIamUsersController, IamUsersController } from './iam/iam-users.controller';
import { ServiceAccountsController } from './iam/service-accounts.controller';
import { LifecycleController } from './lifecycle/lifecycle.controller';
import { GcController } from './maintenance/gc.controller';
import { IntegrityController } from './maintenance/integrity.controller';

/** The admin REST API; its feature controllers borrow the gateway's services. */
@Module({})
export class AdminModule {
  static register(imports: DynamicModule[]): DynamicModule {
    return {
      module: AdminModule,
      imports,
      controllers: [
        AdminHealthController,
        IamUsersController,
        AdminIamUsersController,
        ServiceAccountsController,
        IamGroupsController,
        IamPoliciesController,
        LifecycleController,
        GcController,
        IntegrityController,
        BucketAccessController,
      ],
    };
  }
}
