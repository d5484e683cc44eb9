import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IamAccessKeyEntity } from '../entities/iam-access-key.entity';
import { IamGroupMemberEntity } from '../entities/iam-group-member.entity';
import { IamGroupEntity } from '../entities/iam-group.entity';
import { IamPolicyAttachmentEntity } from '../entities/iam-policy-attachment.entity';
import { IamPolicyEntity } from '../entities/iam-policy.entity';
import { IamUserEntity } from '../entities/iam-user.entity';
import { DuplicateError, isForeignKeyViolation, isUniqueViolation } from '../errors';
import type {
  AccessKey,
  AccessKeyPatch,
  AccessKeyWithUser,
  IamGroup,
  IamPolicy,
  IamUser,
  IamUserPatch,
  NewAccessKey,
  NewIamUser,
  PolicyAttachment,
  PrincipalType,
} from '../types';
import { managerOf, type Tx } from '../unit-of-work';
import { toAccessKey, toIamGroup, toIamPolicy, toIamUser } from './mappers';
import { RepositoryBase } from './repository-base';
import { incrementCounter, readCounter } from './system-state.repository';

const IAM_VERSION_KEY = 'iam_version';

/** Result of attaching a policy: idempotent, and a missing policy is an answer, not an exception. */
export type AttachResult = 'attached' | 'already-attached' | 'no-such-policy';

