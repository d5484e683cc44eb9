import { mentionsExistingObjectTag } from './condition-keys';
import { parsePolicy } from './parse-policy';

const doc = (...Statement: object[]) =>
  parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement }), 'identity');

describe('mentionsExistingObjectTag', () => {
  it('finds the key under any operator, in any letter case', () => {
    expect(
      mentionsExistingObjectTag(
        doc(
          { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { StringLikeIfExists: { 'S3:existingObjectTag/team': 'a*' } },
          },
        ),
      ),
    ).toBe(true);
  });

  it('is false for documents without it (request tags are another key)', () => {
    expect(mentionsExistingObjectTag(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))).toBe(false);
    expect(
      mentionsExistingObjectTag(
        doc({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: '*',
          Condition: { StringEquals: { 's3:RequestObjectTag/team': 'a' } },
        }),
      ),
    ).toBe(false);
  });
});
