import { evaluate } from './evaluate';
import type { RequestPrincipal } from './types';
import { ALICE, ANONYMOUS, BOB, evalStatement, facts, policy } from './spec-helpers';

function bucketDecision(principalElement: unknown, caller: RequestPrincipal, not = false) {
  const statement = {
    Effect: not ? 'Deny' : 'Allow',
    [not ? 'NotPrincipal' : 'Principal']: principalElement,
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
  };
  const doc = policy({ Version: '2012-10-17', Statement: [statement] }, 'bucket', 'b');
  return evaluate(doc, facts('s3:GetObject', 'b/k', caller), { kind: 'bucket' });
}

describe('evaluate: Action and Resource', () => {
  const statement = { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/docs/*' };

  it.each([
    ['s3:GetObject', 'b/docs/a.txt', 'Allow'],
    ['S3:GETOBJECT', 'b/docs/a.txt', 'Allow'],
    ['s3:PutObject', 'b/docs/a.txt', 'NotApplicable'],
    ['s3:GetObject', 'b/Docs/a.txt', 'NotApplicable'],
    ['s3:GetObject', 'b/other', 'NotApplicable'],
  ])('%s on %s → %s (actions case-insensitive, resources case-sensitive)', (action, resource, expected) => {
    expect(evalStatement(statement, facts(action, resource))).toBe(expected);
  });

  it('NotAction matches every action it does not list', () => {
    const s = { Effect: 'Allow', NotAction: ['s3:DeleteObject', 'iam:*'], Resource: '*' };
    expect(evalStatement(s, facts('s3:GetObject', 'b/k'))).toBe('Allow');
    expect(evalStatement(s, facts('s3:DeleteObject', 'b/k'))).toBe('NotApplicable');
    expect(evalStatement(s, facts('iam:CreateUser', '*'))).toBe('NotApplicable');
  });

  it('NotResource matches every resource it does not list', () => {
    const s = { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::b/public/*'] };
    expect(evalStatement(s, facts('s3:GetObject', 'b/private/x'))).toBe('Deny');
    expect(evalStatement(s, facts('s3:GetObject', 'b/public/x'))).toBe('NotApplicable');
  });

  it('an explicit Deny beats an Allow in the same policy, whatever the order', () => {
    const doc = policy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' },
        ],
      },
      'identity',
    );
    expect(evaluate(doc, facts('s3:DeleteObject', 'b/k'), { kind: 'identity' })).toBe('Deny');
    expect(evaluate(doc, facts('s3:GetObject', 'b/k'), { kind: 'identity' })).toBe('Allow');
  });

  it('substitutes variables only in Version 2012-10-17 documents', () => {
    const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' };
    const v2012 = policy({ Version: '2012-10-17', Statement: [s] }, 'identity');
    const v2008 = policy({ Version: '2008-10-17', Statement: [s] }, 'identity');
    expect(evaluate(v2012, facts('s3:GetObject', 'b/alice/x'), { kind: 'identity' })).toBe('Allow');
    expect(evaluate(v2008, facts('s3:GetObject', 'b/alice/x'), { kind: 'identity' })).toBe('NotApplicable');
    expect(evaluate(v2008, facts('s3:GetObject', 'b/${aws:username}/x'), { kind: 'identity' })).toBe('Allow');
  });

  it('an empty policy says nothing', () => {
    expect(evaluate({ Statement: [] }, facts('s3:GetObject', 'b/k'), { kind: 'identity' })).toBe(
      'NotApplicable',
    );
  });
});

describe('evaluate: Principal', () => {
  const aliceArn = ALICE.type === 'user' ? ALICE.arn : '';
  it.each([
    ['"*"', '*', ANONYMOUS, 'Allow'],
    ['"*"', '*', ALICE, 'Allow'],
    ['{AWS: "*"}', { AWS: '*' }, ANONYMOUS, 'Allow'],
    ['{AWS: arn}', { AWS: aliceArn }, ALICE, 'Allow'],
    ['{AWS: arn}', { AWS: aliceArn }, BOB, 'NotApplicable'],
    ['{AWS: arn}', { AWS: aliceArn }, ANONYMOUS, 'NotApplicable'],
    ['{AWS: [arns]}', { AWS: ['arn:aws:iam::1:user/x', aliceArn] }, ALICE, 'Allow'],
    ['{AWS: access key}', { AWS: 'AKIAALICE0000000000' }, ALICE, 'Allow'],
    ['{AWS: access key}', { AWS: 'AKIAALICE0000000000' }, BOB, 'NotApplicable'],
    ['{AWS: account}', { AWS: '123456789012' }, BOB, 'Allow'],
    ['{AWS: account root}', { AWS: 'arn:aws:iam::123456789012:root' }, BOB, 'Allow'],
    ['{AWS: other account}', { AWS: 'arn:aws:iam::999999999999:root' }, BOB, 'NotApplicable'],
    ['{CanonicalUser}', { CanonicalUser: 'AIDAALICE' }, ALICE, 'Allow'],
    ['{Service}', { Service: 'logging.s3.amazonaws.com' }, ALICE, 'NotApplicable'],
  ])('Principal %s for %j → %s', (_name, element, caller, expected) => {
    expect(bucketDecision(element, caller)).toBe(expected);
  });

  it('NotPrincipal with Deny applies to everyone it does not name', () => {
    expect(bucketDecision({ AWS: aliceArn }, ALICE, true)).toBe('NotApplicable');
    expect(bucketDecision({ AWS: aliceArn }, BOB, true)).toBe('Deny');
    expect(bucketDecision({ AWS: aliceArn }, ANONYMOUS, true)).toBe('Deny');
  });

  it('identity policies ignore principals; bucket statements without one apply to no one', () => {
    const handBuilt = { Statement: [{ Effect: 'Allow' as const, Action: ['s3:*'], Resource: ['*'] }] };
    expect(evaluate(handBuilt, facts('s3:GetObject', 'b/k'), { kind: 'identity' })).toBe('Allow');
    expect(evaluate(handBuilt, facts('s3:GetObject', 'b/k'), { kind: 'bucket' })).toBe('NotApplicable');
  });
});
