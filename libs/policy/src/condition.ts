import { parseOperator } from './condition-operators';
import type { ConditionBlock, RequestFacts } from './types';
import type { VariableResolver } from './wildcard';

/** Looks a condition key up; undefined when the request has no value for it. */
export type ContextLookup = (key: string) => string[] | undefined;

/**
 * Condition key names are case-insensitive in IAM, but the part after a '/' (a tag key, as in
 * s3:ExistingObjectTag/<key>) names S3 data, whose tag keys are case-sensitive.
 */
function normalizeKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
}

/**
 * The request context as a lookup, by {@link normalizeKey}. aws:username,
 * aws:userid and aws:PrincipalArn fall back to the authenticated principal so callers cannot
 * forget them (they stay absent for anonymous requests, as in AWS).
 */
export function contextLookup(facts: RequestFacts): ContextLookup {
  const values = new Map<string, string[]>();
  if (facts.principal.type === 'user') {
    values.set('aws:username', [facts.principal.userName]);
    values.set('aws:userid', [facts.principal.userId]);
    values.set('aws:principalarn', [facts.principal.arn]);
  }
  for (const [key, value] of Object.entries(facts.context)) {
    if (value !== undefined) {
      values.set(normalizeKey(key), Array.isArray(value) ? value : [value]);
    }
  }
  return (key) => values.get(normalizeKey(key));
}

/** Policy variables resolve from the same context; multivalued keys cannot be variables. */
export function variableResolver(lookup: ContextLookup): VariableResolver {
  return (name) => {
    const values = lookup(name);
    return values?.length === 1 ? values[0] : undefined;
  };
}

function keyHolds(
  operator: string,
  policyValues: string[],
  requestValues: string[] | undefined,
  vars: VariableResolver | null,
): boolean {
  const op = parseOperator(operator);
  if (!op) {
    // parsePolicy rejects unknown operators; a hand-built document with one grants nothing.
    return false;
  }
  const present = requestValues !== undefined && requestValues.length > 0;
  if (op.base === 'Null') {
    return policyValues.some((v) => (v.toLowerCase() === 'true') === !present);
  }
  if (!present) {
    // A missing key: IfExists and ForAllValues hold vacuously, ForAnyValue never does, and a
    // negated operator holds because nothing could match.
    if (op.ifExists || op.qualifier === 'ForAllValues') {
      return true;
    }
    return op.qualifier === 'ForAnyValue' ? false : op.negated;
  }
  const matcher = op.matcher;
  const matchesAny = (value: string): boolean =>
    matcher !== undefined && policyValues.some((p) => matcher(p, value, vars));
  const holds = (value: string): boolean => (op.negated ? !matchesAny(value) : matchesAny(value));
  if (op.qualifier === 'ForAllValues') {
    return requestValues.every(holds);
  }
  if (op.qualifier === 'ForAnyValue') {
    return requestValues.some(holds);
  }
  // Without a qualifier a multivalued key is read as a set: a positive operator needs one match,
  // a negated one needs no value to match.
  return op.negated ? requestValues.every(holds) : requestValues.some(holds);
}

/**
 * Whether a Condition element holds: every operator and every key in it must hold (AND); the
 * values listed for one key are alternatives (OR).
 */
export function conditionHolds(
  block: ConditionBlock | undefined,
  lookup: ContextLookup,
  vars: VariableResolver | null,
): boolean {
  if (!block) {
    return true;
  }
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, policyValues] of Object.entries(keys)) {
      if (!keyHolds(operator, policyValues, lookup(key), vars)) {
        return false;
      }
    }
  }
  return true;
}
