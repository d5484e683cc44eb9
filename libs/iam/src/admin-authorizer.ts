import { S3Errors } from '@myfsio/common';
import { decide } from '@myfsio/policy';
import { Injectable } from '@nestjs/common';
import type { Principal } from './principal';

/**
 * Decides admin API actions (`iam:CreateUser`, `admin:RunGc`, …) with the same policy engine as
 * the gateway: the root user may do everything; any other user needs an identity policy that
 * allows the action (and no Deny), within its session policy when it has one.
 */
@Injectable()
export class AdminAuthorizer {
  /** Throws AccessDenied unless `principal` may perform `action` on `resource` ('*' by default). */
  check(principal: Principal, action: string, resource = '*'): void {
    if (principal.kind === 'anonymous') {
      throw S3Errors.accessDenied('The admin API needs credentials.');
    }
    const verdict = decide(
      {
        identity: [...principal.identityPolicies],
        session: principal.sessionPolicy,
        isRoot: principal.isRoot,
      },
      {
        action,
        resource,
        principal: {
          type: 'user',
          arn: principal.arn,
          accessKeyId: principal.accessKeyId,
          userName: principal.userName,
          userId: principal.userId,
        },
        context: {},
      },
    );
    if (!verdict.allowed) {
      throw S3Errors.accessDenied(`Not allowed to perform ${action}.`);
    }
  }
}
