import type { AuthenticatedRequest, CredentialSource } from '@myfsio/auth';
import { generateAccessKeyId, generateSecretKey, S3Error } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { IamRepository, UnitOfWork } from '@myfsio/metadata';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CredentialLoader, type LoadedCredential } from './credential-loader';
import { IamChangeBus } from './iam-change-bus';
import { afterFailedAttempt, CLEAR_FAILURES, isLockedOut, type LockoutPolicy } from './lockout';
import { ANONYMOUS, userArn, type Principal } from './principal';
import { SecretKeyProvider } from './secret-key';
import { sessionTokenFor, sessionTokenMatches } from './sts-token';

/** The root user's name; it is the owner of buckets created by the bootstrap credentials. */
export const ROOT_USER_NAME = 'admin';

/** Bounds the cache; unknown keys are cached too, so a flood of bad keys costs no queries. */
const MAX_CACHED_KEYS = 10_000;

export interface IssuedCredentials {
  accessKeyId: string;
  secretKey: string;
}

/**
 * Identities for the request path: resolves access keys to secrets and principals (with their
 * parsed identity and session policies) from a cache, so authentication and authorization cost
 * no database round-trip while nothing changed. Every change bumps the IAM version in the
 * database and calls {@link changed}; other processes drop their caches when the change bus
 * (Redis) tells them, or at the latest when their poll of the version sees it move.
 */
