import { checkResource, isObject, parseCondition, parsePrincipal, stringList } from './parse-elements';
import { PolicyError } from './policy-error';
import { invalidActionReason, s3PatternKinds } from './s3-actions';
import type { PolicyDocument, PolicyKind, PolicyStatement } from './types';

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

function exclusive(raw: Record<string, unknown>, a: string, b: string, required: boolean): void {
  if (raw[a] !== undefined && raw[b] !== undefined) {
    throw new PolicyError(`A statement cannot have both ${a} and ${b}`);
  }
  if (required && raw[a] === undefined && raw[b] === undefined) {
    throw new PolicyError(`Missing required field ${a}`);
  }
}

/**
 * AWS refuses a bucket-policy statement in which some action can act on none of its resources
 * ("Action does not apply to any resource(s) in statement"), e.g. s3:GetObject on a bucket ARN.
 * A pattern containing '/' names objects only; one without names the bucket; '*' can reach both.
 */
function checkActionsApply(actions: string[], resources: string[]): void {
  const objectReachable = resources.some((r) => r.includes('/') || r.includes('*'));
  const bucketReachable = resources.some((r) => !r.includes('/'));
  for (const action of actions) {
    if (action === '*') {
      continue;
    }
    const kinds = s3PatternKinds(action);
    const applies =
      kinds.has('service') ||
      (kinds.has('object') && objectReachable) ||
      (kinds.has('bucket') && bucketReachable);
    if (!applies) {
      throw new PolicyError(`Action does not apply to any resource(s) in statement: ${action}`);
    }
  }
}

function parseStatement(raw: unknown, kind: PolicyKind, bucket: string | undefined): PolicyStatement {
  if (!isObject(raw)) {
    throw new PolicyError('Each Statement must be an object');
  }
  const unknown = Object.keys(raw).find((k) => !STATEMENT_KEYS.has(k));
  if (unknown !== undefined) {
    throw new PolicyError(`Unknown field ${unknown} in Statement`);
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') {
    throw new PolicyError('Effect must be "Allow" or "Deny"');
  }
  const statement: PolicyStatement = { Effect: raw.Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== 'string') {
      throw new PolicyError('Sid must be a string');
    }
    statement.Sid = raw.Sid;
  }
  // Principal: bucket policies must say whom they address; identity policies address their owner.
  if (kind === 'identity') {
    if (raw.Principal !== undefined || raw.NotPrincipal !== undefined) {
      throw new PolicyError('Policy document should not specify a principal');
    }
  } else {
    exclusive(raw, 'Principal', 'NotPrincipal', true);
    if (raw.Principal !== undefined) {
      statement.Principal = parsePrincipal(raw.Principal, 'Principal');
    } else {
      if (statement.Effect === 'Allow') {
        throw new PolicyError('NotPrincipal must be used with "Effect": "Deny"');
      }
      statement.NotPrincipal = parsePrincipal(raw.NotPrincipal, 'NotPrincipal');
    }
  }
  exclusive(raw, 'Action', 'NotAction', true);
  const actionKey = raw.Action !== undefined ? 'Action' : 'NotAction';
  const actions = stringList(raw[actionKey], actionKey);
  for (const action of actions) {
    const reason = invalidActionReason(action, kind === 'bucket');
    if (reason) {
      throw new PolicyError(reason);
    }
  }
  statement[actionKey] = actions;
  // MinIO-style admin/kms statements carry no Resource; they mean every resource of that service.
  const resourceOptional =
    kind === 'identity' && actionKey === 'Action' && actions.every((a) => !/^(s3:|\*$)/i.test(a));
  exclusive(raw, 'Resource', 'NotResource', !resourceOptional);
  const resourceKey = raw.NotResource !== undefined ? 'NotResource' : 'Resource';
  const resources = raw[resourceKey] === undefined ? ['*'] : stringList(raw[resourceKey], resourceKey);
  resources.forEach((r) => checkResource(r, kind, bucket));
  statement[resourceKey] = resources;
  if (kind === 'bucket' && actionKey === 'Action' && resourceKey === 'Resource') {
    checkActionsApply(actions, resources);
  }
  if (raw.Condition !== undefined) {
    statement.Condition = parseCondition(raw.Condition);
  }
  return statement;
}

/**
 * Parses and validates an IAM identity policy (user, group, canned, STS session) or a bucket
 * policy. `options.bucket` (bucket policies) restricts resources to that bucket and its objects.
 * Returns a normalized document (list elements as arrays, condition values as strings).
 * @throws PolicyError with the reason for S3's `MalformedPolicy`: invalid JSON, unknown fields,
 *   bad Version/Effect, unknown action, resource outside the bucket or not an ARN, unknown
 *   condition operator or ill-typed value, a principal where none belongs or none where one must be.
 */
export function parsePolicy(
  json: string,
  kind: PolicyKind,
  options: { bucket?: string } = {},
): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new PolicyError('This policy contains invalid Json');
  }
  if (!isObject(raw)) {
    throw new PolicyError('Policies must be a JSON object');
  }
  const unknown = Object.keys(raw).find((k) => !DOCUMENT_KEYS.has(k));
  if (unknown !== undefined) {
    throw new PolicyError(`Unknown field ${unknown}`);
  }
  const doc: PolicyDocument = { Statement: [] };
  if (raw.Version !== undefined) {
    if (typeof raw.Version !== 'string' || !VERSIONS.has(raw.Version)) {
      throw new PolicyError('The policy must contain a valid version string');
    }
    doc.Version = raw.Version;
  }
  if (raw.Id !== undefined) {
    if (typeof raw.Id !== 'string') {
      throw new PolicyError('Id must be a string');
    }
    doc.Id = raw.Id;
  }
  const statements: unknown[] = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  if (raw.Statement === undefined || statements.length === 0) {
    throw new PolicyError('Missing required field Statement');
  }
  const sids = new Set<string>();
  for (const entry of statements) {
    const statement = parseStatement(entry, kind, options.bucket);
    if (statement.Sid) {
      if (sids.has(statement.Sid)) {
        throw new PolicyError(`Statement IDs (SID) must be unique: ${statement.Sid}`);
      }
      sids.add(statement.Sid);
    }
    doc.Statement.push(statement);
  }
  return doc;
}
