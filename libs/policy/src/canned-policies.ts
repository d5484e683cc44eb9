import type { PolicyDocument } from './types';

/** The names of the built-in identity policies (MinIO / JuiceFS gateway canned policies). */
export type CannedPolicyName = 'readonly' | 'readwrite' | 'writeonly' | 'consoleAdmin';

const ALL_BUCKETS = ['arn:aws:s3:::*'];

/**
 * The canned identity policies. readonly/readwrite/writeonly are MinIO's documents verbatim
 * (readonly is exactly what `mc admin policy info readonly` prints in the JuiceFS docs);
 * consoleAdmin adds the management families: admin:* and kms:* as in MinIO, plus iam:* and sts:*
 * because MyFSIO's user management is authorized with iam:* actions.
 * Frozen: copy before editing.
 */
export const CANNED_POLICIES: Readonly<Record<CannedPolicyName, PolicyDocument>> = deepFreeze({
  readonly: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject'], Resource: ALL_BUCKETS }],
  },
  readwrite: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ALL_BUCKETS }],
  },
  writeonly: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ALL_BUCKETS }],
  },
  consoleAdmin: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['admin:*', 'iam:*', 'sts:*'], Resource: ['*'] },
      { Effect: 'Allow', Action: ['kms:*'], Resource: ['*'] },
      { Effect: 'Allow', Action: ['s3:*'], Resource: ALL_BUCKETS },
    ],
  },
});

/** Freezes a plain JSON value recursively, so shared constants cannot be mutated by a caller. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((v: unknown) => deepFreeze(v));
    Object.freeze(value);
  }
  return value;
}
