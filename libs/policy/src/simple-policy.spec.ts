import { evaluate } from './evaluate';
import { PolicyError } from './policy-error';
import { s3ActionKind } from './s3-actions';
import { expandSimpleAction, SIMPLE_IAM_ACTIONS, SIMPLE_S3_ACTION_NAMES } from './simple-actions';
import { fromSimplePolicies, type SimplePolicy } from './simple-policy';
import type { ContextValue } from './types';
import { facts } from './spec-helpers';

/** Whether the converted simple policy allows `action` on `resource` (bucket, bucket/key or ARN). */
function allows(
  entries: SimplePolicy[],
  action: string,
  resource: string,
  context: Record<string, ContextValue> = {},
) {
  return (
    evaluate(fromSimplePolicies(entries), facts(action, resource, undefined, context), {
      kind: 'identity',
    }) === 'Allow'
  );
}

/** A resource fitting the action's kind in bucket `bucket`. */
function resourceFor(action: string, bucket: string, key = 'some/key.txt'): string {
  const kind = s3ActionKind(action);
  return kind === 'service' ? 'arn:aws:s3:::*' : kind === 'object' ? `${bucket}/${key}` : bucket;
}

const ALL_S3 = [...new Set(SIMPLE_S3_ACTION_NAMES.flatMap(expandSimpleAction))];

describe('fromSimplePolicies: the 19 simple actions', () => {
  it.each(SIMPLE_S3_ACTION_NAMES)('"%s" grants exactly its AWS actions, on its bucket only', (name) => {
    const entries = [{ bucket: 'b', actions: [name] }];
    const granted = expandSimpleAction(name);
    for (const action of granted) {
      expect([action, allows(entries, action, resourceFor(action, 'b'))]).toEqual([action, true]);
      if (s3ActionKind(action) !== 'service') {
        expect([action, allows(entries, action, resourceFor(action, 'other'))]).toEqual([action, false]);
      }
    }
    for (const action of ALL_S3.filter((a) => !granted.some((g) => g.toLowerCase() === a.toLowerCase()))) {
      expect([action, allows(entries, action, resourceFor(action, 'b'))]).toEqual([action, false]);
    }
  });

  it.each(['*', 's3:*'])('"%s" grants all 19 but no IAM action', (wildcard) => {
    const entries = [{ bucket: 'b', actions: [wildcard] }];
    expect(ALL_S3.every((a) => allows(entries, a, resourceFor(a, 'b')))).toBe(true);
    expect(allows(entries, 'iam:CreateUser', '*')).toBe(false);
  });

  it('accepts AWS names as the group that lists them, preferring the narrowest group', () => {
    const read = [{ bucket: 'b', actions: ['S3:GetObject'] }];
    expect(allows(read, 's3:HeadObject', 'b/k')).toBe(true);
    expect(allows(read, 's3:GetObjectVersion', 'b/k')).toBe(true);
    const versioning = [{ bucket: 'b', actions: ['s3:GetBucketVersioning'] }];
    expect(allows(versioning, 's3:PutBucketVersioning', 'b')).toBe(true);
    expect(allows(versioning, 's3:GetObject', 'b/k')).toBe(false);
  });

  it('treats "*" as every bucket and bucket names case-insensitively', () => {
    expect(allows([{ bucket: '*', actions: ['read'] }], 's3:GetObject', 'any-bucket/k')).toBe(true);
    expect(allows([{ bucket: 'MyBucket', actions: ['read'] }], 's3:GetObject', 'mybucket/k')).toBe(true);
  });

  it('unions several entries (spec example "Multiple Bucket Access")', () => {
    const entries = [
      { bucket: 'public-data', actions: ['list', 'read'] },
      { bucket: 'my-uploads', actions: ['list', 'read', 'write', 'delete'] },
    ];
    expect(allows(entries, 's3:PutObject', 'my-uploads/x')).toBe(true);
    expect(allows(entries, 's3:PutObject', 'public-data/x')).toBe(false);
    expect(allows(entries, 's3:ListBucket', 'public-data')).toBe(true);
  });
});

