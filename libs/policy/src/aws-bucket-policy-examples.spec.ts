import { ALICE, ANONYMOUS, BOB, bucketExampleSuite, type BucketExample } from './spec-helpers';

// Examples from AWS's "Examples of Amazon S3 bucket policies", on bucket "b": public read,
// IP and TLS restrictions, NotResource, s3:prefix per user. Each case:
// [action, resource, principal, context, allowed].
// Users hold CANNED readwrite, anonymous callers nothing (see bucketExampleSuite).
const ALICE_ARN = 'arn:aws:iam::123456789012:user/alice';

const EXAMPLES: BucketExample[] = [
  [
    'grants read-only permission to anonymous users',
    [
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: ['arn:aws:s3:::b/*'],
      },
    ],
    [
      ['s3:GetObject', 'b/index.html', ANONYMOUS, {}, true],
      ['s3:GetObjectVersion', 'b/a/b.txt', ANONYMOUS, {}, true],
      ['s3:PutObject', 'b/index.html', ANONYMOUS, {}, false],
      ['s3:ListBucket', 'b', ANONYMOUS, {}, false],
    ],
  ],
  [
    'restricts access to IPv4 and IPv6 ranges',
    [
      {
        Sid: 'IPAllow',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:DB8:1234:5678::/64'] } },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SourceIp': '192.0.2.10' }, true],
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' }, true],
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SourceIp': '203.0.113.5' }, false],
      ['s3:ListBucket', 'b', ALICE, { 'aws:SourceIp': '2001:db8:ffff::1' }, false],
    ],
  ],
  [
    'requires HTTPS with aws:SecureTransport',
    [
      {
        Sid: 'RestrictToTLSRequestsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SecureTransport': 'true' }, true],
      ['s3:GetObject', 'b/k', ALICE, { 'aws:SecureTransport': 'false' }, false],
      ['s3:PutObject', 'b/k', BOB, { 'aws:SecureTransport': 'false' }, false],
    ],
  ],
  [
    'allows uploads only under one prefix (deny with NotResource)',
    [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::b/uploads/*' }],
    [
      ['s3:PutObject', 'b/uploads/x.bin', ALICE, {}, true],
      ['s3:PutObject', 'b/etc/passwd', ALICE, {}, false],
      ['s3:GetObject', 'b/etc/passwd', ALICE, {}, true],
    ],
  ],
  [
    'restricts ListBucket to one s3:prefix for one user',
    [
      {
        Sid: 'statement1',
        Effect: 'Allow',
        Principal: { AWS: ALICE_ARN },
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { StringEquals: { 's3:prefix': 'projects' } },
      },
      {
        Sid: 'statement2',
        Effect: 'Deny',
        Principal: { AWS: ALICE_ARN },
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { StringNotEquals: { 's3:prefix': 'projects' } },
      },
    ],
    [
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': 'projects' }, true],
      ['s3:ListBucket', 'b', ALICE, { 's3:prefix': 'private' }, false],
      ['s3:ListBucket', 'b', ALICE, {}, false],
      ['s3:ListBucket', 'b', BOB, { 's3:prefix': 'private' }, true],
    ],
  ],
];

bucketExampleSuite('AWS bucket policy example', EXAMPLES);
