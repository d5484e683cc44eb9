import type { ContextValue } from './types';
import { evalStatement, facts } from './spec-helpers';

/** Whether `{operator: {key: values}}` holds for a request whose `key` is `actual` (undefined = absent). */
function holds(operator: string, key: string, values: unknown, actual: ContextValue): boolean {
  const context = actual === undefined ? {} : { [key]: actual };
  const statement = {
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: { [operator]: { [key]: values } },
  };
  return evalStatement(statement, facts('s3:GetObject', 'b/k', undefined, context)) === 'Allow';
}

// [operator, key, policy value(s), request value (undefined = key absent), holds]
const CASES: Array<[string, string, unknown, ContextValue, boolean]> = [
  ['StringEquals', 's3:x-amz-acl', 'public-read', 'public-read', true],
  ['StringEquals', 's3:x-amz-acl', 'public-read', 'Public-Read', false],
  ['StringEquals', 's3:x-amz-acl', 'public-read', undefined, false],
  ['StringEquals', 's3:x-amz-acl', 'public-*', 'public-read', false],
  ['StringNotEquals', 's3:x-amz-acl', 'public-read', 'private', true],
  ['StringNotEquals', 's3:x-amz-acl', ['private', 'public-read'], 'public-read', false],
  ['StringNotEquals', 's3:x-amz-acl', 'public-read', undefined, true],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'PUBLIC-READ', 'public-read', true],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'public-read', 'private', false],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'public-read', undefined, false],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'PUBLIC-READ', 'public-read', false],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'public-read', 'private', true],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'public-read', undefined, true],
  ['StringLike', 's3:prefix', 'home/*', 'home/alice/', true],
  ['StringLike', 's3:prefix', 'home/?', 'home/ab', false],
  ['StringLike', 's3:prefix', 'home/*', undefined, false],
  ['StringNotLike', 's3:prefix', 'home/*', 'tmp/', true],
  ['StringNotLike', 's3:prefix', 'home/*', 'home/x', false],
  ['StringNotLike', 's3:prefix', 'home/*', undefined, true],
  ['NumericEquals', 's3:max-keys', 10, '10', true],
  ['NumericEquals', 's3:max-keys', '10', '11', false],
  ['NumericEquals', 's3:max-keys', '10', undefined, false],
  ['NumericEquals', 's3:max-keys', '10', 'ten', false],
  ['NumericNotEquals', 's3:max-keys', '10', '11', true],
  ['NumericNotEquals', 's3:max-keys', '10', '10', false],
  ['NumericNotEquals', 's3:max-keys', '10', undefined, true],
  ['NumericLessThan', 's3:max-keys', '10', '9', true],
  ['NumericLessThan', 's3:max-keys', '10', '10', false],
  ['NumericLessThan', 's3:max-keys', '10', undefined, false],
  ['NumericLessThanEquals', 's3:max-keys', '10', '10', true],
  ['NumericLessThanEquals', 's3:max-keys', '10', '10.5', false],
  ['NumericLessThanEquals', 's3:max-keys', '10', undefined, false],
  ['NumericGreaterThan', 's3:max-keys', '10', '11', true],
  ['NumericGreaterThan', 's3:max-keys', '10', '10', false],
  ['NumericGreaterThan', 's3:max-keys', '10', undefined, false],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', '10', true],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', '9', false],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', undefined, false],
  ['DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', true],
  ['DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', false],
  ['DateEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', undefined, false],
  ['DateNotEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', true],
  ['DateNotEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', false],
  ['DateNotEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', undefined, true],
  ['DateLessThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2023-12-31T23:59:59Z', true],
  ['DateLessThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', false],
  ['DateLessThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', undefined, false],
  ['DateLessThanEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', true],
  ['DateLessThanEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', false],
  ['DateLessThanEquals', 'aws:CurrentTime', '2024-01-01T00:00:00Z', undefined, false],
  ['DateGreaterThan', 'aws:EpochTime', '1704067200', '1704067201', true],
  ['DateGreaterThan', 'aws:EpochTime', '2024-01-01T00:00:00Z', '1704067200', false],
  ['DateGreaterThan', 'aws:EpochTime', '1704067200', undefined, false],
  ['DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', '2024-01-01T00:00:00Z', true],
  ['DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', '2023-06-01T00:00:00Z', false],
  ['DateGreaterThanEquals', 'aws:CurrentTime', '2024-01-01', undefined, false],
  ['Bool', 'aws:SecureTransport', false, 'false', true],
  ['Bool', 'aws:SecureTransport', 'true', 'TRUE', true],
  ['Bool', 'aws:SecureTransport', 'true', 'false', false],
  ['Bool', 'aws:SecureTransport', 'true', undefined, false],
  ['BinaryEquals', 'aws:SomeBlob', 'QmluYXJ5', 'QmluYXJ5', true],
  ['BinaryEquals', 'aws:SomeBlob', 'QmluYXJ5', 'T3RoZXI=', false],
  ['IpAddress', 'aws:SourceIp', '192.0.2.0/24', '192.0.2.77', true],
  ['IpAddress', 'aws:SourceIp', '192.0.2.0/24', '198.51.100.1', false],
  ['IpAddress', 'aws:SourceIp', '203.0.113.1', '203.0.113.1', true],
  ['IpAddress', 'aws:SourceIp', '192.0.2.0/24', '::ffff:192.0.2.9', true],
  ['IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', '2001:db8:1234:5678::1', true],
  ['IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', false],
  ['IpAddress', 'aws:SourceIp', '192.0.2.0/24', 'not-an-ip', false],
  ['IpAddress', 'aws:SourceIp', '192.0.2.0/24', undefined, false],
  ['NotIpAddress', 'aws:SourceIp', '192.0.2.0/24', '198.51.100.1', true],
  ['NotIpAddress', 'aws:SourceIp', ['192.0.2.0/24', '2001:db8::/32'], '2001:db8::5', false],
  ['NotIpAddress', 'aws:SourceIp', '192.0.2.0/24', undefined, true],
  ['ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', 'arn:aws:s3:::bucket', true],
  ['ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', 'arn:aws:s3:::other', false],
  ['ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', undefined, false],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/a*', 'arn:aws:iam::123456789012:user/alice', true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/a*', 'arn:aws:iam::123456789012:role/alice', false],
  ['ArnLike', 'aws:SourceArn', 'arn:aws:s3:::*', undefined, false],
  ['ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', 'arn:aws:s3:::other', true],
  ['ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', 'arn:aws:s3:::bucket', false],
  ['ArnNotEquals', 'aws:SourceArn', 'arn:aws:s3:::bucket', undefined, true],
  ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/a*', 'arn:aws:iam::1:user/bob', true],
  ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', 'arn:aws:iam::1:user/bob', false],
  ['ArnNotLike', 'aws:SourceArn', 'arn:aws:iam::*:user/*', undefined, true],
  ['Null', 'aws:MultiFactorAuthAge', true, undefined, true],
  ['Null', 'aws:MultiFactorAuthAge', 'true', '30', false],
  ['Null', 'aws:MultiFactorAuthAge', 'false', '30', true],
  ['Null', 'aws:MultiFactorAuthAge', 'false', undefined, false],
];

