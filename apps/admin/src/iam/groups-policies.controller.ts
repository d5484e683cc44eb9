import { type GroupView, IamGroupsService, IamPoliciesService, type PolicyView } from '@myfsio/iam';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { IAM_ACTIONS as A } from './iam-actions';
import { IamRoute } from './iam-route.decorator';
import { CreateGroupDto, GroupMembersDto } from './iam.dto';

/** Groups: members, enable/disable; a member has the union of its and its enabled groups' policies. */
@ApiTags('iam')
@Controller('admin/iam/groups')
export class IamGroupsController {
  constructor(private readonly groups: IamGroupsService) {}

  @Get()
  @IamRoute(A.ListGroups, 'List groups with members and attached policies')
  async list(): Promise<{ groups: GroupView[] }> {
    return { groups: await this.groups.list() };
  }

  @Post()
  @IamRoute(A.CreateGroup, 'Create a group, optionally with members')
  create(@Body() dto: CreateGroupDto): Promise<GroupView> {
    return this.groups.create(dto.name, dto.members);
  }

  @Get(':name')
  @IamRoute(A.GetGroup, 'A group with members and attached policies')
  get(@Param('name') name: string): Promise<GroupView> {
    return this.groups.get(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @IamRoute(A.DeleteGroup, 'Delete the group (members keep their own policies)')
  delete(@Param('name') name: string): Promise<void> {
    return this.groups.delete(name);
  }

  @Put(':name/members')
  @IamRoute(A.AddUserToGroup, 'Add members')
  addMembers(@Param('name') name: string, @Body() dto: GroupMembersDto): Promise<GroupView> {
    return this.groups.changeMembers(name, dto.members, true);
  }

  @Delete(':name/members')
  @IamRoute(A.RemoveUserFromGroup, 'Remove members')
  removeMembers(@Param('name') name: string, @Body() dto: GroupMembersDto): Promise<GroupView> {
    return this.groups.changeMembers(name, dto.members, false);
  }

  @Post(':name/disable')
  @HttpCode(200)
  @IamRoute(A.UpdateGroup, 'Disable the group: its policies stop applying to its members')
  disable(@Param('name') name: string): Promise<GroupView> {
    return this.groups.setEnabled(name, false);
  }

  @Post(':name/enable')
  @HttpCode(200)
  @IamRoute(A.UpdateGroup, 'Enable the group')
  enable(@Param('name') name: string): Promise<GroupView> {
    return this.groups.setEnabled(name, true);
  }
}

/** Named policies (AWS IAM JSON), the canned ones, and their attachment to users and groups. */
@ApiTags('iam')
@Controller('admin/iam')
export class IamPoliciesController {
  constructor(private readonly policies: IamPoliciesService) {}

  @Get('policies')
  @IamRoute(A.ListPolicies, 'List canned and named policies')
  async list(): Promise<{ policies: PolicyView[] }> {
    return { policies: await this.policies.list() };
  }

  @Get('policies/:name')
  @IamRoute(A.GetPolicy, 'A policy document')
  get(@Param('name') name: string): Promise<PolicyView> {
    return this.policies.get(name);
  }

  @Put('policies/:name')
  @ApiBody({
    description: 'An AWS IAM identity policy document',
    schema: {
      type: 'object',
      example: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
      },
    },
  })
  @IamRoute(A.CreatePolicy, 'Create or replace a named policy (validated; MalformedPolicyDocument on errors)')
  put(@Param('name') name: string, @Body() document: Record<string, unknown>): Promise<PolicyView> {
    return this.policies.put(name, document);
  }

  @Delete('policies/:name')
  @HttpCode(204)
  @IamRoute(A.DeletePolicy, 'Delete a named policy (DeleteConflict while attached)')
  delete(@Param('name') name: string): Promise<void> {
    return this.policies.delete(name);
  }

  @Put('users/:ref/attached-policies/:policy')
  @IamRoute(A.AttachUserPolicy, 'Attach a named or canned policy to a user')
  async attachToUser(
    @Param('ref') ref: string,
    @Param('policy') policy: string,
  ): Promise<{ attached_policies: string[] }> {
    return { attached_policies: await this.policies.attach(policy, { type: 'user', ref }) };
  }

  @Delete('users/:ref/attached-policies/:policy')
  @IamRoute(A.DetachUserPolicy, 'Detach a policy from a user')
  async detachFromUser(
    @Param('ref') ref: string,
    @Param('policy') policy: string,
  ): Promise<{ attached_policies: string[] }> {
    return { attached_policies: await this.policies.detach(policy, { type: 'user', ref }) };
  }

  @Put('groups/:name/attached-policies/:policy')
  @IamRoute(A.AttachGroupPolicy, 'Attach a named or canned policy to a group')
  async attachToGroup(
    @Param('name') name: string,
    @Param('policy') policy: string,
  ): Promise<{ attached_policies: string[] }> {
    return { attached_policies: await this.policies.attach(policy, { type: 'group', ref: name }) };
  }

  @Delete('groups/:name/attached-policies/:policy')
  @IamRoute(A.DetachGroupPolicy, 'Detach a policy from a group')
  async detachFromGroup(
    @Param('name') name: string,
    @Param('policy') policy: string,
  ): Promise<{ attached_policies: string[] }> {
    return { attached_policies: await this.policies.detach(policy, { type: 'group', ref: name }) };
  }
}
