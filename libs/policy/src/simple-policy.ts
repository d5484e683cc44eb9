import { isObject } from './parse-elements';
import { PolicyError } from './policy-error';
import { s3ActionKind } from './s3-actions';
import {
  expandSimpleAction,
  SIMPLE_IAM_ACTIONS,
  SIMPLE_S3_ACTION_NAMES,
  SIMPLE_S3_ACTIONS,
  simpleGroupOf,
  type SimpleS3Action,
} from './simple-actions';
import type { PolicyDocument, PolicyStatement } from './types';

/** One entry of MyFSIO's inline user policy: `{"bucket": "*", "actions": ["list"], "prefix": "a/"}`. */
export interface SimplePolicy {
  /** A bucket name (case-insensitive) or '*' for every bucket. */
  bucket: string;
  /** Simple names (list, read, …, iam:create_user, iam:*), '*' for the 19 S3 ones, or AWS names. */
  actions: string[];
  /** Restricts object actions (and ListBucket's s3:prefix) to keys under this prefix; '*' = all. */
  prefix?: string;
}

const IAM_BY_NAME = new Map<string, string>([
  ...Object.entries(SIMPLE_IAM_ACTIONS).map(([simple, aws]) => [simple, aws] as const),
  ...Object.values(SIMPLE_IAM_ACTIONS).map((aws) => [aws.toLowerCase(), aws] as const),
  ['iam:*', 'iam:*'],
]);
// Listing calls that carry a `prefix` parameter; the gateway sets s3:prefix for each of them.
const PREFIXED_LISTS = new Set([
  's3:listbucket',
  's3:listbucketversions',
  's3:listbucketmultipartuploads',
  's3:listmultipartuploads',
]);
const BUCKET_NAME = /^[a-z0-9.*?_-]+$/;

function normalizeActions(actions: unknown): { groups: Set<SimpleS3Action>; iam: Set<string> } {
  if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string')) {
    throw new PolicyError('actions must be an array of strings');
  }
  const groups = new Set<SimpleS3Action>();
  const iam = new Set<string>();
  for (const action of actions as string[]) {
    const lower = action.trim().toLowerCase();
    const iamAction = IAM_BY_NAME.get(lower);
    const group = lower in SIMPLE_S3_ACTIONS ? (lower as SimpleS3Action) : simpleGroupOf(lower);
    if (lower === '*' || lower === 's3:*') {
      SIMPLE_S3_ACTION_NAMES.forEach((name) => groups.add(name));
    } else if (iamAction) {
      iam.add(iamAction);
    } else if (group) {
      groups.add(group);
    } else {
      throw new PolicyError(`Unknown action in simple policy: ${action}`);
    }
  }
  return { groups, iam };
}

function statement(
  actions: Iterable<string>,
  resource: string,
  condition?: PolicyStatement['Condition'],
): PolicyStatement[] {
  const list = [...new Set(actions)];
  if (list.length === 0) {
    return [];
  }
  return [
    { Effect: 'Allow', Action: list, Resource: [resource], ...(condition ? { Condition: condition } : {}) },
  ];
}

function entryStatements(entry: unknown): PolicyStatement[] {
  if (!isObject(entry) || typeof entry.bucket !== 'string') {
    throw new PolicyError('Each simple policy needs a "bucket" string and an "actions" array');
  }
  const bucket = entry.bucket.trim().toLowerCase();
  if (!BUCKET_NAME.test(bucket)) {
    throw new PolicyError(`Invalid bucket in simple policy: ${entry.bucket}`);
  }
  if (entry.prefix !== undefined && entry.prefix !== null && typeof entry.prefix !== 'string') {
    throw new PolicyError('prefix must be a string');
  }
  const rawPrefix = typeof entry.prefix === 'string' ? entry.prefix.replace(/^\/+/, '') : '';
  const prefix = rawPrefix === '*' ? '' : rawPrefix;
  const { groups, iam } = normalizeActions(entry.actions);
  const service: string[] = [];
  const bucketLevel: string[] = [];
  const listing: string[] = [];
  const objectLevel: string[] = [];
  for (const group of groups) {
    for (const action of expandSimpleAction(group)) {
      const kind = s3ActionKind(action) ?? 'bucket';
      const target =
        kind === 'service'
          ? service
          : kind === 'object'
            ? objectLevel
            : prefix !== '' && PREFIXED_LISTS.has(action.toLowerCase())
              ? listing
              : bucketLevel;
      target.push(action);
    }
  }
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return [
    ...statement(service, '*'),
    ...statement(bucketLevel, bucketArn),
    // A prefix-scoped user may list only under the prefix: the listing's prefix must start with it.
    ...statement(listing, bucketArn, { StringLike: { 's3:prefix': [`${prefix}*`] } }),
    ...statement(objectLevel, `${bucketArn}/${prefix}*`),
    ...statement(iam, '*'),
  ];
}

/**
 * Converts MyFSIO's simple inline policies (`[{"bucket", "actions", "prefix"?}]`) into an
 * equivalent identity policy: each simple action expands to its AWS actions on
 * `arn:aws:s3:::<bucket>` (bucket actions) and `arn:aws:s3:::<bucket>/<prefix>*` (object
 * actions); a prefix also conditions the listing actions on `s3:prefix`; iam actions apply to
 * every resource. Returns a new document (Version 2012-10-17, so `${aws:username}` in a prefix works).
 * @throws PolicyError for a malformed entry, a bad bucket name or an unknown action.
 */
export function fromSimplePolicies(entries: readonly SimplePolicy[]): PolicyDocument {
  if (!Array.isArray(entries)) {
    throw new PolicyError('A simple policy must be a JSON array');
  }
  return { Version: '2012-10-17', Statement: entries.flatMap((entry: unknown) => entryStatements(entry)) };
}
