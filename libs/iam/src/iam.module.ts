import { AccessModule } from '@myfsio/access';
import { RequestAuthenticator } from '@myfsio/auth';
import { BucketsModule } from '@myfsio/buckets';
import { AppConfig } from '@myfsio/config';
import { Module } from '@nestjs/common';
import { AdminAuthorizer } from './admin-authorizer';
import { Authorizer } from './authorizer';
import { CredentialLoader } from './credential-loader';
import { IamService } from './iam.service';
import { IamGroupsService } from './iam-groups.service';
import { IamPoliciesService } from './iam-policies.service';
import { IamUsersService } from './iam-users.service';
import { ServiceAccountsService } from './service-accounts.service';
import { StsService } from './sts.service';
import { SecretKeyProvider } from './secret-key';

/**
 * Identities, request authentication and the authorization steps of both apps. IamChangeBus is
 * not provided here: the composition root binds it (Redis pub/sub in `libs/core`).
 */
@Module({
  imports: [BucketsModule, AccessModule],
  providers: [
    SecretKeyProvider,
    CredentialLoader,
    IamService,
    Authorizer,
    AdminAuthorizer,
    IamUsersService,
    ServiceAccountsService,
    IamGroupsService,
    IamPoliciesService,
    StsService,
    {
      provide: RequestAuthenticator,
      useFactory: (config: AppConfig, iam: IamService) =>
        new RequestAuthenticator({ region: config.s3.region, service: config.s3.service }, iam),
      inject: [AppConfig, IamService],
    },
  ],
  exports: [
    SecretKeyProvider,
    IamService,
    Authorizer,
    AdminAuthorizer,
    RequestAuthenticator,
    IamUsersService,
    ServiceAccountsService,
    IamGroupsService,
    IamPoliciesService,
    StsService,
  ],
})
export class IamModule {}
