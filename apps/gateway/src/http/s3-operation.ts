import { S3Error, S3Errors } from '@myfsio/common';

/**
 * Every S3 operation the router knows, by its AWS name. Each one maps to a handler through
 * an exhaustive table (`handlers/index.ts`), so adding a name here forces a handler there.
 */
export const S3_OPERATION_NAMES = [
  'ListBuckets',
  'AssumeRole',
  'CreateBucket',
  'HeadBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'ListMultipartUploads',
  'DeleteObjects',
  'GetBucketVersioning',
  'PutBucketVersioning',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetBucketTagging',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'GetBucketLifecycleConfiguration',
  'PutBucketLifecycleConfiguration',
  'DeleteBucketLifecycle',
  'GetBucketCors',
  'PutBucketCors',
  'DeleteBucketCors',
  'GetBucketEncryption',
  'PutBucketEncryption',
  'DeleteBucketEncryption',
  'GetObjectLockConfiguration',
  'PutObjectLockConfiguration',
  'GetBucketWebsite',
  'PutBucketWebsite',
  'DeleteBucketWebsite',
  'GetBucketNotificationConfiguration',
  'PutBucketNotificationConfiguration',
  'GetBucketLogging',
  'PutBucketLogging',
  'GetBucketReplication',
  'PutBucketReplication',
  'DeleteBucketReplication',
  'PutObject',
  'CopyObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'GetObjectAcl',
  'PutObjectAcl',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'GetObjectRetention',
  'PutObjectRetention',
  'GetObjectLegalHold',
  'PutObjectLegalHold',
  'GetObjectAttributes',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'SelectObjectContent',
  'RestoreObject',
] as const;

export type S3OperationName = (typeof S3_OPERATION_NAMES)[number];

/** A request resolved once into the operation it names. */
export interface S3Operation {
  name: S3OperationName;
  bucket?: string;
  key?: string;
  /** Where the bucket name came from; SigV2 needs to know for its canonical resource. */
  bucketFromHost: boolean;
  query: URLSearchParams;
}

type Level = 'service' | 'bucket' | 'object';
type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

/** A route: method + level + the subresource that selects it ('' = none), with an optional predicate. */
interface Route {
  method: Method;
  level: Level;
  sub: string;
  name: S3OperationName;
  when?: (q: URLSearchParams, headers: Record<string, string | string[] | undefined>) => boolean;
}

