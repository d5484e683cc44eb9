import { parsePolicy } from './parse-policy';
import { PolicyError } from './policy-error';
import type { PolicyKind } from './types';

const allowGet = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const bucketAllow = { ...allowGet, Principal: '*' };
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function reason(json: string, kind: PolicyKind = 'bucket'): string {
  try {
    parsePolicy(json, kind, { bucket: 'b' });
  } catch (e) {
    if (e instanceof PolicyError) {
      return e.reason;
    }
    throw e;
  }
  return 'accepted';
}

describe('parsePolicy accepts valid policies', () => {
  it('normalizes single values to arrays and condition values to strings', () => {
    const parsed = parsePolicy(
      doc({
        ...bucketAllow,
        Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': 10 } },
      }),
      'bucket',
      { bucket: 'b' },
    );
    expect(parsed.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] }, NumericLessThan: { 's3:max-keys': ['10'] } },
    });
  });

  it.each([
    ['a single Statement object', JSON.stringify({ Statement: bucketAllow })],
    ['s3:* on the bucket ARN', doc({ ...bucketAllow, Action: 's3:*', Resource: 'arn:aws:s3:::b' })],
    ['a wildcard bucket resource', doc({ ...bucketAllow, Resource: 'arn:aws:s3:::*' })],
    ['lower-case action names', doc({ ...bucketAllow, Action: 's3:getobject' })],
    ['MyFSIO alias actions', doc({ ...bucketAllow, Action: ['s3:HeadObject', 's3:UploadPart'] })],
    [
      'NotPrincipal with Deny',
      doc({ ...allowGet, Effect: 'Deny', NotPrincipal: { AWS: ['arn:aws:iam::1:user/a'] } }),
    ],
    [
      'variables in values',
      doc({ ...bucketAllow, Condition: { NumericLessThan: { 's3:max-keys': '${aws:x}' } } }),
    ],
  ])('accepts %s', (_name, json) => {
    expect(reason(json)).toBe('accepted');
  });

  it('accepts MinIO-style admin statements without Resource in identity policies', () => {
    const parsed = parsePolicy(doc({ Effect: 'Allow', Action: ['admin:*', 'kms:*'] }), 'identity');
    expect(parsed.Statement[0]?.Resource).toEqual(['*']);
    expect(reason(doc({ Effect: 'Allow', Action: ['s3:*'] }), 'identity')).toMatch(/Resource/);
  });
});
