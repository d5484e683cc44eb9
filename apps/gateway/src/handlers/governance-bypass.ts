import { isS3Error } from '@myfsio/common';
import { Authorizer } from '@myfsio/iam';
import type { GovernanceBypass } from '@myfsio/objects';
import { Injectable, Logger } from '@nestjs/common';
import { header, type RequestContext } from '../http/request-context';

/**
 * The name under which the bypass is put to the authorization step: a separate required
 * action, s3:BypassGovernanceRetention, beside the operation's own
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-bypass).
 * The policy engine maps it to that action; the base Authorizer admits any authenticated caller.
 */
export const BYPASS_GOVERNANCE_ACTION = 'BypassGovernanceRetention';

/** Builds the lazy governance-bypass check of a request (deletes, PutObjectRetention). */
@Injectable()
export class GovernanceBypassCheck {
  private readonly logger = new Logger('GovernanceBypass');

  constructor(private readonly authorizer: Authorizer) {}

  /**
   * False unless `x-amz-bypass-governance-retention: true` was sent; then whether the caller
   * is authorized for s3:BypassGovernanceRetention on the object (a refusal, or any failure to
   * decide, means "no bypass", so the lock's own AccessDenied is what the client sees).
   */
  of(ctx: RequestContext): GovernanceBypass {
    if (header(ctx, 'x-amz-bypass-governance-retention')?.toLowerCase() !== 'true') {
      return () => Promise.resolve(false);
    }
    return async () => {
      try {
        await this.authorizer.authorize({
          op: { ...ctx.op, name: BYPASS_GOVERNANCE_ACTION },
          principal: ctx.principal,
          sourceIp: ctx.sourceIp,
          isSecureTransport: ctx.isSecureTransport,
        });
        return true;
      } catch (err) {
        if (!isS3Error(err) || err.code !== 'AccessDenied') {
          // Fail closed: an authorizer that cannot judge this action (e.g. a policy engine without
          // a mapping for it yet) must never let a GOVERNANCE lock be bypassed.
          this.logger.warn({ err, requestId: ctx.requestId }, 'governance bypass could not be authorized');
        }
        return false;
      }
    };
  }
}
