// Shared fixtures for this lib's unit tests only (not exported from index.ts).
import { CANNED_POLICIES } from './canned-policies';
import { decide } from './decide';
import { evaluate } from './evaluate';
import { parsePolicy } from './parse-policy';
import type {
  ContextValue,
  Decision,
  PolicyDocument,
  PolicyKind,
  RequestFacts,
  RequestPrincipal,
} from './types';

export const ALICE: RequestPrincipal = {
  type: 'user',
  arn: 'arn:aws:iam::123456789012:user/alice',
  accessKeyId: 'AKIAALICE0000000000',
  userName: 'alice',
  userId: 'AIDAALICE',
};

export const BOB: RequestPrincipal = {
  type: 'user',
  arn: 'arn:aws:iam::123456789012:user/bob',
  accessKeyId: 'AKIABOB00000000000',
  userName: 'bob',
  userId: 'AIDABOB',
};

export const ANONYMOUS: RequestPrincipal = { type: 'anonymous' };

/** Request facts for `action` on `resource` ('bucket' or 'bucket/key' become S3 ARNs). */
export function facts(
  action: string,
  resource: string,
  principal: RequestPrincipal = ALICE,
  context: Record<string, ContextValue> = {},
): RequestFacts {
  const arn = resource === '*' || resource.startsWith('arn:') ? resource : `arn:aws:s3:::${resource}`;
  return { action, resource: arn, principal, context };
}

/** Parses a policy given as an object literal (through JSON, like a real upload). */
export function policy(doc: unknown, kind: PolicyKind, bucket?: string): PolicyDocument {
  return parsePolicy(JSON.stringify(doc), kind, bucket === undefined ? {} : { bucket });
}

/** Evaluates a one-statement identity policy whose statement is `statement`. */
export function evalStatement(statement: Record<string, unknown>, request: RequestFacts): Decision {
  const doc = policy({ Version: '2012-10-17', Statement: [statement] }, 'identity');
  return evaluate(doc, request, { kind: 'identity' });
}

/** One bucket-policy example: its statements and [action, resource, principal, context, allowed] cases. */
export type BucketExample = [
  string,
  unknown[],
  Array<[string, string, RequestPrincipal, Record<string, ContextValue>, boolean]>,
];

/**
 * Runs bucket-policy examples on bucket "b" through `decide`. Users hold CANNED readwrite, so a
 * bucket-policy Deny is what refuses them; anonymous callers hold nothing, so a bucket-policy
 * Allow is what admits them.
 */
export function bucketExampleSuite(title: string, examples: BucketExample[]): void {
  describe.each(examples)(`${title}: %s`, (_name, statements, cases) => {
    const bucket = policy({ Version: '2012-10-17', Statement: statements }, 'bucket', 'b');
    it.each(cases)('%s on %s by %j with %j → allowed %s', (action, resource, principal, context, allowed) => {
      const identity = principal.type === 'user' ? [CANNED_POLICIES.readwrite] : [];
      const request = facts(action, resource, principal, context);
      expect(decide({ identity, bucket, isRoot: false }, request).allowed).toBe(allowed);
    });
  });
}
