import { SIMPLE_IAM_ACTIONS } from '@myfsio/policy';

/**
 * The IAM action each admin IAM route is authorized with. The spec's ten (reachable through the
 * simple names `iam:list_users` … `iam:disable_user`) come from the policy engine's table; the
 * group, policy and service-account routes use AWS IAM's names, granted by `iam:*` or AWS-form
 * policies.
 */
export const IAM_ACTIONS = {
  ListUsers: SIMPLE_IAM_ACTIONS['iam:list_users'],
  CreateUser: SIMPLE_IAM_ACTIONS['iam:create_user'],
  DeleteUser: SIMPLE_IAM_ACTIONS['iam:delete_user'],
  RotateAccessKey: SIMPLE_IAM_ACTIONS['iam:rotate_key'],
  PutUserPolicy: SIMPLE_IAM_ACTIONS['iam:update_policy'],
  CreateAccessKey: SIMPLE_IAM_ACTIONS['iam:create_key'],
  DeleteAccessKey: SIMPLE_IAM_ACTIONS['iam:delete_key'],
  GetUser: SIMPLE_IAM_ACTIONS['iam:get_user'],
  GetPolicy: SIMPLE_IAM_ACTIONS['iam:get_policy'],
  DisableUser: SIMPLE_IAM_ACTIONS['iam:disable_user'],
  ListGroups: 'iam:ListGroups',
  GetGroup: 'iam:GetGroup',
  CreateGroup: 'iam:CreateGroup',
  DeleteGroup: 'iam:DeleteGroup',
  UpdateGroup: 'iam:UpdateGroup',
  AddUserToGroup: 'iam:AddUserToGroup',
  RemoveUserFromGroup: 'iam:RemoveUserFromGroup',
  ListPolicies: 'iam:ListPolicies',
  CreatePolicy: 'iam:CreatePolicy',
  DeletePolicy: 'iam:DeletePolicy',
  AttachUserPolicy: 'iam:AttachUserPolicy',
  DetachUserPolicy: 'iam:DetachUserPolicy',
  AttachGroupPolicy: 'iam:AttachGroupPolicy',
  DetachGroupPolicy: 'iam:DetachGroupPolicy',
  CreateServiceAccount: 'iam:CreateServiceAccount',
  ListServiceAccounts: 'iam:ListServiceAccounts',
  GetServiceAccount: 'iam:GetServiceAccount',
  UpdateServiceAccount: 'iam:UpdateServiceAccount',
  DeleteServiceAccount: 'iam:DeleteServiceAccount',
} as const;
