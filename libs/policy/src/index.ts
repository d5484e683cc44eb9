/**
 * The policy engine: pure functions (no Nest, no I/O) that parse, convert and evaluate AWS IAM
 * identity, session and bucket policies, MyFSIO's simple inline policies, the canned policies
 * and the anonymous presets, and combine them into one allow/deny per request. Every export
 * documents its contract where it is defined; nothing here keeps state beyond match caches.
 */

/** Policy documents and request facts (see each type's TSDoc). */
export type {
  AccessDecision,
  ConditionBlock,
  ContextValue,
  Decision,
  Effect,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PrincipalElement,
  RequestFacts,
  RequestPrincipal,
} from './types';
/** Thrown by parsePolicy/fromSimplePolicies; `reason` is the client-safe MalformedPolicy message. */
export { PolicyError } from './policy-error';
/** Parses and validates policy JSON; throws PolicyError. */
export { parsePolicy } from './parse-policy';
/** Evaluates one policy (Allow / Deny / NotApplicable); never throws. */
export { evaluate, principalMatches } from './evaluate';
/** Combines identity, session, bucket policy and ACL into the final verdict; never throws. */
export { decide, type DecisionInput } from './decide';
/** MyFSIO simple inline policies → PolicyDocument; throws PolicyError. */
export { fromSimplePolicies, type SimplePolicy } from './simple-policy';
/** The 19 simple S3 actions and the iam:* family with the IAM actions they grant. */
export {
  expandSimpleAction,
  SIMPLE_IAM_ACTIONS,
  SIMPLE_S3_ACTION_NAMES,
  SIMPLE_S3_ACTIONS,
  simpleGroupOf,
  type SimpleS3Action,
} from './simple-actions';
/** Built-in identity policies (readonly, readwrite, writeonly, consoleAdmin); frozen. */
export { CANNED_POLICIES, type CannedPolicyName } from './canned-policies';
/** Anonymous access presets (none/download/upload/public) as bucket-policy statements. */
export {
  ANONYMOUS_PRESETS,
  anonymousAccessOf,
  anonymousPolicy,
  type AnonymousAccess,
} from './anonymous-presets';
/** S3 operation → IAM actions and resource kind; the (action, resource) pairs a request needs. */
export {
  OPERATION_ACTIONS,
  requiredPermissions,
  s3ResourceArn,
  type OperationPermissions,
  type OperationTarget,
} from './operation-actions';
/** Builds the condition-key context (aws:SourceIp, s3:prefix, …) of one request. */
export { buildRequestContext, type RequestContextInput } from './request-context';
/** Known S3 IAM actions and the resource kind each applies to. */
export { KNOWN_S3_ACTIONS, s3ActionKind, type ResourceKind } from './s3-actions';
/** Wildcard (`*`, `?`) matching with policy variables, as used for Action/Resource. */
export { matchesPattern } from './wildcard';

export { mentionsExistingObjectTag } from './condition-keys';
