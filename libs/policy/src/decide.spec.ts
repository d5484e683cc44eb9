import { decide, type DecisionInput } from './decide';
import type { PolicyDocument } from './types';
import { ALICE, ANONYMOUS, facts, policy } from './spec-helpers';

const allowAll = policy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, 'identity');
const denyDelete = policy(
  { Statement: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] },
  'identity',
);
const readOnly = policy(
  { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
  'identity',
);
const bucketAllowAll = policy(
  {
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] },
    ],
  },
  'bucket',
  'b',
);
const bucketDenyAll = policy(
  {
    Statement: [
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] },
    ],
  },
  'bucket',
  'b',
);
const NONE: PolicyDocument[] = [];

function run(input: Partial<DecisionInput>, action = 's3:GetObject', resource = 'b/k', principal = ALICE) {
  return decide({ identity: NONE, isRoot: false, ...input }, facts(action, resource, principal));
}

describe('decide', () => {
  it.each<[string, Partial<DecisionInput>, string, boolean, RegExp]>([
    ['nothing allows', {}, 's3:GetObject', false, /implicit deny/],
    ['an identity Allow suffices', { identity: [allowAll] }, 's3:GetObject', true, /identity/],
    ['a bucket-policy Allow suffices', { bucket: bucketAllowAll }, 's3:PutObject', true, /bucket policy/],
    ['an ACL Allow suffices', { acl: 'Allow' }, 's3:GetObject', true, /ACL/],
    [
      'an identity Deny beats an identity Allow',
      { identity: [allowAll, denyDelete] },
      's3:DeleteObject',
      false,
      /identity policy/,
    ],
    [
      'an identity Deny beats a bucket Allow',
      { identity: [denyDelete], bucket: bucketAllowAll },
      's3:DeleteObject',
      false,
      /identity/,
    ],
    [
      'an identity Deny beats an ACL Allow',
      { identity: [denyDelete], acl: 'Allow' },
      's3:DeleteObject',
      false,
      /identity/,
    ],
    [
      'a bucket Deny beats an identity Allow',
      { identity: [allowAll], bucket: bucketDenyAll },
      's3:GetObject',
      false,
      /bucket policy/,
    ],
    [
      'a bucket Deny beats an ACL Allow',
      { bucket: bucketDenyAll, acl: 'Allow' },
      's3:GetObject',
      false,
      /bucket policy/,
    ],
    [
      'a session policy narrows the identity',
      { identity: [allowAll], session: readOnly },
      's3:PutObject',
      false,
      /session/,
    ],
    [
      'a session policy allows within the identity',
      { identity: [allowAll], session: readOnly },
      's3:GetObject',
      true,
      /identity/,
    ],
    ['a session policy grants nothing by itself', { session: allowAll }, 's3:GetObject', false, /implicit/],
    [
      'a session Deny wins',
      { identity: [allowAll], session: denyDelete },
      's3:DeleteObject',
      false,
      /session policy/,
    ],
    [
      'a session policy also limits bucket grants',
      { bucket: bucketAllowAll, session: readOnly },
      's3:PutObject',
      false,
      /session/,
    ],
  ])('%s', (_name, input, action, allowed, reason) => {
    const result = run(input, action);
    expect(result.allowed).toBe(allowed);
    expect(result.reason).toMatch(reason);
  });

  it('ignores identity and session policies for anonymous callers', () => {
    expect(run({ identity: [allowAll] }, 's3:GetObject', 'b/k', ANONYMOUS).allowed).toBe(false);
    expect(run({ bucket: bucketAllowAll, session: readOnly }, 's3:PutObject', 'b/k', ANONYMOUS).allowed).toBe(
      true,
    );
  });

  it('lets root do everything its identity never mentions', () => {
    expect(run({ isRoot: true }, 'iam:CreateUser', '*')).toEqual({ allowed: true, reason: 'root user' });
    expect(run({ isRoot: true, identity: [denyDelete] }, 's3:DeleteObject').allowed).toBe(true);
  });

  it('holds root to a bucket-policy Deny except for repairing the bucket policy', () => {
    expect(run({ isRoot: true, bucket: bucketDenyAll }, 's3:GetObject').allowed).toBe(false);
    for (const action of ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']) {
      expect(run({ isRoot: true, bucket: bucketDenyAll }, action, 'b').allowed).toBe(true);
    }
  });
});
