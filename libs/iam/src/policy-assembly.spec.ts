import { CANNED_POLICIES, decide, type PolicyDocument } from '@myfsio/policy';
import {
  assembleIdentityPolicies,
  assembleSessionPolicy,
  DENY_ALL_SESSION,
  parseInlinePolicy,
  type PolicyProblem,
} from './policy-assembly';

const allowed = (identity: PolicyDocument[], action: string, resource = '*', session?: PolicyDocument) =>
  decide(
    { identity, session, isRoot: false },
    {
      action,
      resource,
      principal: {
        type: 'user',
        arn: 'arn:aws:iam::000000000000:user/u',
        accessKeyId: 'AK',
        userName: 'u',
        userId: 'id',
      },
      context: {},
    },
  ).allowed;

describe('identity policy assembly', () => {
  it('turns simple inline policies, AWS inline policies and attached policies into documents', () => {
    const problems: PolicyProblem[] = [];
    const docs = assembleIdentityPolicies(
      {
        inlinePolicies: {
          default: JSON.stringify([{ bucket: 'b1', actions: ['read', 'iam:list_users'] }]),
          aws: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
          }),
        },
        attached: [
          { name: 'readwrite', document: '{}', isBuiltin: true },
          {
            name: 'groups',
            document: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iam:CreateUser' }] }),
            isBuiltin: false,
          },
          { name: 'readwrite', document: '{}', isBuiltin: true },
        ],
      },
      (p) => problems.push(p),
    );
    expect(problems).toEqual([]);
    expect(docs).toHaveLength(4);
    expect(docs[2]).toBe(CANNED_POLICIES.readwrite);
    expect(allowed(docs, 'iam:ListUsers')).toBe(true);
    expect(allowed(docs, 'iam:GetUser')).toBe(true);
    expect(allowed(docs, 'iam:CreateUser')).toBe(true);
    expect(allowed(docs, 'iam:DeleteUser')).toBe(false);
    expect(allowed(docs, 's3:PutObject', 'arn:aws:s3:::any/key')).toBe(true);
  });

  it('leaves out a policy that fails to parse and reports it', () => {
    const problems: PolicyProblem[] = [];
    const docs = assembleIdentityPolicies(
      {
        inlinePolicies: {
          bad: '[{"bucket":"*","actions":["fly"]}]',
          ok: '[{"bucket":"*","actions":["list"]}]',
        },
        attached: [{ name: 'broken', document: '{not json', isBuiltin: false }],
      },
      (p) => problems.push(p),
    );
    expect(docs).toHaveLength(1);
    expect(problems.map((p) => p.source)).toEqual(['inline policy bad', 'policy broken']);
    expect(problems[0]?.reason).toContain('fly');
  });

  it('parses a simple array and an AWS object, and refuses anything else', () => {
    expect(parseInlinePolicy('[{"bucket":"*","actions":["list"]}]').Statement.length).toBeGreaterThan(0);
    expect(() => parseInlinePolicy('"x"')).toThrow('Policies must be a JSON object');
    expect(() => parseInlinePolicy('{')).toThrow('invalid Json');
  });
});

describe('session policy assembly', () => {
  it('is absent without a policy and narrows with one', () => {
    const noop = () => undefined;
    expect(assembleSessionPolicy(null, noop)).toBeUndefined();
    const session = assembleSessionPolicy('[{"bucket":"*","actions":["iam:list_users"]}]', noop);
    const identity = [CANNED_POLICIES.consoleAdmin];
    expect(allowed(identity, 'iam:ListUsers', '*', session)).toBe(true);
    expect(allowed(identity, 'iam:CreateUser', '*', session)).toBe(false);
  });

  it('becomes allow-nothing when it fails to parse', () => {
    const problems: PolicyProblem[] = [];
    const session = assembleSessionPolicy('{"Statement": 5}', (p) => problems.push(p));
    expect(session).toBe(DENY_ALL_SESSION);
    expect(problems).toHaveLength(1);
    expect(allowed([CANNED_POLICIES.consoleAdmin], 'iam:ListUsers', '*', session)).toBe(false);
  });
});
