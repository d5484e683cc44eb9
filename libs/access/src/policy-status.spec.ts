import { parsePolicy } from '@myfsio/policy';
import { isPolicyPublic } from './policy-status';

const doc = (statement: object) =>
  parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), 'bucket', { bucket: 'b' });

describe('isPolicyPublic', () => {
  it('is true for an Allow to everyone', () => {
    expect(
      isPolicyPublic(
        doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
      ),
    ).toBe(true);
    expect(
      isPolicyPublic(
        doc({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        }),
      ),
    ).toBe(true);
  });

  it('is false for an Allow pinned to source addresses', () => {
    const statement = {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    };
    expect(isPolicyPublic(doc(statement))).toBe(false);
  });

  it('is false for a named principal and for Deny statements', () => {
    expect(
      isPolicyPublic(
        doc({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::000000000000:user/x' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        }),
      ),
    ).toBe(false);
    expect(
      isPolicyPublic(
        doc({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
      ),
    ).toBe(false);
    expect(isPolicyPublic(undefined)).toBe(false);
  });
});