describe('condition operators', () => {
  it.each(CASES)('%s {%s: %j} with %j → %s', (operator, key, values, actual, expected) => {
    expect(holds(operator, key, values, actual)).toBe(expected);
  });

  it.each([
    ['StringEqualsIfExists', undefined, true],
    ['StringEqualsIfExists', 'private', false],
    ['StringEqualsIfExists', 'public-read', true],
    ['NumericLessThanIfExists', undefined, true],
  ])('%s holds for a missing key and checks a present one (%j → %s)', (operator, actual, expected) => {
    const value = operator.startsWith('Numeric') ? '10' : 'public-read';
    expect(holds(operator, 's3:x-amz-acl', value, actual)).toBe(expected);
  });

  it('looks condition keys up case-insensitively, except tag keys after the slash', () => {
    expect(holds('StringEquals', 'S3:X-AMZ-ACL', 'private', 'private')).toBe(true);
    const tagged = (policyKey: string) =>
      evalStatement(
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { StringEquals: { [policyKey]: 'prod' } },
        },
        facts('s3:GetObject', 'b/k', undefined, { 's3:ExistingObjectTag/env': 'prod' }),
      );
    expect(tagged('S3:existingobjecttag/env')).toBe('Allow');
    expect(tagged('s3:ExistingObjectTag/ENV')).toBe('NotApplicable');
  });
});
