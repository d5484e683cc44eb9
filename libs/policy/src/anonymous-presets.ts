import { deepFreeze } from './canned-policies';
import type { PolicyDocument, PolicyStatement } from './types';

/** The anonymous access levels of `mc policy set` (JuiceFS gateway "anonymous access management"). */
export type AnonymousAccess = 'none' | 'download' | 'upload' | 'public';

// MinIO's preset action sets (minio-go pkg/policy): every level may locate the bucket; reading
// adds listing and GetObject; writing adds the multipart listing, uploads and deletes.
const READ_BUCKET = ['s3:GetBucketLocation', 's3:ListBucket'];
const READ_OBJECT = ['s3:GetObject'];
const WRITE_BUCKET = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'];
const WRITE_OBJECT = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];

function presetStatements(read: boolean, write: boolean, bucket: string, prefix = ''): PolicyStatement[] {
  const principal = { AWS: ['*'] };
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const bucketActions = [...new Set([...(read ? READ_BUCKET : []), ...(write ? WRITE_BUCKET : [])])];
  const objectActions = [...(read ? READ_OBJECT : []), ...(write ? WRITE_OBJECT : [])];
  if (objectActions.length === 0) {
    return [];
  }
  const statements: PolicyStatement[] = [];
  // A prefix preset lets anonymous callers list only under the prefix (s3:prefix starts with it).
  if (prefix !== '' && read) {
    statements.push(
      {
        Effect: 'Allow',
        Principal: principal,
        Action: bucketActions.filter((a) => a !== 's3:ListBucket'),
        Resource: [bucketArn],
      },
      {
        Effect: 'Allow',
        Principal: principal,
        Action: ['s3:ListBucket'],
        Resource: [bucketArn],
        Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      },
    );
  } else {
    statements.push({ Effect: 'Allow', Principal: principal, Action: bucketActions, Resource: [bucketArn] });
  }
  statements.push({
    Effect: 'Allow',
    Principal: principal,
    Action: objectActions,
    Resource: [`${bucketArn}/${prefix}*`],
  });
  return statements;
}

/**
 * The bucket-policy statements of each anonymous access level, for a whole bucket or for the
 * keys under `prefix`: none (no statements), download (read + list), upload (write + delete +
 * multipart) and public (both). Each call returns fresh statements the caller may edit.
 */
export const ANONYMOUS_PRESETS: Readonly<
  Record<AnonymousAccess, (bucket: string, prefix?: string) => PolicyStatement[]>
> = deepFreeze({
  none: () => [],
  download: (bucket, prefix) => presetStatements(true, false, bucket, prefix),
  upload: (bucket, prefix) => presetStatements(false, true, bucket, prefix),
  public: (bucket, prefix) => presetStatements(true, true, bucket, prefix),
});

/** The bucket policy for an anonymous access level; null for 'none' (delete the policy instead). */
export function anonymousPolicy(
  access: AnonymousAccess,
  bucket: string,
  prefix?: string,
): PolicyDocument | null {
  const statements = ANONYMOUS_PRESETS[access](bucket, prefix);
  return statements.length === 0 ? null : { Version: '2012-10-17', Statement: statements };
}

function covers(have: PolicyStatement, want: PolicyStatement): boolean {
  const isWildcard = have.Principal === '*' || (have.Principal?.AWS?.includes('*') ?? false);
  const superset = (a: string[] | undefined, b: string[] | undefined): boolean =>
    (b ?? []).every((x) => (a ?? []).includes(x));
  return (
    have.Effect === 'Allow' &&
    isWildcard &&
    superset(have.Action, want.Action) &&
    superset(have.Resource, want.Resource) &&
    JSON.stringify(have.Condition) === JSON.stringify(want.Condition)
  );
}

/**
 * Which preset a bucket policy grants for `bucket`/`prefix` (what `mc policy get` shows):
 * 'public', 'download', 'upload' or 'none' when the policy holds that preset's statements.
 * Deny statements and other grants are not analysed; it reads presets back, nothing more.
 */
export function anonymousAccessOf(
  doc: PolicyDocument | undefined,
  bucket: string,
  prefix?: string,
): AnonymousAccess {
  const has = (access: AnonymousAccess): boolean =>
    ANONYMOUS_PRESETS[access](bucket, prefix).every((want) =>
      (doc?.Statement ?? []).some((s) => covers(s, want)),
    );
  const read = has('download');
  const write = has('upload');
  return read && write ? 'public' : read ? 'download' : write ? 'upload' : 'none';
}
