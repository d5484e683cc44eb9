import { SecretBox } from '@myfsio/common';
import { IamRepository, type AccessKey, type IamUser } from '@myfsio/metadata';
import type { PolicyDocument } from '@myfsio/policy';
import { Injectable, Logger } from '@nestjs/common';
import {
  assembleIdentityPolicies,
  assembleSessionPolicy,
  type NamedPolicySource,
  type PolicyProblem,
} from './policy-assembly';
import { SecretKeyProvider } from './secret-key';

const ALLOW_ALL: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }],
};

/**
 * Everything authentication and authorization need about one access key, loaded once and
 * cached: the secret, the key's own user (a service account's row for its keys), the user it
 * acts as (the parent of a service account), and the parsed identity and session policies.
 */
export interface LoadedCredential {
  readonly key: AccessKey;
  /** The row the key belongs to; lockout state lives here. */
  readonly user: IamUser;
  /** The user whose permissions apply: `user`, or a service account's parent. */
  readonly actingUser: IamUser;
  /** Secret material: never log or serialise. */
  readonly secret: string;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly sessionPolicy?: PolicyDocument;
}

/** Builds {@link LoadedCredential}s from the IAM tables (a handful of queries per cache miss). */
@Injectable()
export class CredentialLoader {
  private readonly logger = new Logger('IAM');
  private box?: SecretBox;

  constructor(
    private readonly repo: IamRepository,
    private readonly secretKey: SecretKeyProvider,
  ) {}

  /** The credential of `accessKeyId`, or null when the key (or a service account's parent) is gone. */
  async load(accessKeyId: string): Promise<LoadedCredential | null> {
    const found = await this.repo.findAccessKey(accessKeyId);
    if (!found) {
      return null;
    }
    let secret: string;
    try {
      secret = this.secretBox().open(found.key.secretEncrypted);
    } catch {
      this.logger.error({ accessKeyId }, 'cannot decrypt a stored secret: was SECRET_KEY changed?');
      return null;
    }
    const { key, user } = found;
    const actingUser = user.parentUserId === null ? user : await this.repo.findUserById(user.parentUserId);
    if (!actingUser) {
      return null;
    }
    const onProblem = (p: PolicyProblem) =>
      this.logger.warn(
        { user: actingUser.name, source: p.source, reason: p.reason },
        'ignoring a bad policy',
      );
    return {
      key,
      user,
      actingUser,
      secret,
      // The root's own keys bypass policies (principal.isRoot); its service accounts get every
      // permission as an identity policy, so that their session policy can still narrow it.
      identityPolicies: actingUser.isRoot ? [ALLOW_ALL] : await this.identityPolicies(actingUser, onProblem),
      // An STS key's own policy wins; otherwise a service account's (STS under a service account inherits it).
      sessionPolicy: assembleSessionPolicy(key.sessionPolicy ?? user.sessionPolicy, onProblem),
    };
  }

  /** The user's inline policies, its attached policies and those of its enabled groups. */
  private async identityPolicies(
    user: IamUser,
    onProblem: (p: PolicyProblem) => void,
  ): Promise<PolicyDocument[]> {
    const names = await this.repo.listAttachedPolicies('user', user.id);
    for (const group of await this.repo.listGroupsOfUser(user.id)) {
      if (group.isEnabled) {
        names.push(...(await this.repo.listAttachedPolicies('group', group.id)));
      }
    }
    const attached: NamedPolicySource[] = [];
    for (const name of new Set(names)) {
      const policy = await this.repo.findPolicy(name);
      if (policy) {
        attached.push(policy);
      }
    }
    return assembleIdentityPolicies({ inlinePolicies: user.inlinePolicies, attached }, onProblem);
  }

  /** Seals a secret for storage with the server key. */
  seal(secret: string): string {
    return this.secretBox().seal(secret);
  }

  private secretBox(): SecretBox {
    this.box ??= new SecretBox(this.secretKey.get());
    return this.box;
  }
}
