import { invalidValueReason, parseOperator } from './condition-operators';
import { PolicyError } from './policy-error';
import type { ConditionBlock, PolicyKind, PrincipalElement } from './types';
import { matchesPattern } from './wildcard';

/** Plain JSON object check (arrays and null excluded). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string-or-array element as a non-empty array of non-empty strings. */
export function stringList(value: unknown, element: string): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new PolicyError(`${element} must be a non-empty string or array of non-empty strings`);
  }
  return list as string[];
}

const PRINCIPAL_TYPES = new Set(['AWS', 'CanonicalUser', 'Service', 'Federated']);

/** Validates a Principal/NotPrincipal element. */
export function parsePrincipal(value: unknown, element: string): PrincipalElement {
  if (value === '*') {
    return '*';
  }
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw new PolicyError(`Invalid principal in policy: ${element} must be "*" or an object`);
  }
  const out: Record<string, string[]> = {};
  for (const [type, ids] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) {
      throw new PolicyError(`Invalid principal in policy: unknown principal type ${type}`);
    }
    out[type] = stringList(ids, `${element}.${type}`);
    if (out[type].some((id) => /\s/.test(id))) {
      throw new PolicyError(`Invalid principal in policy: ${type} ids must not contain spaces`);
    }
  }
  return out;
}

const ARN = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/s;

/**
 * Validates a Resource/NotResource pattern. Every resource is '*' or an ARN; a bucket policy
 * may only name its own bucket and the objects in it (AWS: "Policy has invalid resource").
 */
export function checkResource(resource: string, kind: PolicyKind, bucket: string | undefined): void {
  if (kind === 'identity' && resource === '*') {
    return;
  }
  const invalid = new PolicyError(`Policy has invalid resource: ${resource}`);
  if (!ARN.test(resource)) {
    throw invalid;
  }
  if (kind === 'bucket') {
    const [, , service = '', , , ...rest] = resource.split(':');
    const path = rest.join(':');
    const bucketPart = path.split('/')[0] ?? '';
    if (service !== 's3' || bucketPart === '') {
      throw invalid;
    }
    if (bucket !== undefined && !bucketPart.includes('${') && !matchesPattern(bucketPart, bucket)) {
      throw invalid;
    }
  }
}

const CONDITION_KEY = /^[A-Za-z0-9-]+:\S+$/;

function conditionValues(value: unknown, where: string): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const ok = (v: unknown): v is string | number | boolean =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (list.length === 0 || !list.every(ok)) {
    throw new PolicyError(`Invalid Condition value for ${where}`);
  }
  return list.map((v) => String(v));
}

/** Validates a Condition element: known operators, `service:key` names, well-typed values. */
export function parseCondition(value: unknown): ConditionBlock {
  if (!isObject(value)) {
    throw new PolicyError('Condition must be an object');
  }
  const block: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(value)) {
    const op = parseOperator(operator);
    if (!op) {
      throw new PolicyError(`Invalid Condition operator: ${operator}`);
    }
    if (!isObject(keys) || Object.keys(keys).length === 0) {
      throw new PolicyError(`Condition operator ${operator} must map keys to values`);
    }
    const parsed: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(keys)) {
      if (!CONDITION_KEY.test(key)) {
        throw new PolicyError(`Invalid Condition key: ${key}`);
      }
      parsed[key] = conditionValues(raw, `${operator} ${key}`);
      for (const v of parsed[key]) {
        const reason = invalidValueReason(op, v);
        if (reason) {
          throw new PolicyError(reason);
        }
      }
    }
    block[operator] = parsed;
  }
  return block;
}
