import { generateAccessKeyId, generateSecretKey, S3Error } from '@myfsio/common';
import { IamRepository } from '@myfsio/metadata';
import { evaluate } from '@myfsio/policy';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { IamService } from './iam.service';
import { asPolicyError } from './iam-views';
import { parseInlinePolicy } from './policy-assembly';
import type { UserPrincipal } from './principal';
import type { AssumeRoleParams, TemporaryCredentials } from './sts-request';

/**
 * Any user may take temporary credentials of its own permissions (as in MinIO), unless a policy
 * in force explicitly denies `sts:AssumeRole`. (The gateway's authorizer leaves this check to STS.)
 */
function explicitlyDenied(caller: UserPrincipal): boolean {
  const facts = {
    action: 'sts:AssumeRole',
    resource: '*',
    principal: {
      type: 'user' as const,
      arn: caller.arn,
      accessKeyId: caller.accessKeyId,
      userName: caller.userName,
      userId: caller.userId,
    },
    context: {},
  };
  const docs = [...caller.identityPolicies, ...(caller.sessionPolicy ? [caller.sessionPolicy] : [])];
  return docs.some((doc) => evaluate(doc, facts, { kind: 'identity' }) === 'Deny');
}

/** How often expired temporary keys are deleted. */
const CLEANUP_INTERVAL_MS = 10 * 60_000;

/**
 * STS AssumeRole: temporary credentials (access key, secret, session token) that act as the
 * calling user until they expire, narrowed by an optional session policy. The key is stored like
 * any other (secret sealed, kind 'sts', expiry); the token is an HMAC under SECRET_KEY.
 */
@Injectable()
export class StsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('STS');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: IamRepository,
    private readonly iam: IamService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.deleteExpired(), CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * Issues temporary credentials for `caller`. The root user and temporary credentials may not
   * assume a role (as in MinIO), nor may a caller whose policies explicitly deny `sts:AssumeRole`;
   * a service account's session policy carries over when no Policy is given.
   * @throws S3Error AccessDenied, MalformedPolicyDocument
   */
  async assumeRole(caller: UserPrincipal, params: AssumeRoleParams): Promise<TemporaryCredentials> {
    const found = await this.repo.findAccessKey(caller.accessKeyId);
    if (!found) {
      throw new S3Error('InvalidAccessKeyId');
    }
    if (caller.isRoot || found.user.isRoot) {
      throw new S3Error('AccessDenied', {
        message: 'The root user cannot assume a role; create a user and call AssumeRole with its keys.',
      });
    }
    if (found.key.kind === 'sts') {
      throw new S3Error('AccessDenied', { message: 'Temporary credentials cannot call AssumeRole.' });
    }
    if (explicitlyDenied(caller)) {
      throw new S3Error('AccessDenied', { message: 'Not allowed to perform sts:AssumeRole.' });
    }
    if (params.policy !== undefined) {
      if (found.user.sessionPolicy !== null) {
        throw new S3Error('AccessDenied', {
          message: 'A service account with a policy cannot pass another session policy.',
        });
      }
      try {
        parseInlinePolicy(params.policy);
      } catch (err) {
        throw asPolicyError(err);
      }
    }
    // Whole seconds: the Expiration the client sees is exactly the stored one.
    const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + params.durationSeconds * 1000);
    const accessKeyId = generateAccessKeyId('MT');
    const secretAccessKey = generateSecretKey();
    await this.repo.createAccessKey(null, {
      accessKeyId,
      userId: found.user.id,
      secretEncrypted: this.iam.sealSecret(secretAccessKey),
      kind: 'sts',
      sessionPolicy: params.policy ?? null,
      expiresAt: expiration,
    });
    const sessionName = params.roleSessionName ?? caller.userName;
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken: this.iam.sessionToken(accessKeyId),
      expiration,
      assumedRoleArn: `arn:aws:sts::000000000000:assumed-role/${caller.userName}/${sessionName}`,
      assumedRoleId: `${caller.userId}:${sessionName}`,
    };
  }

  /** Deletes expired temporary keys (any gateway may run it; it is idempotent). */
  async deleteExpired(): Promise<number> {
    try {
      return await this.repo.deleteExpiredAccessKeys(null, new Date());
    } catch (err) {
      this.logger.warn({ err }, 'cannot delete expired temporary credentials');
      return 0;
    }
  }
}
