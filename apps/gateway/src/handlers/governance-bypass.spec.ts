import { S3Errors } from '@myfsio/common';
import { type AuthorizationRequest, Authorizer } from '@myfsio/iam';
import type { RequestContext } from '../http/request-context';
import { BYPASS_GOVERNANCE_ACTION, GovernanceBypassCheck } from './governance-bypass';

/** An authorizer that records what it was asked and answers with `decide`. */
class RecordingAuthorizer extends Authorizer {
  readonly asked: string[] = [];
  constructor(private readonly decide: () => Promise<void>) {
    // Only authorize() is used, and it is overridden: the stores are never reached.
    super(...([undefined, undefined, undefined] as unknown as ConstructorParameters<typeof Authorizer>));
  }
  override authorize(request: AuthorizationRequest): Promise<void> {
    this.asked.push(request.op.name);
    return this.decide();
  }
}

function ctx(headers: Record<string, string>): RequestContext {
  return {
    requestId: 'r1',
    headers,
    op: { name: 'DeleteObject', bucket: 'b', key: 'k', query: new URLSearchParams() },
    principal: { kind: 'user', userId: 'u', displayName: 'u' },
    sourceIp: '127.0.0.1',
    isSecureTransport: false,
  } as unknown as RequestContext;
}

describe('GovernanceBypassCheck', () => {
  it('is false without the header and never asks the authorizer', async () => {
    const authorizer = new RecordingAuthorizer(() => Promise.resolve());
    expect(await new GovernanceBypassCheck(authorizer).of(ctx({}))()).toBe(false);
    expect(authorizer.asked).toEqual([]);
  });

  it('asks for s3:BypassGovernanceRetention as its own action when the header is true', async () => {
    const authorizer = new RecordingAuthorizer(() => Promise.resolve());
    const bypass = new GovernanceBypassCheck(authorizer).of(
      ctx({ 'x-amz-bypass-governance-retention': 'true' }),
    );
    expect(authorizer.asked).toEqual([]);
    expect(await bypass()).toBe(true);
    expect(authorizer.asked).toEqual([BYPASS_GOVERNANCE_ACTION]);
  });

  it('is false when the authorizer refuses or cannot decide (fail closed)', async () => {
    const header = { 'x-amz-bypass-governance-retention': 'true' };
    const refused = new RecordingAuthorizer(() => Promise.reject(S3Errors.accessDenied()));
    expect(await new GovernanceBypassCheck(refused).of(ctx(header))()).toBe(false);
    const broken = new RecordingAuthorizer(() => Promise.reject(new Error('no mapping')));
    expect(await new GovernanceBypassCheck(broken).of(ctx(header))()).toBe(false);
  });
});
