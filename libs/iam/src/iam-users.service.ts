import { generateAccessKeyId, generateSecretKey, S3Error } from '@myfsio/common';
import { IamRepository, UnitOfWork, type IamUser, type Tx } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { IamService } from './iam.service';
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

/** The inline policy the spec's "policies" array is stored under. */
export const DEFAULT_INLINE_POLICY = 'default';

/** What creating a user takes (the spec's `POST /iam/users` body). */
export interface NewUserInput {
  name?: string;
  displayName?: string;
  /** Simple policies (`[{bucket, actions, prefix?}]`) or an AWS identity policy object. */
  policies?: unknown;
  expiresAt?: Date | null;
}

/** A user's policies as the admin API shows them. */
export interface UserPoliciesView {
  user_id: string;
  /** The spec's simple policy array (or AWS document) of the default inline policy; [] when none. */
  policies: unknown;
  /** Every inline policy by name. */
  inline_policies: Record<string, unknown>;
  /** Names of attached named or canned policies. */
  attached_policies: string[];
  /** Groups the user belongs to (with whether each is enabled). */
  groups: { name: string; enabled: boolean }[];
}

/**
 * IAM users and their access keys, for the admin API. Every change runs in one transaction that
 * bumps the IAM version, then invalidates the credential caches ({@link IamService.changed}).
 * Secrets are returned once, when issued, and stored sealed.
 */
@Injectable()
export class IamUsersService {
  constructor(
    private readonly repo: IamRepository,
    private readonly uow: UnitOfWork,
    private readonly iam: IamService,
  ) {}

  /** Every regular user (service accounts are listed under their parent), by name. */
  async list(): Promise<UserView[]> {
    const users = await this.repo.listUsers({ limit: 10_000, parentUserId: null });
    return Promise.all(users.map(async (u) => userView(u, await this.repo.listAccessKeys(u.id))));
  }

  async get(ref: string): Promise<UserView> {
    const user = await resolveUser(this.repo, ref);
    return userView(user, await this.repo.listAccessKeys(user.id));
  }

  /** Creates a user with one access key. @throws EntityAlreadyExists, MalformedPolicyDocument */
  async create(input: NewUserInput): Promise<UserView & IssuedKeyView> {
    const inlinePolicies = input.policies === undefined ? null : policiesToInline(input.policies);
    const accessKeyId = generateAccessKeyId();
    const secretKey = generateSecretKey();
    const user = await this.mutate((tx) =>
      translateIamErrors(async () => {
        const created = await this.repo.createUser(tx, {
          name: input.name ?? accessKeyId,
          displayName: input.displayName ?? null,
          inlinePolicies,
          expiresAt: input.expiresAt ?? null,
        });
        await this.issueKey(tx, created.id, accessKeyId, secretKey, 'user');
        return created;
      }),
    );
    return { ...(await this.get(user.id)), access_key: accessKeyId, secret_key: secretKey };
  }

  /** Deletes a user with its keys, memberships and service accounts. The root user cannot be deleted. */
  async delete(ref: string): Promise<void> {
    const user = await this.mutableUser(ref);
    await this.mutate((tx) => this.repo.deleteUser(tx, user.id));
  }

  /** Replaces the user's inline policies with `policies` (simple array or AWS document). */
  async putPolicies(ref: string, policies: unknown): Promise<UserPoliciesView> {
    const inlinePolicies = policiesToInline(policies);
    const user = await resolveUser(this.repo, ref);
    await this.mutate((tx) => this.repo.updateUser(tx, user.id, { inlinePolicies }));
    return this.getPolicies(user.id);
  }

  async getPolicies(ref: string): Promise<UserPoliciesView> {
    const user = await resolveUser(this.repo, ref);
    const inline: Record<string, unknown> = {};
    for (const [name, json] of Object.entries(user.inlinePolicies ?? {})) {
      inline[name] = safeJson(json);
    }
    const groups = await this.repo.listGroupsOfUser(user.id);
    return {
      user_id: user.id,
      policies: inline[DEFAULT_INLINE_POLICY] ?? [],
      inline_policies: inline,
      attached_policies: await this.repo.listAttachedPolicies('user', user.id),
      groups: groups.map((g) => ({ name: g.name, enabled: g.isEnabled })),
    };
  }

