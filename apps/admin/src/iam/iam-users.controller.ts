import { type IssuedKeyView, IamUsersService, type UserPoliciesView, type UserView } from '@myfsio/iam';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseArrayPipe, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { IAM_ACTIONS as A } from './iam-actions';
import { IamRoute } from './iam-route.decorator';
import { CreateUserDto, ExpiryDto, SimplePolicyDto, toDate } from './iam.dto';

const policiesPipe = new ParseArrayPipe({
  items: SimplePolicyDto,
  whitelist: true,
  forbidNonWhitelisted: true,
});

/**
 * The spec's user endpoints, addressed by access key: `/iam/users…`. Responses never carry a
 * secret except the one just issued (create, rotate).
 */
@ApiTags('iam')
@Controller('iam/users')
export class IamUsersController {
  constructor(private readonly users: IamUsersService) {}

  @Get()
  @IamRoute(A.ListUsers, 'List users (no secrets)')
  async list(): Promise<{ users: UserView[] }> {
    return { users: await this.users.list() };
  }

  @Post()
  @IamRoute(A.CreateUser, 'Create a user with one access key; the secret is shown once')
  create(@Body() dto: CreateUserDto): Promise<UserView & IssuedKeyView> {
    return this.users.create(createInput(dto));
  }

  @Post(':accessKey/rotate')
  @HttpCode(200)
  @IamRoute(A.RotateAccessKey, "Replace an access key's secret; the new secret is shown once")
  rotate(@Param('accessKey') accessKey: string): Promise<IssuedKeyView> {
    return this.users.rotate(accessKey);
  }

  @Put(':accessKey/policies')
  @ApiBody({ type: [SimplePolicyDto] })
  @IamRoute(A.PutUserPolicy, "Replace the user's simple policies")
  putPolicies(
    @Param('accessKey') accessKey: string,
    @Body(policiesPipe) policies: SimplePolicyDto[],
  ): Promise<UserPoliciesView> {
    return this.users.putPolicies(accessKey, policies);
  }

  @Post(':accessKey/expiry')
  @HttpCode(200)
  @IamRoute(A.PutUserPolicy, "Set or (empty) clear the user's credential expiry (form or JSON)")
  expiry(@Param('accessKey') accessKey: string, @Body() dto: ExpiryDto): Promise<UserView> {
    return this.users.setExpiry(accessKey, toDate(dto.expires_at));
  }

  @Delete(':accessKey')
  @HttpCode(204)
  @IamRoute(A.DeleteUser, 'Delete the user with its keys and service accounts')
  delete(@Param('accessKey') accessKey: string): Promise<void> {
    return this.users.delete(accessKey);
  }
}

/**
 * The admin API's user endpoints: `/admin/iam/users…`, addressed by user id, access key or name.
 */
@ApiTags('iam')
@Controller('admin/iam/users')
export class AdminIamUsersController {
  constructor(private readonly users: IamUsersService) {}

  @Get()
  @IamRoute(A.ListUsers, 'List users (no secrets)')
  async list(): Promise<{ users: UserView[] }> {
    return { users: await this.users.list() };
  }

  @Post()
  @IamRoute(A.CreateUser, 'Create a user with one access key; the secret is shown once')
  create(@Body() dto: CreateUserDto): Promise<UserView & IssuedKeyView> {
    return this.users.create(createInput(dto));
  }

  @Get(':ref')
  @IamRoute(A.GetUser, 'User details and access keys (no secrets)')
  get(@Param('ref') ref: string): Promise<UserView> {
    return this.users.get(ref);
  }

  @Delete(':ref')
  @HttpCode(204)
  @IamRoute(A.DeleteUser, 'Delete the user with its keys and service accounts')
  delete(@Param('ref') ref: string): Promise<void> {
    return this.users.delete(ref);
  }

  @Get(':ref/policies')
  @IamRoute(A.GetPolicy, "The user's inline and attached policies and groups")
  policies(@Param('ref') ref: string): Promise<UserPoliciesView> {
    return this.users.getPolicies(ref);
  }

  @Put(':ref/policies')
  @ApiBody({ type: [SimplePolicyDto] })
  @IamRoute(A.PutUserPolicy, "Replace the user's simple policies")
  putPolicies(
    @Param('ref') ref: string,
    @Body(policiesPipe) policies: SimplePolicyDto[],
  ): Promise<UserPoliciesView> {
    return this.users.putPolicies(ref, policies);
  }

  @Post(':ref/expiry')
  @HttpCode(200)
  @IamRoute(A.PutUserPolicy, "Set or (empty) clear the user's credential expiry")
  expiry(@Param('ref') ref: string, @Body() dto: ExpiryDto): Promise<UserView> {
    return this.users.setExpiry(ref, toDate(dto.expires_at));
  }

  @Post(':ref/keys')
  @IamRoute(A.CreateAccessKey, 'Add an access key; the secret is shown once')
  createKey(@Param('ref') ref: string): Promise<IssuedKeyView> {
    return this.users.createKey(ref);
  }

  @Delete(':ref/keys/:accessKey')
  @HttpCode(204)
  @IamRoute(A.DeleteAccessKey, "Delete one of the user's access keys")
  deleteKey(@Param('ref') ref: string, @Param('accessKey') accessKey: string): Promise<void> {
    return this.users.deleteKey(ref, accessKey);
  }

  @Post(':ref/keys/:accessKey/rotate')
  @HttpCode(200)
  @IamRoute(A.RotateAccessKey, "Replace an access key's secret; the new secret is shown once")
  rotate(@Param('ref') ref: string, @Param('accessKey') accessKey: string): Promise<IssuedKeyView> {
    return this.users.rotate(accessKey, ref);
  }

  @Post(':ref/disable')
  @HttpCode(200)
  @IamRoute(A.DisableUser, 'Disable the user (and its service accounts)')
  disable(@Param('ref') ref: string): Promise<UserView> {
    return this.users.setEnabled(ref, false);
  }

  @Post(':ref/enable')
  @HttpCode(200)
  @IamRoute(A.DisableUser, 'Enable the user again (also ends a lockout)')
  enable(@Param('ref') ref: string): Promise<UserView> {
    return this.users.setEnabled(ref, true);
  }
}

function createInput(dto: CreateUserDto) {
  return {
    name: dto.name,
    displayName: dto.display_name,
    policies: dto.policies,
    expiresAt: toDate(dto.expires_at),
  };
}
