import { generateAccessKeyId, generateSecretKey, S3Error } from '@myfsio/common';
import { IamRepository, type IamUser } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { IamUsersService } from './iam-users.service';
import {
  asPolicyError,
  noSuchEntity,
  resolveUser,
  translateIamErrors,
  userView,
  type IssuedKeyView,
  type UserView,
} from './iam-views';
import { parseInlinePolicy } from './policy-assembly';

/** What creating a service account takes. */
export interface NewServiceAccountInput {
  /** The service account's name; default its access key. */
  name?: string;
  displayName?: string;
  /** A session policy (simple array or AWS document) that narrows the parent's permissions. */
  policy?: unknown;
  expiresAt?: Date | null;
}

/** A service account as the admin API shows it. */
export interface ServiceAccountView extends UserView {
  parent_user: string;
  /** The session policy, or null when the account has all of its parent's permissions. */
  policy: unknown;
}

/**
 * Service accounts (MinIO's `mc admin user svcacct`): a user row with a parent, whose keys act
 * as the parent (same identity policies, same ARN) optionally narrowed by a session policy.
 * Disabling or deleting the parent disables or deletes them; they cannot have policies attached.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly repo: IamRepository,
    private readonly users: IamUsersService,
  ) {}

  /** Creates a service account of `parentRef` with one access key. */
  async create(
    parentRef: string,
    input: NewServiceAccountInput,
  ): Promise<ServiceAccountView & IssuedKeyView> {
    const parent = await resolveUser(this.repo, parentRef);
    if (parent.parentUserId !== null) {
      throw new S3Error('ValidationError', { message: 'A service account cannot have service accounts.' });
    }
    const sessionPolicy =
      input.policy === undefined || input.policy === null ? null : validPolicy(input.policy);
    const accessKeyId = generateAccessKeyId();
    const secretKey = generateSecretKey();
    const account = await this.users.mutate((tx) =>
      translateIamErrors(async () => {
        const created = await this.repo.createUser(tx, {
          name: input.name ?? accessKeyId,
          displayName: input.displayName ?? null,
          parentUserId: parent.id,
          sessionPolicy,
          expiresAt: input.expiresAt ?? null,
        });
        await this.users.issueKey(tx, created.id, accessKeyId, secretKey, 'service');
        return created;
      }),
    );
    return { ...(await this.view(account, parent)), access_key: accessKeyId, secret_key: secretKey };
  }

  async list(parentRef: string): Promise<ServiceAccountView[]> {
    const parent = await resolveUser(this.repo, parentRef);
    const accounts = await this.repo.listUsers({ limit: 10_000, parentUserId: parent.id });
    return Promise.all(accounts.map((a) => this.view(a, parent)));
  }

  async get(ref: string): Promise<ServiceAccountView> {
    const account = await this.account(ref);
    return this.view(account);
  }

  /** Replaces (or with null removes) the session policy. */
  async setPolicy(ref: string, policy: unknown): Promise<ServiceAccountView> {
    const account = await this.account(ref);
    const sessionPolicy = policy === null ? null : validPolicy(policy);
    await this.users.mutate((tx) => this.repo.updateUser(tx, account.id, { sessionPolicy }));
    return this.get(account.id);
  }

  async setEnabled(ref: string, isEnabled: boolean): Promise<ServiceAccountView> {
    const account = await this.account(ref);
    await this.users.mutate((tx) => this.repo.updateUser(tx, account.id, { isEnabled }));
    return this.get(account.id);
  }

  async delete(ref: string): Promise<void> {
    const account = await this.account(ref);
    await this.users.mutate((tx) => this.repo.deleteUser(tx, account.id));
  }

  /** The service account a path names (id, access key or name). @throws NoSuchEntity */
  private async account(ref: string): Promise<IamUser> {
    const user = await resolveUser(this.repo, ref).catch(() => null);
    if (!user || user.parentUserId === null) {
      throw noSuchEntity('service account', ref);
    }
    return user;
  }

  private async view(account: IamUser, parent?: IamUser): Promise<ServiceAccountView> {
    const owner = parent ?? (await this.repo.findUserById(account.parentUserId ?? ''));
    return {
      ...userView(account, await this.repo.listAccessKeys(account.id)),
      parent_user: owner?.name ?? '',
      policy: account.sessionPolicy === null ? null : (JSON.parse(account.sessionPolicy) as unknown),
    };
  }
}

function validPolicy(policy: unknown): string {
  const json = JSON.stringify(policy);
  try {
    parseInlinePolicy(json);
  } catch (err) {
    throw asPolicyError(err);
  }
  return json;
}