describe('fromSimplePolicies: prefix scoping', () => {
  const entries = [
    { bucket: 'shared-data', actions: ['list', 'read', 'write', 'delete', 'tagging'], prefix: 'team-a/' },
  ];

  it.each([
    ['s3:GetObject', 'shared-data/team-a/report.csv', {}, true],
    ['s3:PutObject', 'shared-data/team-a/sub/x', {}, true],
    ['s3:DeleteObject', 'shared-data/team-b/report.csv', {}, false],
    ['s3:GetObject', 'shared-data/team-ab', {}, false],
    ['s3:ListBucket', 'shared-data', { 's3:prefix': 'team-a/' }, true],
    ['s3:ListBucket', 'shared-data', { 's3:prefix': 'team-a/2024/' }, true],
    ['s3:ListBucketVersions', 'shared-data', { 's3:prefix': 'team-a/' }, true],
    ['s3:ListBucket', 'shared-data', { 's3:prefix': 'team-b/' }, false],
    ['s3:ListBucket', 'shared-data', {}, false],
    ['s3:GetBucketTagging', 'shared-data', {}, true],
    ['s3:ListAllMyBuckets', 'arn:aws:s3:::*', {}, true],
  ])('%s on %s with %j → %s', (action, resource, context, expected) => {
    expect(allows(entries, action, resource, context)).toBe(expected);
  });

  it('treats prefix "*" (the default) as the whole bucket and strips a leading slash', () => {
    expect(allows([{ bucket: 'b', actions: ['list'], prefix: '*' }], 's3:ListBucket', 'b')).toBe(true);
    expect(allows([{ bucket: 'b', actions: ['read'], prefix: '/docs/' }], 's3:GetObject', 'b/docs/x')).toBe(
      true,
    );
  });

  it('expands ${aws:username} in a prefix', () => {
    const home = [{ bucket: 'home', actions: ['read'], prefix: '${aws:username}/' }];
    expect(allows(home, 's3:GetObject', 'home/alice/x')).toBe(true);
    expect(allows(home, 's3:GetObject', 'home/bob/x')).toBe(false);
  });
});

describe('fromSimplePolicies: the iam family', () => {
  it.each(Object.entries(SIMPLE_IAM_ACTIONS))('"%s" grants %s only', (simple, aws) => {
    const entries = [{ bucket: '*', actions: [simple] }];
    expect(allows(entries, aws, '*')).toBe(true);
    expect(allows(entries, 'iam:SomethingElse', '*')).toBe(false);
    expect(allows(entries, 's3:GetObject', 'b/k')).toBe(false);
  });

  it('"iam:*" grants every IAM action; AWS IAM names are accepted too', () => {
    expect(allows([{ bucket: '*', actions: ['iam:*'] }], 'iam:CreateGroup', '*')).toBe(true);
    expect(allows([{ bucket: '*', actions: ['iam:CreateUser'] }], 'iam:CreateUser', '*')).toBe(true);
  });
});

describe('fromSimplePolicies: invalid input', () => {
  it.each([
    ['an unknown action', [{ bucket: 'b', actions: ['fly'] }], /Unknown action/],
    ['a missing bucket', [{ actions: ['read'] }], /bucket/],
    ['actions that are not an array', [{ bucket: 'b', actions: 'read' }], /actions/],
    ['a bucket with a slash', [{ bucket: 'b/c', actions: ['read'] }], /Invalid bucket/],
    ['a non-string prefix', [{ bucket: 'b', actions: ['read'], prefix: 3 }], /prefix/],
    ['a non-array document', { bucket: 'b', actions: ['read'] }, /array/],
  ])('rejects %s', (_name, entries, reason) => {
    expect(() => fromSimplePolicies(entries as unknown as SimplePolicy[])).toThrow(PolicyError);
    expect(() => fromSimplePolicies(entries as unknown as SimplePolicy[])).toThrow(reason);
  });
});
