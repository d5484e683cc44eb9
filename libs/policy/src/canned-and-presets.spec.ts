import {
  ANONYMOUS_PRESETS,
  anonymousAccessOf,
  anonymousPolicy,
  type AnonymousAccess,
} from './anonymous-presets';
import { CANNED_POLICIES, type CannedPolicyName } from './canned-policies';
import { decide } from './decide';
import { evaluate } from './evaluate';
import { parsePolicy } from './parse-policy';
import { ANONYMOUS, facts } from './spec-helpers';

describe('CANNED_POLICIES', () => {
  // [policy, action, resource, allowed]
  it.each<[CannedPolicyName, string, string, boolean]>([
    ['readonly', 's3:GetObject', 'b/k', true],
    ['readonly', 's3:GetBucketLocation', 'b', true],
    ['readonly', 's3:PutObject', 'b/k', false],
    ['readonly', 's3:DeleteObject', 'b/k', false],
    ['readwrite', 's3:PutObject', 'b/k', true],
    ['readwrite', 's3:DeleteBucket', 'b', true],
    ['readwrite', 's3:ListAllMyBuckets', 'arn:aws:s3:::*', true],
    ['readwrite', 'iam:CreateUser', '*', false],
    ['writeonly', 's3:PutObject', 'b/k', true],
    ['writeonly', 's3:GetObject', 'b/k', false],
    ['consoleAdmin', 's3:PutBucketPolicy', 'b', true],
    ['consoleAdmin', 'iam:CreateUser', '*', true],
    ['consoleAdmin', 'admin:ServerInfo', '*', true],
    ['consoleAdmin', 'kms:CreateKey', '*', true],
  ])('%s: %s on %s → %s', (name, action, resource, allowed) => {
    expect(evaluate(CANNED_POLICIES[name], facts(action, resource), { kind: 'identity' }) === 'Allow').toBe(
      allowed,
    );
  });

  it.each(Object.entries(CANNED_POLICIES))('%s round-trips through parsePolicy', (_name, doc) => {
    expect(parsePolicy(JSON.stringify(doc), 'identity')).toEqual(doc);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CANNED_POLICIES.readonly.Statement[0]?.Action)).toBe(true);
  });
});

describe('ANONYMOUS_PRESETS', () => {
  const READ = ['s3:GetObject', 'b/k'] as const;
  const WRITE = ['s3:PutObject', 'b/k'] as const;
  const DELETE = ['s3:DeleteObject', 'b/k'] as const;
  const LIST = ['s3:ListBucket', 'b'] as const;

  function anonymousMay(
    access: AnonymousAccess,
    [action, resource]: readonly [string, string],
    prefix?: string,
    context: Record<string, string> = {},
  ): boolean {
    const bucket = anonymousPolicy(access, 'b', prefix) ?? undefined;
    return decide({ identity: [], bucket, isRoot: false }, facts(action, resource, ANONYMOUS, context))
      .allowed;
  }

  it.each<[AnonymousAccess, boolean, boolean, boolean]>([
    ['none', false, false, false],
    ['download', true, false, true],
    ['upload', false, true, false],
    ['public', true, true, true],
  ])('%s: read %s, write %s, list %s', (access, read, write, list) => {
    expect(anonymousMay(access, READ)).toBe(read);
    expect(anonymousMay(access, WRITE)).toBe(write);
    expect(anonymousMay(access, DELETE)).toBe(write);
    expect(anonymousMay(access, LIST)).toBe(list);
    expect(anonymousMay(access, ['s3:PutBucketPolicy', 'b'])).toBe(false);
  });

  it('scopes a prefix preset to the keys and listings under the prefix', () => {
    expect(anonymousMay('public', ['s3:GetObject', 'b/images/cat.png'], 'images/')).toBe(true);
    expect(anonymousMay('public', ['s3:PutObject', 'b/images/new.png'], 'images/')).toBe(true);
    expect(anonymousMay('public', ['s3:GetObject', 'b/private/x'], 'images/')).toBe(false);
    expect(anonymousMay('download', LIST, 'images/', { 's3:prefix': 'images/2024/' })).toBe(true);
    expect(anonymousMay('download', LIST, 'images/', { 's3:prefix': 'private/' })).toBe(false);
    expect(anonymousMay('download', LIST, 'images/')).toBe(false);
  });

  it('never grants anything to the bucket beyond the preset, and returns null for none', () => {
    expect(anonymousPolicy('none', 'b')).toBeNull();
    expect(ANONYMOUS_PRESETS.none('b')).toEqual([]);
  });

  it.each<AnonymousAccess>(['download', 'upload', 'public'])(
    '%s parses as a valid bucket policy',
    (access) => {
      const doc = anonymousPolicy(access, 'b', 'images/');
      expect(parsePolicy(JSON.stringify(doc), 'bucket', { bucket: 'b' })).toEqual(doc);
    },
  );

  it.each<[AnonymousAccess, string | undefined]>([
    ['none', undefined],
    ['download', undefined],
    ['upload', undefined],
    ['public', undefined],
    ['download', 'images/'],
    ['public', 'images/'],
  ])('reads back %s (prefix %s)', (access, prefix) => {
    expect(anonymousAccessOf(anonymousPolicy(access, 'b', prefix) ?? undefined, 'b', prefix)).toBe(access);
  });

  it('reads a grant for one prefix as none for another', () => {
    expect(anonymousAccessOf(anonymousPolicy('public', 'b', 'images/') ?? undefined, 'b')).toBe('none');
  });

  it('does not count grants to a named user as anonymous access', () => {
    const statements = ANONYMOUS_PRESETS.download('b').map((s) => ({
      ...s,
      Principal: { AWS: ['arn:aws:iam::1:user/x'] },
    }));
    expect(anonymousAccessOf({ Statement: statements }, 'b')).toBe('none');
  });
});
