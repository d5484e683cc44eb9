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

describe('parsePolicy rejects malformed policies with a reason', () => {
  it.each([
    ['invalid JSON', '{"Version":', 'bucket', /invalid Json/],
    ['a JSON array', '[]', 'bucket', /JSON object/],
    [
      'an unknown top-level field',
      JSON.stringify({ Statement: [bucketAllow], Foo: 1 }),
      'bucket',
      /Unknown field Foo/,
    ],
    [
      'a bad Version',
      JSON.stringify({ Version: '2020-01-01', Statement: [bucketAllow] }),
      'bucket',
      /version/,
    ],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' }), 'bucket', /Statement/],
    ['an empty Statement list', doc(), 'bucket', /Statement/],
    ['a bad Effect', doc({ ...bucketAllow, Effect: 'allow' }), 'bucket', /Effect/],
    [
      'an unknown statement field',
      doc({ ...bucketAllow, Actions: 's3:*' }),
      'bucket',
      /Unknown field Actions/,
    ],
    ['an unknown S3 action', doc({ ...bucketAllow, Action: 's3:GetObjects' }), 'bucket', /invalid action/],
    [
      'a wildcard matching no S3 action',
      doc({ ...bucketAllow, Action: 's3:Frob*' }),
      'bucket',
      /invalid action/,
    ],
    ['an action without service', doc({ ...bucketAllow, Action: 'GetObject' }), 'bucket', /invalid action/],
    [
      'an iam action in a bucket policy',
      doc({ ...bucketAllow, Action: 'iam:CreateUser' }),
      'bucket',
      /invalid action/,
    ],
    ['an unknown service', doc({ ...allowGet, Action: 'ec9:Run' }), 'identity', /invalid action/],
    [
      'both Action and NotAction',
      doc({ ...bucketAllow, NotAction: 's3:PutObject' }),
      'bucket',
      /both Action and NotAction/,
    ],
    ['no Action', doc({ Effect: 'Allow', Principal: '*', Resource: 'arn:aws:s3:::b/*' }), 'bucket', /Action/],
    ['an empty Action list', doc({ ...bucketAllow, Action: [] }), 'bucket', /non-empty/],
    ['no Resource', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), 'bucket', /Resource/],
    ['a resource that is not an ARN', doc({ ...bucketAllow, Resource: 'b/*' }), 'bucket', /invalid resource/],
    [
      'a resource of another bucket',
      doc({ ...bucketAllow, Resource: 'arn:aws:s3:::other/*' }),
      'bucket',
      /invalid resource/,
    ],
    [
      'a non-S3 resource in a bucket policy',
      doc({ ...bucketAllow, Resource: 'arn:aws:iam::1:user/x' }),
      'bucket',
      /invalid resource/,
    ],
    ['"*" as a bucket-policy resource', doc({ ...bucketAllow, Resource: '*' }), 'bucket', /invalid resource/],
    [
      'an object action on a bucket ARN',
      doc({ ...bucketAllow, Resource: 'arn:aws:s3:::b' }),
      'bucket',
      /does not apply/,
    ],
    [
      'a bucket action on object ARNs',
      doc({ ...bucketAllow, Action: 's3:ListBucket' }),
      'bucket',
      /does not apply/,
    ],
    ['a bucket policy without Principal', doc(allowGet), 'bucket', /Principal/],
    ['an identity policy with Principal', doc(bucketAllow), 'identity', /should not specify a principal/],
    ['NotPrincipal with Allow', doc({ ...allowGet, NotPrincipal: { AWS: 'x' } }), 'bucket', /NotPrincipal/],
    [
      'both Principal and NotPrincipal',
      doc({ ...bucketAllow, NotPrincipal: '*' }),
      'bucket',
      /both Principal/,
    ],
    ['an unknown principal type', doc({ ...allowGet, Principal: { Foo: 'x' } }), 'bucket', /principal type/],
    ['a principal string other than *', doc({ ...allowGet, Principal: 'alice' }), 'bucket', /principal/],
    [
      'an unknown condition operator',
      doc({ ...bucketAllow, Condition: { StringEq: { 's3:prefix': 'a' } } }),
      'bucket',
      /operator/,
    ],
    [
      'NullIfExists',
      doc({ ...bucketAllow, Condition: { NullIfExists: { 's3:prefix': 'true' } } }),
      'bucket',
      /operator/,
    ],
    [
      'a condition key without service',
      doc({ ...bucketAllow, Condition: { StringEquals: { prefix: 'a' } } }),
      'bucket',
      /key/,
    ],
    [
      'a non-numeric Numeric value',
      doc({ ...bucketAllow, Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } }),
      'bucket',
      /Numeric/,
    ],
    [
      'a bad date',
      doc({ ...bucketAllow, Condition: { DateLessThan: { 'aws:CurrentTime': 'yesterday' } } }),
      'bucket',
      /Date/,
    ],
    [
      'a bad Bool value',
      doc({ ...bucketAllow, Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }),
      'bucket',
      /Bool/,
    ],
    [
      'a bad CIDR',
      doc({ ...bucketAllow, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }),
      'bucket',
      /IpAddress/,
    ],
    [
      'an object condition value',
      doc({ ...bucketAllow, Condition: { StringEquals: { 's3:prefix': { a: 1 } } } }),
      'bucket',
      /Condition value/,
    ],
    ['duplicate Sids', doc({ ...bucketAllow, Sid: 'x' }, { ...bucketAllow, Sid: 'x' }), 'bucket', /unique/],
  ])('rejects %s', (_name, json, kind, expected) => {
    expect(reason(json, kind as PolicyKind)).toMatch(expected);
  });
});