  /** Sets (or with null clears) the user's credential expiry. */
  async setExpiry(ref: string, expiresAt: Date | null): Promise<UserView> {
    const user = await this.mutableUser(ref);
    await this.mutate((tx) => this.repo.updateUser(tx, user.id, { expiresAt }));
    return this.get(user.id);
  }

  /** Disables or re-enables the user (its service accounts follow). Also clears a lockout on enable. */
  async setEnabled(ref: string, isEnabled: boolean): Promise<UserView> {
    const user = await this.mutableUser(ref);
    const patch = isEnabled ? { isEnabled, failedAttempts: 0, lockedUntil: null } : { isEnabled };
    await this.mutate((tx) => this.repo.updateUser(tx, user.id, patch));
    return this.get(user.id);
  }

  /** Adds an access key to the user; the secret is in this response only. */
  async createKey(ref: string): Promise<IssuedKeyView> {
    const user = await resolveUser(this.repo, ref);
    const accessKeyId = generateAccessKeyId();
    const secretKey = generateSecretKey();
    await this.mutate((tx) =>
      this.issueKey(tx, user.id, accessKeyId, secretKey, user.parentUserId ? 'service' : 'user'),
    );
    return { access_key: accessKeyId, secret_key: secretKey };
  }

  /** Deletes one of the user's access keys. @throws NoSuchEntity when it is not this user's */
  async deleteKey(ref: string, accessKeyId: string): Promise<void> {
    const user = await resolveUser(this.repo, ref);
    await this.ownKey(user, accessKeyId);
    await this.mutate((tx) => this.repo.deleteAccessKey(tx, accessKeyId));
  }

  /**
   * Replaces the secret of `accessKeyId` (the spec's rotate); the old secret stops working at
   * once. When `ref` is given, the key must belong to that user.
   */
  async rotate(accessKeyId: string, ref?: string): Promise<IssuedKeyView> {
    const found = await this.repo.findAccessKey(accessKeyId);
    if (!found || found.key.kind === 'sts') {
      throw noSuchEntity('access key', accessKeyId);
    }
    if (ref !== undefined) {
      await this.ownKey(await resolveUser(this.repo, ref), accessKeyId);
    }
    const secretKey = generateSecretKey();
    const secretEncrypted = this.iam.sealSecret(secretKey);
    await this.mutate((tx) => this.repo.updateAccessKey(tx, accessKeyId, { secretEncrypted }));
    return { access_key: accessKeyId, secret_key: secretKey };
  }

  /** Runs a change in a transaction that bumps the IAM version, then invalidates the caches. */
  async mutate<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.uow.run(async (tx) => {
      const value = await fn(tx);
      await this.repo.bumpVersion(tx);
      return value;
    });
    this.iam.changed();
    return result;
  }

  /** Stores a new key with its sealed secret. */
  async issueKey(
    tx: Tx,
    userId: string,
    accessKeyId: string,
    secretKey: string,
    kind: 'user' | 'service',
  ): Promise<void> {
    await this.repo.createAccessKey(tx, {
      accessKeyId,
      userId,
      secretEncrypted: this.iam.sealSecret(secretKey),
      kind,
    });
  }

  private async ownKey(user: IamUser, accessKeyId: string): Promise<void> {
    const keys = await this.repo.listAccessKeys(user.id);
    if (!keys.some((k) => k.accessKeyId === accessKeyId)) {
      throw noSuchEntity('access key', `${accessKeyId} of user ${user.name}`);
    }
  }

  // The bootstrap administrator is the way back in: it cannot be deleted, disabled or expired.
  private async mutableUser(ref: string): Promise<IamUser> {
    const user = await resolveUser(this.repo, ref);
    if (user.isRoot) {
      throw new S3Error('DeleteConflict', {
        message: 'The root user cannot be deleted, disabled or expired.',
      });
    }
    return user;
  }
}

/** Validates policies (simple array or AWS document) and stores them as the default inline policy. */
export function policiesToInline(policies: unknown): Record<string, string> {
  const json = JSON.stringify(policies);
  try {
    parseInlinePolicy(json);
  } catch (err) {
    throw asPolicyError(err);
  }
  return { [DEFAULT_INLINE_POLICY]: json };
}

function safeJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