const isFormPost = (h: Record<string, string | string[] | undefined>) =>
  String(h['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');

const hasCopySource = (_q: URLSearchParams, h: Record<string, string | string[] | undefined>) =>
  h['x-amz-copy-source'] !== undefined;

/** Bucket subresources and their operations, GET/PUT/DELETE. */
const BUCKET_CONFIG: Record<string, [S3OperationName?, S3OperationName?, S3OperationName?]> = {
  versioning: ['GetBucketVersioning', 'PutBucketVersioning'],
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  policyStatus: ['GetBucketPolicyStatus'],
  acl: ['GetBucketAcl', 'PutBucketAcl'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging'],
  lifecycle: ['GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration', 'DeleteBucketLifecycle'],
  cors: ['GetBucketCors', 'PutBucketCors', 'DeleteBucketCors'],
  encryption: ['GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption'],
  'object-lock': ['GetObjectLockConfiguration', 'PutObjectLockConfiguration'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  notification: ['GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration'],
  logging: ['GetBucketLogging', 'PutBucketLogging'],
  replication: ['GetBucketReplication', 'PutBucketReplication', 'DeleteBucketReplication'],
  location: ['GetBucketLocation'],
};

function configRoutes(): Route[] {
  const routes: Route[] = [];
  for (const [sub, [get, put, del]] of Object.entries(BUCKET_CONFIG)) {
    if (get) {
      routes.push({ method: 'GET', level: 'bucket', sub, name: get });
    }
    if (put) {
      routes.push({ method: 'PUT', level: 'bucket', sub, name: put });
    }
    if (del) {
      routes.push({ method: 'DELETE', level: 'bucket', sub, name: del });
    }
  }
  return routes;
}

/** The routing table, first match wins; more specific entries come first. */
const ROUTES: Route[] = [
  { method: 'GET', level: 'service', sub: '', name: 'ListBuckets' },
  {
    method: 'POST',
    level: 'service',
    sub: '',
    name: 'AssumeRole',
    // STS: the Action is in the query or (AWS SDKs, the CLI) in a form body; the handler checks it.
    when: (q, h) => q.has('Action') || isFormPost(h),
  },
  ...configRoutes(),
  { method: 'GET', level: 'bucket', sub: 'versions', name: 'ListObjectVersions' },
  { method: 'GET', level: 'bucket', sub: 'uploads', name: 'ListMultipartUploads' },
  { method: 'GET', level: 'bucket', sub: '', name: 'ListObjectsV2', when: (q) => q.get('list-type') === '2' },
  { method: 'GET', level: 'bucket', sub: '', name: 'ListObjects' },
  { method: 'HEAD', level: 'bucket', sub: '', name: 'HeadBucket' },
  { method: 'PUT', level: 'bucket', sub: '', name: 'CreateBucket' },
  { method: 'DELETE', level: 'bucket', sub: '', name: 'DeleteBucket' },
  { method: 'POST', level: 'bucket', sub: 'delete', name: 'DeleteObjects' },
  { method: 'PUT', level: 'object', sub: 'uploadId', name: 'UploadPartCopy', when: hasCopySource },
  { method: 'PUT', level: 'object', sub: 'uploadId', name: 'UploadPart' },
  { method: 'PUT', level: 'object', sub: 'tagging', name: 'PutObjectTagging' },
  { method: 'PUT', level: 'object', sub: 'acl', name: 'PutObjectAcl' },
  { method: 'PUT', level: 'object', sub: 'retention', name: 'PutObjectRetention' },
  { method: 'PUT', level: 'object', sub: 'legal-hold', name: 'PutObjectLegalHold' },
  { method: 'PUT', level: 'object', sub: '', name: 'CopyObject', when: hasCopySource },
  { method: 'PUT', level: 'object', sub: '', name: 'PutObject' },
  { method: 'GET', level: 'object', sub: 'uploadId', name: 'ListParts' },
  { method: 'GET', level: 'object', sub: 'tagging', name: 'GetObjectTagging' },
  { method: 'GET', level: 'object', sub: 'acl', name: 'GetObjectAcl' },
  { method: 'GET', level: 'object', sub: 'retention', name: 'GetObjectRetention' },
  { method: 'GET', level: 'object', sub: 'legal-hold', name: 'GetObjectLegalHold' },
  { method: 'GET', level: 'object', sub: 'attributes', name: 'GetObjectAttributes' },
  { method: 'GET', level: 'object', sub: '', name: 'GetObject' },
  { method: 'HEAD', level: 'object', sub: '', name: 'HeadObject' },
  { method: 'DELETE', level: 'object', sub: 'uploadId', name: 'AbortMultipartUpload' },
  { method: 'DELETE', level: 'object', sub: 'tagging', name: 'DeleteObjectTagging' },
  { method: 'DELETE', level: 'object', sub: '', name: 'DeleteObject' },
  { method: 'POST', level: 'object', sub: 'uploads', name: 'CreateMultipartUpload' },
  { method: 'POST', level: 'object', sub: 'uploadId', name: 'CompleteMultipartUpload' },
  { method: 'POST', level: 'object', sub: 'select', name: 'SelectObjectContent' },
  { method: 'POST', level: 'object', sub: 'restore', name: 'RestoreObject' },
];

/** Query names that select an operation. Others (prefix, max-keys, response-*, X-Amz-*) are parameters. */
const SUBRESOURCES = new Set<string>([
  ...Object.keys(BUCKET_CONFIG),
  'versions',
  'uploads',
  'delete',
  'uploadId',
  'retention',
  'legal-hold',
  'attributes',
  'select',
  'restore',
  'ownershipControls',
  'publicAccessBlock',
  'requestPayment',
  'accelerate',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'torrent',
  'partNumber',
  'select-type',
  'quota',
  'notification',
]);

/** Subresources that only qualify another one (`?uploadId&partNumber`, `?select&select-type=2`). */
const QUALIFIERS = new Set(['partNumber', 'select-type']);

export interface ResolveInput {
  method: string;
  /** Request target as received (percent-encoded path and query). */
  rawUrl: string;
  host: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case domains for virtual-host style (`S3_DOMAIN`). */
  domains: readonly string[];
}

function bucketFromHost(host: string | undefined, domains: readonly string[]): string | undefined {
  if (!host || domains.length === 0) {
    return undefined;
  }
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const domain of domains) {
    const bare = domain.replace(/:\d+$/, '');
    if (name.endsWith(`.${bare}`)) {
      return name.slice(0, -(bare.length + 1));
    }
  }
  return undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

/**
 * Resolves a request into its S3 operation: path-style (`/bucket/key`) or virtual-host style
 * (`bucket.<S3_DOMAIN>/key`), percent-decoded key, subresource keyword. An unknown subresource
 * is `NotImplemented`; a method the resource does not support is `MethodNotAllowed`.
 */
export function resolveOperation(input: ResolveInput): S3Operation {
  const qIndex = input.rawUrl.indexOf('?');
  const rawPath = qIndex === -1 ? input.rawUrl : input.rawUrl.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : input.rawUrl.slice(qIndex + 1));
  const hostBucket = bucketFromHost(input.host, input.domains);

  let bucket: string | undefined;
  let key: string | undefined;
  if (hostBucket !== undefined) {
    bucket = hostBucket;
    const rest = rawPath.replace(/^\//, '');
    key = rest === '' ? undefined : decodePath(rest);
  } else {
    const path = rawPath.replace(/^\//, '');
    const slash = path.indexOf('/');
    const rawBucket = slash === -1 ? path : path.slice(0, slash);
    bucket = rawBucket === '' ? undefined : decodePath(rawBucket);
    const rest = slash === -1 ? '' : path.slice(slash + 1);
    key = rest === '' ? undefined : decodePath(rest);
  }

  const level: Level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
  const subs = [...query.keys()].filter((k) => SUBRESOURCES.has(k) && !QUALIFIERS.has(k));
  const sub = subs[0] ?? '';
  const method = input.method.toUpperCase();
  const candidates = ROUTES.filter((r) => r.level === level && r.sub === sub);
  const route = candidates.find((r) => r.method === method && (!r.when || r.when(query, input.headers)));
  if (route) {
    return { name: route.name, bucket, key, query, bucketFromHost: hostBucket !== undefined };
  }
  if (sub !== '' && candidates.length === 0) {
    throw S3Errors.notImplemented(`The ${sub} subresource`);
  }
  throw new S3Error('MethodNotAllowed', { resource: rawPath });
}
