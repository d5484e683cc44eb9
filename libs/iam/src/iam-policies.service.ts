import { S3Error } from '@myfsio/common';
import { IamRepository, type IamPolicy, type PrincipalType, type Tx } from '@myfsio/metadata';
import { CANNED_POLICIES, parsePolicy, type CannedPolicyName } from '@myfsio/policy';
import { Injectable } from '@nestjs/common';
import { IamGroupsService } from './iam-groups.service';
import { IamUsersService } from './iam-users.service';
import { asPolicyError, noSuchEntity, resolveUser } from './iam-views';
import { isCannedPolicyName } from './policy-assembly';

/** A named policy as the admin API shows it. */
export interface PolicyView {
  name: string;
  /** Canned policies (readonly, readwrite, writeonly, consoleAdmin) are built in and read-only. */
  builtin: boolean;
  document: unknown;
  created_at: string | null;
  updated_at: string | null;
}

/** Who a policy is attached to. */
export interface PolicyTarget {
  type: PrincipalType;
  /** A user id, access key or name; or a group name. */
  ref: string;
}

/**
 * Named IAM policies (AWS IAM JSON, validated with the policy engine) and the canned ones, and
 * their attachment to users and groups. Canned policies are stored as built-in rows the first
 * time they are attached, so attachments keep their foreign key.
 */
@Injectable()
export class IamPoliciesService {
  constructor(
    private readonly repo: IamRepository,
    private readonly users: IamUsersService,
    private readonly groups: IamGroupsService,
  ) {}

  /** The canned policies, then the named ones, by name. */
  async list(): Promise<PolicyView[]> {
    const stored = (await this.repo.listPolicies()).filter((p) => !p.isBuiltin);
    return [...cannedNames().map(cannedView), ...stored.map(storedView)];
  }

  async get(name: string): Promise<PolicyView> {
    if (isCannedPolicyName(name)) {
      return cannedView(name);
    }
    const policy = await this.repo.findPolicy(name);
    if (!policy) {
      throw noSuchEntity('policy', name);
    }
    return storedView(policy);
  }

  /** Creates or replaces a named policy. @throws MalformedPolicyDocument, ValidationError for a canned name */
  async put(name: string, document: unknown): Promise<PolicyView> {
    if (isCannedPolicyName(name)) {
      throw new S3Error('ValidationError', { message: `The canned policy ${name} cannot be changed.` });
    }
    const json = JSON.stringify(document);
    try {
      parsePolicy(json, 'identity');
    } catch (err) {
      throw asPolicyError(err);
    }
    await this.users.mutate(async (tx) => {
      if (!(await this.repo.updatePolicy(tx, name, json))) {
        await this.repo.createPolicy(tx, { name, document: json });
      }
    });
    return this.get(name);
  }

  /** Deletes a named policy. @throws DeleteConflict while it is attached or for a canned policy */
  async delete(name: string): Promise<void> {
    if (isCannedPolicyName(name)) {
      throw new S3Error('DeleteConflict', { message: `The canned policy ${name} cannot be deleted.` });
    }
    await this.get(name);
    if ((await this.repo.listPolicyAttachments(name)).length > 0) {
      throw new S3Error('DeleteConflict', { message: `The policy ${name} is attached; detach it first.` });
    }
    await this.users.mutate((tx) => this.repo.deletePolicy(tx, name));
  }

  /** Attaches a named or canned policy; attaching it twice is not an error. */
  async attach(policyName: string, target: PolicyTarget): Promise<string[]> {
    const principalId = await this.principalId(target);
    await this.get(policyName);
    await this.users.mutate(async (tx) => {
      await this.ensureCannedRow(tx, policyName);
      const result = await this.repo.attachPolicy(tx, {
        policyName,
        principalType: target.type,
        principalId,
      });
      if (result === 'no-such-policy') {
        throw noSuchEntity('policy', policyName);
      }
    });
    return this.repo.listAttachedPolicies(target.type, principalId);
  }

  /** Detaches a policy. @throws NoSuchEntity when it was not attached */
  async detach(policyName: string, target: PolicyTarget): Promise<string[]> {
    const principalId = await this.principalId(target);
    const removed = await this.users.mutate((tx) =>
      this.repo.detachPolicy(tx, { policyName, principalType: target.type, principalId }),
    );
    if (!removed) {
      throw noSuchEntity('policy attachment', `${policyName} on ${target.type} ${target.ref}`);
    }
    return this.repo.listAttachedPolicies(target.type, principalId);
  }

  private async principalId(target: PolicyTarget): Promise<string> {
    if (target.type === 'group') {
      return (await this.groups.group(target.ref)).id;
    }
    const user = await resolveUser(this.repo, target.ref);
    if (user.parentUserId !== null) {
      // As in MinIO: a service account has its parent's permissions, narrowed by its own policy.
      throw new S3Error('ValidationError', { message: 'Policies cannot be attached to a service account.' });
    }
    return user.id;
  }

  private async ensureCannedRow(tx: Tx, name: string): Promise<void> {
    if (isCannedPolicyName(name) && !(await this.repo.findPolicy(name, tx))) {
      await this.repo.createPolicy(tx, {
        name,
        document: JSON.stringify(CANNED_POLICIES[name]),
        isBuiltin: true,
      });
    }
  }
}

function cannedNames(): CannedPolicyName[] {
  return Object.keys(CANNED_POLICIES) as CannedPolicyName[];
}

function cannedView(name: CannedPolicyName): PolicyView {
  return { name, builtin: true, document: CANNED_POLICIES[name], created_at: null, updated_at: null };
}

function storedView(policy: IamPolicy): PolicyView {
  return {
    name: policy.name,
    builtin: false,
    document: JSON.parse(policy.document) as unknown,
    created_at: policy.createdAt.toISOString(),
    updated_at: policy.updatedAt.toISOString(),
  };
}
