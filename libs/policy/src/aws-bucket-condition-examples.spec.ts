import { ALICE, ANONYMOUS, bucketExampleSuite, type BucketExample } from './spec-helpers';

// Examples from AWS's "Bucket policy examples using condition keys", on bucket "b": listing
// restrictions (s3:prefix, s3:delimiter, s3:max-keys), object tags, canned ACLs, MFA, referer.
// Each case: [action, resource, principal, context, allowed].
// Users hold CANNED readwrite, anonymous callers nothing (see bucketExampleSuite).
const EXAMPLES: BucketExample[] = [
  [
    'lists only the root and home/ with the / delimiter',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { StringEquals: { 's3:prefix': ['', 'home/'], 's3:delimiter': ['/'] } },
      },
    ],
    [
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:prefix': '', 's3:delimiter': '/' }, true],
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:prefix': 'home/', 's3:delimiter': '/' }, true],
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:prefix': 'home/' }, false],
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:prefix': 'home/alice/', 's3:delimiter': '/' }, false],
    ],
  ],
  [
    'caps s3:max-keys',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::b',
        Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } },
      },
    ],
    [
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:max-keys': '10' }, true],
      ['s3:ListBucket', 'b', ANONYMOUS, { 's3:max-keys': '1000' }, false],
      ['s3:ListBucket', 'b', ANONYMOUS, {}, false],
    ],
  ],
  [
    'reads only objects tagged environment=production (s3:ExistingObjectTag)',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 's3:ExistingObjectTag/environment': 'production' } },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ANONYMOUS, { 's3:ExistingObjectTag/environment': 'production' }, true],
      ['s3:GetObject', 'b/k', ANONYMOUS, { 's3:ExistingObjectTag/environment': 'test' }, false],
      ['s3:GetObject', 'b/k', ANONYMOUS, {}, false],
    ],
  ],
  [
    'allows only the listed object tag keys on upload (s3:RequestObjectTagKeys)',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { 'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] } },
      },
    ],
    [
      ['s3:PutObject', 'b/k', ANONYMOUS, { 's3:RequestObjectTagKeys': ['Owner'] }, true],
      ['s3:PutObject', 'b/k', ANONYMOUS, { 's3:RequestObjectTagKeys': ['Owner', 'Project'] }, false],
    ],
  ],
  [
    'requires the bucket-owner-full-control canned ACL on uploads (s3:x-amz-acl)',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ],
    [
      ['s3:PutObject', 'b/k', ANONYMOUS, { 's3:x-amz-acl': 'bucket-owner-full-control' }, true],
      ['s3:PutObject', 'b/k', ANONYMOUS, { 's3:x-amz-acl': 'public-read' }, false],
    ],
  ],
  [
    'requires MFA for a folder (Null aws:MultiFactorAuthAge)',
    [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::b/taxdocuments/*',
        Condition: { Null: { 'aws:MultiFactorAuthAge': true } },
      },
    ],
    [
      ['s3:GetObject', 'b/taxdocuments/2024.pdf', ALICE, {}, false],
      ['s3:GetObject', 'b/taxdocuments/2024.pdf', ALICE, { 'aws:MultiFactorAuthAge': '60' }, true],
      ['s3:GetObject', 'b/photos/x.jpg', ALICE, {}, true],
    ],
  ],
  [
    'allows requests from a referer (aws:Referer)',
    [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringLike: { 'aws:Referer': ['https://www.example.com/*', 'https://example.com/*'] } },
      },
    ],
    [
      ['s3:GetObject', 'b/k', ANONYMOUS, { 'aws:Referer': 'https://example.com/page' }, true],
      ['s3:GetObject', 'b/k', ANONYMOUS, { 'aws:Referer': 'https://evil.example/' }, false],
    ],
  ],
];

bucketExampleSuite('AWS bucket policy condition example', EXAMPLES);
