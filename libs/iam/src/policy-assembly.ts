import {
  CANNED_POLICIES,
  fromSimplePolicies,
  parsePolicy,
  PolicyError,
  type CannedPolicyName,
  type PolicyDocument,
  type SimplePolicy,
} from '@myfsio/policy';

/** A named policy as stored: AWS IAM JSON, or one of the canned names when built in. */
export interface NamedPolicySource {
  name: string;
  document: string;
  isBuiltin: boolean;
}

/** A policy the caller could not use, with the reason (logged, never sent to clients). */
export interface PolicyProblem {
  source: string;
  reason: string;
}

/** True for readonly, readwrite, writeonly and consoleAdmin. */
export function isCannedPolicyName(name: string): name is CannedPolicyName {
  return Object.prototype.hasOwnProperty.call(CANNED_POLICIES, name);
}

/**
 * Parses one inline policy: a JSON array is MyFSIO's simple form (`[{"bucket","actions","prefix"}]`),
 * a JSON object an AWS IAM identity policy.
 * @throws PolicyError when it is neither, or invalid.
 */
export function parseInlinePolicy(json: string): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new PolicyError('This policy contains invalid Json');
  }
  if (Array.isArray(raw)) {
    return fromSimplePolicies(raw as SimplePolicy[]);
  }
  return parsePolicy(json, 'identity');
}

/** A named policy's document: the canned constant for built-ins, else the parsed JSON. @throws PolicyError */
export function parseNamedPolicy(policy: NamedPolicySource): PolicyDocument {
  if (policy.isBuiltin && isCannedPolicyName(policy.name)) {
    return CANNED_POLICIES[policy.name];
  }
  return parsePolicy(policy.document, 'identity');
}

/** What a principal's identity policies are built from. */
export interface IdentitySources {
  /** The user's inline policies (name → JSON), simple or AWS form. */
  inlinePolicies: Record<string, string> | null;
  /** Policies attached to the user and to its enabled groups (duplicates are used once). */
  attached: readonly NamedPolicySource[];
}

/**
 * The parsed identity policies of a user. A policy that fails to parse is reported through
 * `onProblem` and left out: an identity policy only grants, so leaving it out never widens access.
 */
export function assembleIdentityPolicies(
  sources: IdentitySources,
  onProblem: (problem: PolicyProblem) => void,
): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  const attempt = (source: string, parse: () => PolicyDocument) => {
    try {
      docs.push(parse());
    } catch (err) {
      onProblem({ source, reason: err instanceof PolicyError ? err.reason : String(err) });
    }
  };
  for (const [name, json] of Object.entries(sources.inlinePolicies ?? {})) {
    attempt(`inline policy ${name}`, () => parseInlinePolicy(json));
  }
  const seen = new Set<string>();
  for (const policy of sources.attached) {
    if (!seen.has(policy.name)) {
      seen.add(policy.name);
      attempt(`policy ${policy.name}`, () => parseNamedPolicy(policy));
    }
  }
  return docs;
}

/** A session policy that allows nothing: what an unparsable session policy becomes. */
export const DENY_ALL_SESSION: PolicyDocument = Object.freeze({
  Version: '2012-10-17',
  Statement: [],
});

/**
 * A service account's or STS session's policy. Unlike an identity policy, a session policy
 * narrows: one that fails to parse becomes allow-nothing rather than being dropped (which would
 * give the session all of its parent's permissions).
 */
export function assembleSessionPolicy(
  json: string | null,
  onProblem: (problem: PolicyProblem) => void,
): PolicyDocument | undefined {
  if (json === null || json.trim() === '') {
    return undefined;
  }
  try {
    return parseInlinePolicy(json);
  } catch (err) {
    onProblem({ source: 'session policy', reason: err instanceof PolicyError ? err.reason : String(err) });
    return DENY_ALL_SESSION;
  }
}
