import { conditionHolds, contextLookup, variableResolver, type ContextLookup } from './condition';
import type {
  Decision,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PrincipalElement,
  RequestFacts,
  RequestPrincipal,
} from './types';
import { matchesPattern, type VariableResolver } from './wildcard';

/** The account id inside an IAM ARN (`arn:aws:iam::123456789012:user/x` → '123456789012'). */
function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function awsIdMatches(id: string, principal: RequestPrincipal): boolean {
  if (id === '*') {
    return true;
  }
  if (principal.type !== 'user') {
    return false;
  }
  if (id === principal.arn || id === principal.accessKeyId) {
    return true;
  }
  // An account (bare id or its :root ARN) stands for every identity of that account.
  const account = accountOf(principal.arn);
  return (
    account !== '' && (id === account || (id.startsWith('arn:') && id.endsWith(`:iam::${account}:root`)))
  );
}

/**
 * Whether a Principal element names the caller. `*` and `{"AWS": "*"}` name everyone, anonymous
 * callers included; an ARN, access key id or account names a user; CanonicalUser matches user ids.
 * Service and Federated principals never match a gateway caller.
 */
export function principalMatches(element: PrincipalElement, principal: RequestPrincipal): boolean {
  if (element === '*') {
    return true;
  }
  const aws = element.AWS ?? [];
  const canonical = element.CanonicalUser ?? [];
  return (
    aws.some((id) => awsIdMatches(id, principal)) ||
    (principal.type === 'user' && canonical.some((id) => id === principal.userId))
  );
}

function listMatches(
  positive: string[] | undefined,
  negative: string[] | undefined,
  hit: (pattern: string) => boolean,
): boolean {
  if (positive) {
    return positive.some(hit);
  }
  // Not… elements match everything they do not list; a statement with neither matches nothing.
  return negative !== undefined && !negative.some(hit);
}

function statementApplies(
  statement: PolicyStatement,
  facts: RequestFacts,
  kind: PolicyKind,
  lookup: ContextLookup,
  vars: VariableResolver | null,
): boolean {
  if (kind === 'bucket') {
    const { Principal, NotPrincipal } = statement;
    const named = Principal
      ? principalMatches(Principal, facts.principal)
      : NotPrincipal !== undefined && !principalMatches(NotPrincipal, facts.principal);
    if (!named) {
      return false;
    }
  }
  const actionHit = (p: string): boolean => matchesPattern(p, facts.action, { ignoreCase: true });
  const resourceHit = (p: string): boolean => matchesPattern(p, facts.resource, { vars });
  return (
    listMatches(statement.Action, statement.NotAction, actionHit) &&
    listMatches(statement.Resource, statement.NotResource, resourceHit) &&
    conditionHolds(statement.Condition, lookup, vars)
  );
}

/**
 * Evaluates one policy for one request: 'Deny' when a matching statement denies (an explicit
 * deny always wins), 'Allow' when one allows, 'NotApplicable' otherwise (an implicit deny).
 * Identity policies ignore principals; bucket policies apply a statement only to the principals
 * it names. Never throws; hand-built documents with unknown operators simply grant nothing.
 */
export function evaluate(doc: PolicyDocument, facts: RequestFacts, options: { kind: PolicyKind }): Decision {
  const lookup = contextLookup(facts);
  // Policy variables exist only from policy language 2012-10-17 on; older documents keep `${…}`.
  const vars = doc.Version === '2012-10-17' ? variableResolver(lookup) : null;
  let allowed = false;
  for (const statement of doc.Statement) {
    if (statementApplies(statement, facts, options.kind, lookup, vars)) {
      if (statement.Effect === 'Deny') {
        return 'Deny';
      }
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'NotApplicable';
}