/** IAM users, access keys, groups, policies and attachments, plus the IAM change counter. */
@Injectable()
export class IamRepository extends RepositoryBase {
  /** Inserts in a savepoint so a duplicate leaves the caller's transaction usable; maps it to DuplicateError. */
  private async insertUnique<E extends object>(
    tx: Tx | null,
    entity: new () => E,
    row: E,
    what: string,
    value: string,
  ): Promise<void> {
    try {
      await this.write(tx, (m) => m.transaction((inner) => inner.insert(entity, row as never)));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DuplicateError(what, value);
      }
      throw err;
    }
  }

  private async affected(tx: Tx | null, fn: (m: EntityManager) => Promise<{ affected?: number | null }>) {
    return this.write(tx, async (m) => ((await fn(m)).affected ?? 0) > 0);
  }

  // Users ---------------------------------------------------------------------------------

  /** Creates a user (a service account when `parentUserId` is set). Throws DuplicateError('iam user', name). */
  async createUser(tx: Tx | null, input: NewIamUser): Promise<IamUser> {
    const row: IamUserEntity = {
      id: input.id ?? randomUUID(),
      name: input.name,
      displayName: input.displayName ?? null,
      isRoot: input.isRoot ?? false,
      isEnabled: input.isEnabled ?? true,
      expiresAt: input.expiresAt ?? null,
      inlinePolicies: input.inlinePolicies ?? null,
      parentUserId: input.parentUserId ?? null,
      sessionPolicy: input.sessionPolicy ?? null,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: input.createdAt ?? new Date(),
    };
    await this.insertUnique(tx, IamUserEntity, row, 'iam user', input.name);
    return toIamUser(row);
  }

  async findUserById(id: string, tx?: Tx): Promise<IamUser | null> {
    const row = await this.reader(tx).findOne(IamUserEntity, { where: { id } });
    return row === null ? null : toIamUser(row);
  }

  async findUserByName(name: string, tx?: Tx): Promise<IamUser | null> {
    const row = await this.reader(tx).findOne(IamUserEntity, { where: { name } });
    return row === null ? null : toIamUser(row);
  }

  /**
   * Users by name (byte order). `parentUserId`: undefined → all users, null → only
   * regular users, an id → that user's service accounts.
   */
  async listUsers(q: {
    afterName?: string;
    limit: number;
    parentUserId?: string | null;
  }): Promise<IamUser[]> {
    const qb = this.reader().getRepository(IamUserEntity).createQueryBuilder('u');
    if (q.afterName !== undefined) {
      qb.andWhere('u.name > :afterName', { afterName: q.afterName });
    }
    if (q.parentUserId === null) {
      qb.andWhere('u.parentUserId IS NULL');
    } else if (q.parentUserId !== undefined) {
      qb.andWhere('u.parentUserId = :parentUserId', { parentUserId: q.parentUserId });
    }
    return (await qb.orderBy('u.name', 'ASC').limit(q.limit).getMany()).map(toIamUser);
  }

  /** False when the user does not exist. */
  async updateUser(tx: Tx | null, id: string, patch: IamUserPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) {
      return (await this.findUserById(id, tx ?? undefined)) !== null;
    }
    return this.affected(tx, (m) => m.update(IamUserEntity, { id }, patch));
  }

  /** The user row locked for update within `tx` (lockout bookkeeping), or null. */
  async findUserForUpdate(tx: Tx, id: string): Promise<IamUser | null> {
    const qb = managerOf(tx).getRepository(IamUserEntity).createQueryBuilder('u').where('u.id = :id', { id });
    const row = await this.forUpdate(qb).getOne();
    return row === null ? null : toIamUser(row);
  }

  /** Atomically adds one failed sign-in attempt; returns the new count, or null when the user does not exist. */
  async incrementFailedAttempts(tx: Tx | null, id: string): Promise<number | null> {
    return this.write(tx, async (m) => {
      await m
        .createQueryBuilder()
        .update(IamUserEntity)
        .set({ failedAttempts: () => 'failed_attempts + 1' })
        .where('id = :id', { id })
        .execute();
      return (await m.findOne(IamUserEntity, { where: { id } }))?.failedAttempts ?? null;
    });
  }

  /** Deletes the user with its access keys, memberships, service accounts and policy attachments. */
  async deleteUser(tx: Tx | null, id: string): Promise<boolean> {
    return this.write(tx, async (m) => {
      // Attachments name principals without a foreign key (a principal is a user or a group).
      await m.delete(IamPolicyAttachmentEntity, { principalType: 'user', principalId: id });
      return ((await m.delete(IamUserEntity, { id })).affected ?? 0) > 0;
    });
  }

  // Access keys ---------------------------------------------------------------------------

  /** Throws DuplicateError('access key', id) for a taken id; a foreign key error for a missing user. */
  async createAccessKey(tx: Tx | null, input: NewAccessKey): Promise<AccessKey> {
    const row: IamAccessKeyEntity = {
      accessKeyId: input.accessKeyId,
      userId: input.userId,
      secretEncrypted: input.secretEncrypted,
      kind: input.kind,
      status: input.status ?? 'active',
      sessionPolicy: input.sessionPolicy ?? null,
      expiresAt: input.expiresAt ?? null,
      createdAt: input.createdAt ?? new Date(),
    };
    await this.insertUnique(tx, IamAccessKeyEntity, row, 'access key', input.accessKeyId);
    return toAccessKey(row);
  }

  /** The access key (exact, case-sensitive id) with its user, or null. Status and expiry are the caller's to check. */
  async findAccessKey(accessKeyId: string): Promise<AccessKeyWithUser | null> {
    const row = await this.reader().findOne(IamAccessKeyEntity, {
      where: { accessKeyId },
      relations: { user: true },
    });
    if (row === null || row.user === undefined) {
      return null;
    }
    return { key: toAccessKey(row), user: toIamUser(row.user) };
  }

  async listAccessKeys(userId: string): Promise<AccessKey[]> {
    const rows = await this.reader().find(IamAccessKeyEntity, {
      where: { userId },
      order: { createdAt: 'ASC' },
    });
    return rows.map(toAccessKey);
  }

  async updateAccessKey(tx: Tx | null, accessKeyId: string, patch: AccessKeyPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) {
      return (
        (await this.reader(tx ?? undefined).exists(IamAccessKeyEntity, { where: { accessKeyId } })) === true
      );
    }
    return this.affected(tx, (m) => m.update(IamAccessKeyEntity, { accessKeyId }, patch));
  }

  async deleteAccessKey(tx: Tx | null, accessKeyId: string): Promise<boolean> {
    return this.affected(tx, (m) => m.delete(IamAccessKeyEntity, { accessKeyId }));
  }

  /** Deletes keys whose `expiresAt` is before `now` (expired STS credentials); returns how many. */
  async deleteExpiredAccessKeys(tx: Tx | null, now: Date): Promise<number> {
    return this.write(tx, async (m) => {
      const result = await m
        .createQueryBuilder()
        .delete()
        .from(IamAccessKeyEntity)
        .where('expires_at < :now', { now: now.getTime() })
        .execute();
      return result.affected ?? 0;
    });
  }

  // Groups --------------------------------------------------------------------------------

  /** Throws DuplicateError('iam group', name). */
  async createGroup(
    tx: Tx | null,
    input: { name: string; isEnabled?: boolean; id?: string },
  ): Promise<IamGroup> {
    const row: IamGroupEntity = {
      id: input.id ?? randomUUID(),
      name: input.name,
      isEnabled: input.isEnabled ?? true,
      createdAt: new Date(),
    };
    await this.insertUnique(tx, IamGroupEntity, row, 'iam group', input.name);
    return toIamGroup(row);
  }

  async findGroupById(id: string, tx?: Tx): Promise<IamGroup | null> {
    const row = await this.reader(tx).findOne(IamGroupEntity, { where: { id } });
    return row === null ? null : toIamGroup(row);
  }

  async findGroupByName(name: string, tx?: Tx): Promise<IamGroup | null> {
    const row = await this.reader(tx).findOne(IamGroupEntity, { where: { name } });
    return row === null ? null : toIamGroup(row);
  }

  async listGroups(q: { afterName?: string; limit: number }): Promise<IamGroup[]> {
    const qb = this.reader().getRepository(IamGroupEntity).createQueryBuilder('g');
    if (q.afterName !== undefined) {
      qb.andWhere('g.name > :afterName', { afterName: q.afterName });
    }
    return (await qb.orderBy('g.name', 'ASC').limit(q.limit).getMany()).map(toIamGroup);
  }

  async updateGroup(tx: Tx | null, id: string, patch: { isEnabled: boolean }): Promise<boolean> {
    return this.affected(tx, (m) => m.update(IamGroupEntity, { id }, patch));
  }

  /** Deletes the group with its memberships and policy attachments. */
  async deleteGroup(tx: Tx | null, id: string): Promise<boolean> {
    return this.write(tx, async (m) => {
      await m.delete(IamPolicyAttachmentEntity, { principalType: 'group', principalId: id });
      return ((await m.delete(IamGroupEntity, { id })).affected ?? 0) > 0;
    });
  }

  /** Adds a member; false when already a member. Throws a foreign key error for a missing group or user. */
  async addMember(tx: Tx | null, groupId: string, userId: string): Promise<boolean> {
    try {
      await this.write(tx, (m) =>
        m.transaction((inner) => inner.insert(IamGroupMemberEntity, { groupId, userId })),
      );
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) {
        return false;
      }
      throw err;
    }
  }

  async removeMember(tx: Tx | null, groupId: string, userId: string): Promise<boolean> {
    return this.affected(tx, (m) => m.delete(IamGroupMemberEntity, { groupId, userId }));
  }

  /** Members of a group by user name. */
  async listMembers(groupId: string): Promise<IamUser[]> {
    const rows = await this.reader()
      .getRepository(IamUserEntity)
      .createQueryBuilder('u')
      .innerJoin(IamGroupMemberEntity, 'gm', 'gm.userId = u.id')
      .where('gm.groupId = :groupId', { groupId })
      .orderBy('u.name', 'ASC')
      .getMany();
    return rows.map(toIamUser);
  }

  /** Groups a user belongs to, by group name. */
  async listGroupsOfUser(userId: string, tx?: Tx): Promise<IamGroup[]> {
    const rows = await this.reader(tx)
      .getRepository(IamGroupEntity)
      .createQueryBuilder('g')
      .innerJoin(IamGroupMemberEntity, 'gm', 'gm.groupId = g.id')
      .where('gm.userId = :userId', { userId })
      .orderBy('g.name', 'ASC')
      .getMany();
    return rows.map(toIamGroup);
  }

  // Policies ------------------------------------------------------------------------------

  /** Throws DuplicateError('iam policy', name). */
  async createPolicy(
    tx: Tx | null,
    input: { name: string; document: string; isBuiltin?: boolean },
  ): Promise<IamPolicy> {
    const now = new Date();
    const row: IamPolicyEntity = {
      name: input.name,
      document: input.document,
      isBuiltin: input.isBuiltin ?? false,
      createdAt: now,
      updatedAt: now,
    };
    await this.insertUnique(tx, IamPolicyEntity, row, 'iam policy', input.name);
    return toIamPolicy(row);
  }

  /** Replaces a policy's document; false when it does not exist. */
  async updatePolicy(tx: Tx | null, name: string, document: string): Promise<boolean> {
    return this.affected(tx, (m) => m.update(IamPolicyEntity, { name }, { document, updatedAt: new Date() }));
  }

  async findPolicy(name: string, tx?: Tx): Promise<IamPolicy | null> {
    const row = await this.reader(tx).findOne(IamPolicyEntity, { where: { name } });
    return row === null ? null : toIamPolicy(row);
  }

  async listPolicies(): Promise<IamPolicy[]> {
    return (await this.reader().find(IamPolicyEntity, { order: { name: 'ASC' } })).map(toIamPolicy);
  }

  /** Deletes the policy and its attachments. */
  async deletePolicy(tx: Tx | null, name: string): Promise<boolean> {
    return this.affected(tx, (m) => m.delete(IamPolicyEntity, { name }));
  }

  async attachPolicy(tx: Tx | null, a: PolicyAttachment): Promise<AttachResult> {
    try {
      await this.write(tx, (m) =>
        m.transaction((inner) => inner.insert(IamPolicyAttachmentEntity, { ...a })),
      );
      return 'attached';
    } catch (err) {
      if (isUniqueViolation(err)) {
        return 'already-attached';
      }
      if (isForeignKeyViolation(err)) {
        return 'no-such-policy';
      }
      throw err;
    }
  }

  async detachPolicy(tx: Tx | null, a: PolicyAttachment): Promise<boolean> {
    return this.affected(tx, (m) => m.delete(IamPolicyAttachmentEntity, { ...a }));
  }

  /** Names of the policies attached to one principal, sorted. */
  async listAttachedPolicies(principalType: PrincipalType, principalId: string, tx?: Tx): Promise<string[]> {
    const rows = await this.reader(tx).find(IamPolicyAttachmentEntity, {
      where: { principalType, principalId },
      order: { policyName: 'ASC' },
    });
    return rows.map((r) => r.policyName);
  }

  async listPolicyAttachments(policyName: string): Promise<PolicyAttachment[]> {
    const rows = await this.reader().find(IamPolicyAttachmentEntity, { where: { policyName } });
    return rows.map((r) => ({
      policyName: r.policyName,
      principalType: r.principalType,
      principalId: r.principalId,
    }));
  }

  // Change counter ------------------------------------------------------------------------

  /** Increments the IAM version in `tx` (call it with every IAM change) and returns the new value. */
  bumpVersion(tx: Tx): Promise<number> {
    return incrementCounter(managerOf(tx), IAM_VERSION_KEY, this.dialect !== 'sqlite');
  }

  /** The committed IAM version; caches reload when it moves. 0 before the first change. */
  getVersion(): Promise<number> {
    return readCounter(this.reader(), IAM_VERSION_KEY);
  }

  /** Whether a root user exists (first-start bootstrap). */
  hasRootUser(): Promise<boolean> {
    return this.reader().exists(IamUserEntity, { where: { isRoot: true } });
  }
}
