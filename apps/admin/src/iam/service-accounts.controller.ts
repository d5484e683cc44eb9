import { type IssuedKeyView, type ServiceAccountView, ServiceAccountsService } from '@myfsio/iam';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IAM_ACTIONS as A } from './iam-actions';
import { IamRoute } from './iam-route.decorator';
import { CreateServiceAccountDto, ServiceAccountPolicyDto, toDate } from './iam.dto';

/** Service accounts: keys that act as their parent user, optionally narrowed by a session policy. */
@ApiTags('iam')
@Controller('admin/iam')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @Post('users/:ref/service-accounts')
  @IamRoute(A.CreateServiceAccount, 'Create a service account of the user; the secret is shown once')
  create(
    @Param('ref') ref: string,
    @Body() dto: CreateServiceAccountDto,
  ): Promise<ServiceAccountView & IssuedKeyView> {
    return this.accounts.create(ref, {
      name: dto.name,
      displayName: dto.display_name,
      policy: dto.policy,
      expiresAt: toDate(dto.expires_at),
    });
  }

  @Get('users/:ref/service-accounts')
  @IamRoute(A.ListServiceAccounts, "The user's service accounts")
  async list(@Param('ref') ref: string): Promise<{ service_accounts: ServiceAccountView[] }> {
    return { service_accounts: await this.accounts.list(ref) };
  }

  @Get('service-accounts/:ref')
  @IamRoute(A.GetServiceAccount, 'A service account (by access key, id or name)')
  get(@Param('ref') ref: string): Promise<ServiceAccountView> {
    return this.accounts.get(ref);
  }

  @Put('service-accounts/:ref/policy')
  @IamRoute(A.UpdateServiceAccount, "Replace (or with null remove) the service account's session policy")
  setPolicy(@Param('ref') ref: string, @Body() dto: ServiceAccountPolicyDto): Promise<ServiceAccountView> {
    return this.accounts.setPolicy(ref, dto.policy);
  }

  @Post('service-accounts/:ref/disable')
  @HttpCode(200)
  @IamRoute(A.UpdateServiceAccount, 'Disable the service account')
  disable(@Param('ref') ref: string): Promise<ServiceAccountView> {
    return this.accounts.setEnabled(ref, false);
  }

  @Post('service-accounts/:ref/enable')
  @HttpCode(200)
  @IamRoute(A.UpdateServiceAccount, 'Enable the service account')
  enable(@Param('ref') ref: string): Promise<ServiceAccountView> {
    return this.accounts.setEnabled(ref, true);
  }

  @Delete('service-accounts/:ref')
  @HttpCode(204)
  @IamRoute(A.DeleteServiceAccount, 'Delete the service account')
  delete(@Param('ref') ref: string): Promise<void> {
    return this.accounts.delete(ref);
  }
}
