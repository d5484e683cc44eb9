import type { ContextValue } from './types';
import { ALICE, ANONYMOUS, evalStatement, facts } from './spec-helpers';

function allowedWith(
  condition: Record<string, unknown>,
  context: Record<string, ContextValue>,
  principal = ALICE,
): boolean {
  const statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: condition };
  return evalStatement(statement, facts('s3:PutObject', 'b/k', principal, context)) === 'Allow';
}

describe('set operators on multivalued keys', () => {
  const tagKeys = (keys: string[] | undefined) => ({ 's3:RequestObjectTagKeys': keys });

  // AWS "Multivalued context keys examples": ForAllValues holds when every request value is in
  // the policy set, and also when the key is absent.
  it.each([
    [['Owner'], true],
    [['Owner', 'CreationDate'], true],
    [['Owner', 'Project'], false],
    [undefined, true],
    [[], true],
  ])('ForAllValues:StringEquals with %j → %s', (keys, expected) => {
    const condition = {
      'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
    };
    expect(allowedWith(condition, tagKeys(keys))).toBe(expected);
  });

  it.each([
    [['Project', 'Owner'], true],
    [['Project'], false],
    [undefined, false],
    [[], false],
  ])('ForAnyValue:StringEquals with %j → %s', (keys, expected) => {
    const condition = {
      'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
    };
    expect(allowedWith(condition, tagKeys(keys))).toBe(expected);
  });

  // AWS's table for { "ForAllValues:StringNotLike": { "aws:TagKeys": "key1*" } } in a Deny statement.
  it.each([
    [['key1:legal'], false],
    [['key1:hr', 'key1:personnel'], false],
    [['key2:audit'], true],
    [undefined, true],
  ])('ForAllValues:StringNotLike key1* with %j matches → %s', (keys, expected) => {
    expect(
      allowedWith({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, { 'aws:TagKeys': keys }),
    ).toBe(expected);
  });

  it('ForAnyValue:StringNotEquals holds when some request value is outside the set', () => {
    const condition = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } };
    expect(allowedWith(condition, { 'aws:TagKeys': ['a', 'c'] })).toBe(true);
    expect(allowedWith(condition, { 'aws:TagKeys': ['a', 'b'] })).toBe(false);
  });

  it('ForAllValues with IfExists still holds for a missing key', () => {
    expect(allowedWith({ 'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': 'x*' } }, {})).toBe(true);
  });
});

describe('condition combination', () => {
  it('ANDs keys within an operator and ORs the values of one key', () => {
    const condition = { StringEquals: { 's3:prefix': ['', 'home/'], 's3:delimiter': '/' } };
    expect(allowedWith(condition, { 's3:prefix': 'home/', 's3:delimiter': '/' })).toBe(true);
    expect(allowedWith(condition, { 's3:prefix': '', 's3:delimiter': '/' })).toBe(true);
    expect(allowedWith(condition, { 's3:prefix': 'home/', 's3:delimiter': '|' })).toBe(false);
    expect(allowedWith(condition, { 's3:prefix': 'tmp/', 's3:delimiter': '/' })).toBe(false);
  });

  it('ANDs operators', () => {
    const condition = {
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      Bool: { 'aws:SecureTransport': 'true' },
    };
    expect(allowedWith(condition, { 'aws:SourceIp': '10.1.2.3', 'aws:SecureTransport': 'true' })).toBe(true);
    expect(allowedWith(condition, { 'aws:SourceIp': '10.1.2.3', 'aws:SecureTransport': 'false' })).toBe(
      false,
    );
    expect(allowedWith(condition, { 'aws:SourceIp': '11.1.2.3', 'aws:SecureTransport': 'true' })).toBe(false);
  });

  it('substitutes policy variables in condition values', () => {
    const condition = { StringEquals: { 's3:ExistingObjectTag/owner': '${aws:username}' } };
    expect(allowedWith(condition, { 's3:ExistingObjectTag/owner': 'alice' })).toBe(true);
    expect(allowedWith(condition, { 's3:ExistingObjectTag/owner': 'bob' })).toBe(false);
    // Anonymous callers have no aws:username, so the value matches nothing.
    expect(allowedWith(condition, { 's3:ExistingObjectTag/owner': '' }, ANONYMOUS)).toBe(false);
  });

  it('derives aws:username and aws:userid from the principal unless the context sets them', () => {
    expect(allowedWith({ StringEquals: { 'aws:username': 'alice', 'aws:userid': 'AIDAALICE' } }, {})).toBe(
      true,
    );
    expect(allowedWith({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'mallory' })).toBe(
      false,
    );
    expect(
      allowedWith({ ArnEquals: { 'aws:PrincipalArn': ALICE.type === 'user' ? ALICE.arn : '' } }, {}),
    ).toBe(true);
  });
});
