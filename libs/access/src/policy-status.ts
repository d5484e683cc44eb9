import { principalMatches, type PolicyDocument } from '@myfsio/policy';

// Condition keys that pin a statement to fixed sources or accounts, so it does not make the
// bucket public (AWS's "The meaning of public").
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
const RESTRICTING_KEYS = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
]);

/**
 * GetBucketPolicyStatus's IsPublic: true when some Allow statement names everyone (anonymous
 * callers included) and no condition pins it to fixed sources, accounts or principals.
 */
export function isPolicyPublic(doc: PolicyDocument | undefined): boolean {
  return (doc?.Statement ?? []).some((s) => {
    if (s.Effect !== 'Allow' || s.Principal === undefined) {
      return false;
    }
    if (!principalMatches(s.Principal, { type: 'anonymous' })) {
      return false;
    }
    const keys = Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
    return !keys.some((k) => RESTRICTING_KEYS.has(k.toLowerCase()));
  });
}