@Injectable()
export class IamService implements CredentialSource, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('IAM');
  private readonly cache = new Map<string, LoadedCredential | null>();
  // Bumped by every invalidation, so a load that raced with one is not cached.
  private generation = 0;
  private knownVersion: number | null = null;
  private poller?: NodeJS.Timeout;
  private readonly lockout: LockoutPolicy;

  constructor(
    private readonly config: AppConfig,
    private readonly repo: IamRepository,
    private readonly uow: UnitOfWork,
    private readonly secretKey: SecretKeyProvider,
    private readonly loader: CredentialLoader,
    private readonly bus: IamChangeBus,
  ) {
    this.lockout = {
      maxAttempts: config.auth.maxAttempts,
      lockoutMs: config.auth.lockoutMinutes * 60_000,
    };
  }

  onModuleInit(): void {
    this.bus.subscribe(() => this.invalidate());
    this.poller = setInterval(
      () => void this.refreshIfChanged(),
      this.config.auth.iamRefreshIntervalSeconds * 1000,
    );
    this.poller.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.poller);
  }

  /** CredentialSource: the secret of an access key, or null when unknown. */
  async findSecret(accessKeyId: string): Promise<string | null> {
    return (await this.credential(accessKeyId))?.secret ?? null;
  }

  /**
   * CredentialSource: a request signed with a known key failed its signature check. Counts the
   * failure on the key's user and locks the user out once AUTH_MAX_ATTEMPTS failures fall within
   * AUTH_LOCKOUT_MINUTES. Only the failure path touches the database; never throws.
   */
  async recordSignatureFailure(accessKeyId: string): Promise<void> {
    try {
      const cred = await this.credential(accessKeyId);
      if (!cred || cred.user.isRoot) {
        // The bootstrap administrator is never locked out: it is the way back in.
        return;
      }
      const now = new Date();
      if (isLockedOut(cred.user, now, this.lockout)) {
        // Known to be locked: a flood of bad signatures costs no queries.
        return;
      }
      const isNowLocked = await this.uow.run(async (tx) => {
        const user = await this.repo.findUserForUpdate(tx, cred.user.id);
        if (!user) {
          return false;
        }
        if (isLockedOut(user, now, this.lockout)) {
          // Already locked: further failures change nothing, so they cost no write.
          Object.assign(cred.user, { failedAttempts: user.failedAttempts, lockedUntil: user.lockedUntil });
          return false;
        }
        const next = afterFailedAttempt(user, now, this.lockout);
        await this.repo.updateUser(tx, user.id, next);
        const locked = isLockedOut(next, now, this.lockout);
        if (locked) {
          await this.repo.bumpVersion(tx);
        }
        // Keep the cached copy current so that a later success knows to reset the count.
        Object.assign(cred.user, next);
        return locked;
      });
      if (isNowLocked) {
        this.logger.warn({ user: cred.user.name, accessKeyId }, 'user locked out after failed signatures');
        this.changed();
      }
    } catch (err) {
      this.logger.warn({ err, accessKeyId }, 'cannot record a failed signature');
    }
  }

  /**
   * The principal of an authenticated request, checked in the spec's order: lockout, then
   * disabled, then expiry; temporary (STS) keys must present their session token. Anonymous
   * requests get the anonymous principal.
   * @throws S3Error InvalidAccessKeyId, AccessDenied (locked out, disabled, expired),
   *   InvalidToken (wrong or missing session token), ExpiredToken (temporary credentials expired).
   */
  async principalFor(auth: AuthenticatedRequest): Promise<Principal> {
    if (auth.scheme === 'anonymous' || auth.accessKeyId === undefined) {
      return ANONYMOUS;
    }
    const cred = await this.credential(auth.accessKeyId);
    if (!cred) {
      throw new S3Error('InvalidAccessKeyId', { fields: { AWSAccessKeyId: auth.accessKeyId } });
    }
    const now = new Date();
    const { key, user, actingUser } = cred;
    if (key.kind === 'sts') {
      this.checkSessionToken(cred, auth.sessionToken, now);
    }
    if (isLockedOut(user, now, this.lockout)) {
      throw lockedOut(user.lockedUntil);
    }
    if (!user.isEnabled || !actingUser.isEnabled || key.status !== 'active') {
      throw new S3Error('AccessDenied', { message: 'The credentials are disabled.' });
    }
    if (
      [user.expiresAt, actingUser.expiresAt, key.expiresAt].some((d) => d && d.getTime() <= now.getTime())
    ) {
      throw new S3Error('AccessDenied', { message: 'The credentials have expired.' });
    }
    if (user.failedAttempts > 0) {
      this.resetFailures(cred);
    }
    return {
      kind: 'user',
      userId: actingUser.id,
      userName: actingUser.name,
      displayName: actingUser.displayName ?? actingUser.name,
      accessKeyId: key.accessKeyId,
      arn: userArn(actingUser.name),
      isRoot: actingUser.isRoot && key.kind === 'user',
      identityPolicies: cred.identityPolicies,
      sessionPolicy: cred.sessionPolicy,
    };
  }

  /** The session token of the temporary credentials `accessKeyId`. */
  sessionToken(accessKeyId: string): string {
    return sessionTokenFor(this.secretKey.get(), accessKeyId);
  }

  /** Seals a secret with the server key for storage (the database never holds a plaintext secret). */
  sealSecret(secret: string): string {
    return this.loader.seal(secret);
  }

  /** First boot: creates the root user when none exists and returns its credentials (else null). */
  async bootstrapAdmin(): Promise<IssuedCredentials | null> {
    if (await this.repo.findUserByName(ROOT_USER_NAME)) {
      return null;
    }
    return this.issueRootCredentials();
  }

  /** `--reset-cred`: replaces every access key of the root user (creating it if needed). */
  resetAdminCredentials(): Promise<IssuedCredentials> {
    return this.issueRootCredentials();
  }

  /**
   * Call after committing any IAM change (the transaction must have bumped the version): drops
   * this process's cache at once and tells the other processes.
   */
  changed(): void {
    this.invalidate();
    this.bus.publish();
  }

  /** Drops every cached credential; the next request reloads from the database. */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  private checkSessionToken(cred: LoadedCredential, token: string | undefined, now: Date): void {
    const expiresAt = cred.key.expiresAt;
    if (expiresAt === null || !sessionTokenMatches(token, this.sessionToken(cred.key.accessKeyId))) {
      throw new S3Error('InvalidToken');
    }
    if (expiresAt.getTime() <= now.getTime()) {
      throw new S3Error('ExpiredToken');
    }
  }

  // A success clears the failure count. Only a user with failures pays a (background) write.
  private resetFailures(cred: LoadedCredential): void {
    Object.assign(cred.user, CLEAR_FAILURES);
    this.repo
      .updateUser(null, cred.user.id, { ...CLEAR_FAILURES })
      .catch((err: unknown) => this.logger.warn({ err }, 'cannot reset the failure count'));
  }

  private async issueRootCredentials(): Promise<IssuedCredentials> {
    const accessKeyId = this.config.auth.adminAccessKey ?? generateAccessKeyId();
    const secretKey = this.config.auth.adminSecretKey ?? generateSecretKey();
    const sealed = this.sealSecret(secretKey);
    await this.uow.run(async (tx) => {
      let user = await this.repo.findUserByName(ROOT_USER_NAME, tx);
      user ??= await this.repo.createUser(tx, {
        name: ROOT_USER_NAME,
        displayName: 'Administrator',
        isRoot: true,
      });
      for (const key of await this.repo.listAccessKeys(user.id)) {
        await this.repo.deleteAccessKey(tx, key.accessKeyId);
      }
      // An ADMIN_ACCESS_KEY reused from another user would collide; the old holder loses it.
      await this.repo.deleteAccessKey(tx, accessKeyId);
      await this.repo.createAccessKey(tx, {
        accessKeyId,
        userId: user.id,
        secretEncrypted: sealed,
        kind: 'user',
      });
      await this.repo.bumpVersion(tx);
    });
    this.changed();
    return { accessKeyId, secretKey };
  }

  private async credential(accessKeyId: string): Promise<LoadedCredential | null> {
    const cached = this.cache.get(accessKeyId);
    if (cached !== undefined) {
      return cached;
    }
    const generation = this.generation;
    const entry = await this.loader.load(accessKeyId);
    if (generation === this.generation) {
      if (this.cache.size >= MAX_CACHED_KEYS) {
        this.cache.clear();
      }
      this.cache.set(accessKeyId, entry);
    }
    return entry;
  }

  private async refreshIfChanged(): Promise<void> {
    try {
      const version = await this.repo.getVersion();
      // The first poll clears too: a change made between loading a credential and that poll
      // would otherwise go unnoticed.
      if (version !== this.knownVersion) {
        this.invalidate();
      }
      this.knownVersion = version;
    } catch (err) {
      this.logger.warn({ err }, 'cannot read the IAM version');
    }
  }
}

/** AccessDenied with the time the lockout ends. */
function lockedOut(lockedUntil: Date | null): S3Error {
  const until = lockedUntil ? ` until ${lockedUntil.toISOString()}` : '';
  return new S3Error('AccessDenied', {
    message: `The account is locked after too many failed sign-in attempts${until}.`,
  });
}
