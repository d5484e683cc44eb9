import type { ContextValue } from './types';

/** What the gateway knows about a request, for {@link buildRequestContext}. */
export interface RequestContextInput {
  /** The client address (already resolved through trusted proxies). */
  sourceIp: string;
  isSecureTransport: boolean;
  now: Date;
  /** The request's query string (listing parameters become s3:prefix, s3:delimiter, s3:max-keys). */
  query?: URLSearchParams;
  /** Request headers with lower-case names. */
  headers?: Record<string, string | string[] | undefined>;
  /** The versionId the request names, if any (s3:VersionId). */
  versionId?: string;
  /** How the request was signed (s3:authType, s3:signatureversion); omit for anonymous requests. */
  auth?: { type: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST'; signatureVersion: 'AWS' | 'AWS4-HMAC-SHA256' };
  /** Tags of the object the request reads or changes (s3:ExistingObjectTag/<key>). */
  existingObjectTags?: Record<string, string>;
  /** Tags the request sets (s3:RequestObjectTag/<key>, s3:RequestObjectTagKeys). */
  requestObjectTags?: Record<string, string>;
}

// Request headers S3 exposes as condition keys, by header name → key.
const HEADER_KEYS: Record<string, string> = {
  'x-amz-acl': 's3:x-amz-acl',
  'x-amz-copy-source': 's3:x-amz-copy-source',
  'x-amz-metadata-directive': 's3:x-amz-metadata-directive',
  'x-amz-server-side-encryption': 's3:x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id': 's3:x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-customer-algorithm': 's3:x-amz-server-side-encryption-customer-algorithm',
  'x-amz-storage-class': 's3:x-amz-storage-class',
  'x-amz-website-redirect-location': 's3:x-amz-website-redirect-location',
  'x-amz-content-sha256': 's3:x-amz-content-sha256',
  'x-amz-grant-read': 's3:x-amz-grant-read',
  'x-amz-grant-write': 's3:x-amz-grant-write',
  'x-amz-grant-read-acp': 's3:x-amz-grant-read-acp',
  'x-amz-grant-write-acp': 's3:x-amz-grant-write-acp',
  'x-amz-grant-full-control': 's3:x-amz-grant-full-control',
  'x-amz-object-lock-mode': 's3:object-lock-mode',
  'x-amz-object-lock-retain-until-date': 's3:object-lock-retain-until-date',
  'x-amz-object-lock-legal-hold': 's3:object-lock-legal-hold',
  referer: 'aws:Referer',
  'user-agent': 'aws:UserAgent',
};

const QUERY_KEYS: Record<string, string> = {
  prefix: 's3:prefix',
  delimiter: 's3:delimiter',
  'max-keys': 's3:max-keys',
};

/**
 * The condition-key context of one request, with AWS's key names: aws:SourceIp,
 * aws:SecureTransport, aws:CurrentTime, aws:EpochTime, aws:Referer, aws:UserAgent, the listing
 * keys (present only when the query names them, '' included), the s3:x-amz-* header keys,
 * s3:VersionId, s3:authType, s3:signatureversion and the object-tag keys. aws:username and
 * aws:userid need not be added: the evaluator takes them from the principal. Returns a new object.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
export function buildRequestContext(input: RequestContextInput): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:SourceIp': input.sourceIp,
    'aws:SecureTransport': String(input.isSecureTransport),
    'aws:CurrentTime': input.now.toISOString(),
    'aws:EpochTime': String(Math.floor(input.now.getTime() / 1000)),
  };
  for (const [param, key] of Object.entries(QUERY_KEYS)) {
    const value = input.query?.get(param);
    if (value !== null && value !== undefined) {
      context[key] = value;
    }
  }
  for (const [header, key] of Object.entries(HEADER_KEYS)) {
    const value = input.headers?.[header];
    if (value !== undefined) {
      context[key] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  if (input.versionId !== undefined) {
    context['s3:VersionId'] = input.versionId;
  }
  if (input.auth) {
    context['s3:authType'] = input.auth.type;
    context['s3:signatureversion'] = input.auth.signatureVersion;
  }
  for (const [tag, value] of Object.entries(input.existingObjectTags ?? {})) {
    context[`s3:ExistingObjectTag/${tag}`] = value;
  }
  if (input.requestObjectTags) {
    context['s3:RequestObjectTagKeys'] = Object.keys(input.requestObjectTags);
    for (const [tag, value] of Object.entries(input.requestObjectTags)) {
      context[`s3:RequestObjectTag/${tag}`] = value;
    }
  }
  return context;
}
