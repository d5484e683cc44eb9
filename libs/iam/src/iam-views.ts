import { S3Error } from '@myfsio/common';
import { DuplicateError, type AccessKey, type IamRepository, type IamUser } from '@myfsio/metadata';
import { PolicyError } from '@myfsio/policy';

/** An access key as the admin API shows it: never the secret. */
export interface AccessKeyView {
  access_key: string;
  kind: AccessKey['kind'];
  status: AccessKey['status'];
  created_at: string;
  expires_at: string | null;
}

/** A user (or service account) as the admin API shows it. */
export interface UserView {
  user_id: string;
  name: string;
  display_name: string;
  is_root: boolean;
  enabled: boolean;
  locked_until: string | null;
  expires_at: string | null;
  parent_user_id: string | null;
  access_keys: AccessKeyView[];
  created_at: string;
}

/** Credentials just issued: the only response that ever carries a secret. */
export interface IssuedKeyView {
  access_key: string;
  secret_key: string;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function accessKeyView(key: AccessKey): AccessKeyView {
  return {
    access_key: key.accessKeyId,
    kind: key.kind,
    status: key.status,
    created_at: key.createdAt.toISOString(),
    expires_at: iso(key.expiresAt),
  };
}

export function userView(user: IamUser, keys: readonly AccessKey[], now = new Date()): UserView {
  const isLocked = user.lockedUntil !== null && user.lockedUntil > now && user.failedAttempts > 0;
  return {
    user_id: user.id,
    name: user.name,
    display_name: user.displayName ?? user.name,
    is_root: user.isRoot,
    enabled: user.isEnabled,
    // Only a lockout is shown; the end of a counting window is bookkeeping.
    locked_until: isLocked ? iso(user.lockedUntil) : null,
    expires_at: iso(user.expiresAt),
    parent_user_id: user.parentUserId,
    access_keys: keys.filter((k) => k.kind !== 'sts').map(accessKeyView),
    created_at: user.createdAt.toISOString(),
  };
}

/** NoSuchEntity naming what was looked for. */
export function noSuchEntity(what: string, ref: string): S3Error {
  return new S3Error('NoSuchEntity', { message: `The ${what} ${ref} cannot be found.` });
}

/** Runs `fn`, mapping a duplicate to EntityAlreadyExists and a policy error to MalformedPolicyDocument. */
export async function translateIamErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DuplicateError) {
      throw new S3Error('EntityAlreadyExists', { message: `The ${err.entity} ${err.value} already exists.` });
    }
    throw asPolicyError(err);
  }
}

/** A PolicyError as MalformedPolicyDocument (400) with its reason; anything else unchanged. */
export function asPolicyError(err: unknown): unknown {
  return err instanceof PolicyError ? new S3Error('MalformedPolicyDocument', { message: err.reason }) : err;
}

/**
 * The user a path names: a user id, an access key (the user it belongs to), or a user name.
 * @throws S3Error NoSuchEntity
 */
export async function resolveUser(repo: IamRepository, ref: string): Promise<IamUser> {
  const user =
    (await repo.findUserById(ref)) ??
    (await repo.findAccessKey(ref))?.user ??
    (await repo.findUserByName(ref));
  if (!user) {
    throw noSuchEntity('user', ref);
  }
  return user;
}
