import { evaluate } from './evaluate';
import type { AccessDecision, Decision, PolicyDocument, RequestFacts } from './types';

/** What {@link decide} combines for one request. */
export interface DecisionInput {
  /** The user's own policies and those of the user's enabled groups (none for anonymous). */
  identity: PolicyDocument[];
  /** The inline policy of an STS session: it can only narrow the identity's permissions. */
  session?: PolicyDocument;
  /** The bucket's policy, when the request targets a bucket that has one. */
  bucket?: PolicyDocument;
  /** Whether the bucket/object ACL grants the access; omitted when ACLs say nothing. */
  acl?: 'Allow' | 'NotApplicable';
  /** The bootstrap administrator (the owner of every bucket). */
  isRoot: boolean;
}

// The owner can always repair a bucket policy that locks everyone out, as AWS lets the root user.
const POLICY_REPAIR = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

function firstDeny(decisions: Array<[string, Decision]>): string | undefined {
  return decisions.find(([, d]) => d === 'Deny')?.[0];
}

/**
 * The final authorization verdict, in the order of AWS's policy evaluation logic:
 * 1. an explicit Deny in any identity, session or bucket policy refuses (for root: only a
 *    bucket-policy Deny does, and never for the bucket-policy actions themselves);
 * 2. root is allowed everything else;
 * 3. with a session policy, the session must allow the action too (intersection);
 * 4. an Allow from an identity policy, the bucket policy or the ACL suffices (same account);
 * 5. otherwise an implicit deny.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function decide(input: DecisionInput, facts: RequestFacts): AccessDecision {
  const bucket = input.bucket ? evaluate(input.bucket, facts, { kind: 'bucket' }) : 'NotApplicable';
  if (input.isRoot) {
    if (bucket === 'Deny' && !POLICY_REPAIR.has(facts.action.toLowerCase())) {
      return { allowed: false, reason: 'explicitly denied by the bucket policy' };
    }
    return { allowed: true, reason: 'root user' };
  }
  const isUser = facts.principal.type === 'user';
  const identity = isUser ? input.identity.map((doc) => evaluate(doc, facts, { kind: 'identity' })) : [];
  const session = isUser && input.session ? evaluate(input.session, facts, { kind: 'identity' }) : undefined;
  const denied = firstDeny([
    ...identity.map((d): [string, Decision] => ['an identity policy', d]),
    ['the session policy', session ?? 'NotApplicable'],
    ['the bucket policy', bucket],
  ]);
  if (denied) {
    return { allowed: false, reason: `explicitly denied by ${denied}` };
  }
  if (session !== undefined && session !== 'Allow') {
    return { allowed: false, reason: 'not allowed by the session policy' };
  }
  if (identity.includes('Allow')) {
    return { allowed: true, reason: 'allowed by an identity policy' };
  }
  if (bucket === 'Allow') {
    return { allowed: true, reason: 'allowed by the bucket policy' };
  }
  if (input.acl === 'Allow') {
    return { allowed: true, reason: 'allowed by the ACL' };
  }
  return { allowed: false, reason: 'no policy allows the action (implicit deny)' };
}
