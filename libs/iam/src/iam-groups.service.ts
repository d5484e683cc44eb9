import { S3Error } from '@myfsio/common';
import { IamRepository, type IamGroup } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { IamUsersService } from './iam-users.service';
import { noSuchEntity, resolveUser, translateIamErrors } from './iam-views';

/** A group as the admin API shows it. */
export interface GroupView {
  name: string;
  enabled: boolean;
  /** Member user names, sorted. */
  members: string[];
  attached_policies: string[];
  created_at: string;
}

/**
 * IAM groups (MinIO's `mc admin group`): members, enable/disable and attached policies. A user's
 * permissions are the union of its own policies and those of its enabled groups.
 */
@Injectable()
export class IamGroupsService {
  constructor(
    private readonly repo: IamRepository,
    private readonly users: IamUsersService,
  ) {}

  async list(): Promise<GroupView[]> {
    const groups = await this.repo.listGroups({ limit: 10_000 });
    return Promise.all(groups.map((g) => this.view(g)));
  }

  async get(name: string): Promise<GroupView> {
    return this.view(await this.group(name));
  }

  /** Creates a group, optionally with members (user ids, access keys or names). */
  async create(name: string, members: readonly string[] = []): Promise<GroupView> {
    const users = await Promise.all(members.map((m) => resolveUser(this.repo, m)));
    await this.users.mutate((tx) =>
      translateIamErrors(async () => {
        const group = await this.repo.createGroup(tx, { name });
        for (const user of users) {
          await this.repo.addMember(tx, group.id, user.id);
        }
      }),
    );
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    const group = await this.group(name);
    await this.users.mutate((tx) => this.repo.deleteGroup(tx, group.id));
  }

  /** Adds (or removes) members; adding a member twice or removing a non-member is not an error. */
  async changeMembers(name: string, members: readonly string[], add: boolean): Promise<GroupView> {
    const group = await this.group(name);
    const users = await Promise.all(members.map((m) => resolveUser(this.repo, m)));
    if (users.some((u) => u.parentUserId !== null)) {
      throw new S3Error('ValidationError', { message: 'Service accounts cannot be group members.' });
    }
    await this.users.mutate(async (tx) => {
      for (const user of users) {
        await (add
          ? this.repo.addMember(tx, group.id, user.id)
          : this.repo.removeMember(tx, group.id, user.id));
      }
    });
    return this.get(name);
  }

  async setEnabled(name: string, isEnabled: boolean): Promise<GroupView> {
    const group = await this.group(name);
    await this.users.mutate((tx) => this.repo.updateGroup(tx, group.id, { isEnabled }));
    return this.get(name);
  }

  /** The group named `name`. @throws NoSuchEntity */
  async group(name: string): Promise<IamGroup> {
    const group = await this.repo.findGroupByName(name);
    if (!group) {
      throw noSuchEntity('group', name);
    }
    return group;
  }

  private async view(group: IamGroup): Promise<GroupView> {
    return {
      name: group.name,
      enabled: group.isEnabled,
      members: (await this.repo.listMembers(group.id)).map((u) => u.name),
      attached_policies: await this.repo.listAttachedPolicies('group', group.id),
      created_at: group.createdAt.toISOString(),
    };
  }
}
