import { decide } from './decide';
import type { ContextValue, RequestPrincipal } from './types';
import { ALICE, BOB, facts, policy } from './spec-helpers';

// Identity-policy examples from AWS's IAM "Example IAM identity-based policies" and S3's
// "Identity-based policy examples for Amazon S3". Each case: [action, resource, user, context, allowed].
type Case = [string, string, RequestPrincipal, Record<string, ContextValue>, boolean];

const EXAMPLES: Array<[string, unknown[], Case[]]> = [
  [
    'gives each user a home folder with ${aws:username}',
    [
      {
        Effect: 'Allow',
        Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'],
        Resource: 'arn:aws:s3:::*',
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { StringEquals: { 's3:prefix': ['', 'home/'], 's3:delimiter': ['/'] } },
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } },
      },
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b/home/${aws:username}', 'arn:aws:s3:::b/home/${aws:username}/*'],
      },
    ],
    [
      ['s3:ListAllMyBuckets', 'arn:aws:s3:::*', ALICE, {}, true],
      ['s3:GetBucketLocation', 'b', ALICE, {}, true],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': '', 's3:delimiter': '/' }, true],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': 'home/', 's3:delimiter': '/' }, true],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': 'home/alice/photos/' }, true],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': 'home/bob/' }, false],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': '' }, false],
      ['s3:PutObject', 'b/home/alice/notes.txt', ALICE, {}, true],
      ['s3:DeleteObject', 'b/home/alice/a/b/c', ALICE, {}, true],
      ['s3:GetObject', 'b/home/bob/notes.txt', ALICE, {}, false],
      ['s3:GetObject', 'b/home/bob/notes.txt', BOB, {}, true],
      ['s3:GetObject', 'b/home/alice-evil/x', ALICE, {}, false],
      ['s3:GetObject', 'other/home/alice/x', ALICE, {}, false],
    ],
  ],
  [
    'lets a group read a shared folder',
    [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: 'arn:aws:s3:::b/share/marketing/*',
      },
    ],
    [
      ['s3:GetObject', 'b/share/marketing/plan.pdf', ALICE, {}, true],
      ['s3:PutObject', 'b/share/marketing/plan.pdf', ALICE, {}, false],
      ['s3:GetObject', 'b/share/finance/q1.xls', ALICE, {}, false],
    ],
  ],
  [
    'allows access only within a date range (aws:CurrentTime)',
    [
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: {
          DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' },
          DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' },
        },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ALICE, { 'aws:CurrentTime': '2020-05-15T12:00:00Z' }, true],
      ['s3:GetObject', 'b/k', ALICE, { 'aws:CurrentTime': '2020-07-01T00:00:00Z' }, false],
      ['s3:GetObject', 'b/k', ALICE, {}, false],
    ],
  ],
  [
    'denies everything from outside the corporate ranges (aws:SourceIp)',
    [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
          Bool: { 'aws:ViaAWSService': 'false' },
        },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SourceIp': '203.0.113.9', 'aws:ViaAWSService': 'false' }, true],
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SourceIp': '198.51.100.9', 'aws:ViaAWSService': 'false' }, false],
      ['iam:CreateUser', '*', ALICE, { 'aws:SourceIp': '198.51.100.9', 'aws:ViaAWSService': 'false' }, false],
    ],
  ],
  [
    'lets users rotate only their own access keys',
    [
      {
        Effect: 'Allow',
        Action: ['iam:*AccessKey*', 'iam:GetUser'],
        Resource: 'arn:aws:iam::*:user/${aws:username}',
      },
    ],
    [
      ['iam:CreateAccessKey', 'arn:aws:iam::123456789012:user/alice', ALICE, {}, true],
      ['iam:RotateAccessKey', 'arn:aws:iam::123456789012:user/alice', ALICE, {}, true],
      ['iam:DeleteAccessKey', 'arn:aws:iam::123456789012:user/bob', ALICE, {}, false],
      ['iam:DeleteUser', 'arn:aws:iam::123456789012:user/alice', ALICE, {}, false],
    ],
  ],
];

describe.each(EXAMPLES)('AWS identity policy example: %s', (_name, statements, cases) => {
  const identity = [policy({ Version: '2012-10-17', Statement: statements }, 'identity')];
  it.each(cases)('%s on %s by %j with %j → allowed %s', (action, resource, principal, context, allowed) => {
    expect(decide({ identity, isRoot: false }, facts(action, resource, principal, context)).allowed).toBe(
      allowed,
    );
  });
});
