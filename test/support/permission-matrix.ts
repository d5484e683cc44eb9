import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createUser, type Creds } from './iam-api';
import { admin, createServiceAccount, outcomeOf, policyJson, type Outcome } from './permission-fixture';
import { anonymousS3Client, bucketName, s3Client } from './s3-client';
import { startServer, type RunningServer } from './server';

/**
 * The identities of the permission matrix, all on one bucket B holding team-a/seed.txt and
 * other/seed.txt, set up only through the admin IAM API, STS AssumeRole and the S3 API:
 * - reader: simple policy list+read on B;
 * - writer: simple policy list+read+write on B with prefix team-a/;
 * - grouped: no policy of its own; its group has a named AWS-JSON policy (list, get, put,
 *   delete, object tagging, abort) on B attached;
 * - denier: a named policy allowing s3:* and denying s3:DeleteObject on any protected/ prefix;
 * - serviceAccount: the writer's, narrowed by a session policy to list+read on B;
 * - session: an STS session of the writer whose Policy allows only s3:ListBucket on B and
 *   s3:GetObject/s3:PutObject under team-a/;
 * - anonymous: unsigned requests.
 */
export const IDS = [
  'reader',
  'writer',
  'grouped',
  'denier',
  'serviceAccount',
  'session',
  'anonymous',
] as const;
export type Id = (typeof IDS)[number];

export const READERS_OF_TEAM_A: Id[] = ['reader', 'writer', 'grouped', 'denier', 'serviceAccount', 'session'];
export const WRITERS_OF_TEAM_A: Id[] = ['writer', 'grouped', 'denier', 'session'];

/** One call made by one identity; `root` is the admin client for preparing and checking. */
export interface Ctx {
  server: RunningServer;
  bucket: string;
  root: S3Client;
  s3: S3Client;
  id: Id;
}

/** A row of the matrix: one S3 call, the identities it must allow; all others get AccessDenied. */
export interface Row {
  name: string;
  allow: Id[];
  run: (c: Ctx) => Promise<unknown>;
  /** After a refused call: asserts that the refused write left nothing behind. */
  untouched?: (c: Ctx) => Promise<void>;
}

/** A live server with the matrix's bucket and identities. */
export interface Matrix {
  server: RunningServer;
  bucket: string;
  root: S3Client;
  clients: Record<Id, S3Client>;
  /** The bucket policy stored on the bucket: it grants nobody of the matrix. */
  bucketPolicy: string;
}

/** A per-identity key under `prefix`, so identities never touch each other's objects. */
export const keyFor = (c: Ctx, prefix: string, what: string) => `${prefix}${what}-${c.id}`;

/** Starts a server and sets up the bucket and the identities. */
export async function startMatrix(): Promise<Matrix> {
  const server = await startServer({ env: { IAM_REFRESH_INTERVAL_SECONDS: '1' } });
  const root = s3Client(server);
  const B = bucketName('matrix');
  const BUCKET_POLICY = policyJson({
    Sid: 'Unrelated',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::000000000000:user/nobody-in-the-matrix' },
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${B}/*`,
  });
  const SEEDS = ['team-a/seed.txt', 'other/seed.txt'];
  const clients = {} as Record<Id, S3Client>;
  await root.send(new CreateBucketCommand({ Bucket: B }));
  for (const Key of SEEDS) {
    await root.send(new PutObjectCommand({ Bucket: B, Key, Body: Key }));
  }
  await root.send(new PutBucketPolicyCommand({ Bucket: B, Policy: BUCKET_POLICY }));

  // 1. Simple inline policies: a read-only user, a writer scoped to team-a/.
  const reader = await createUser(server, {
    name: 'm-reader',
    policies: [{ bucket: B, actions: ['list', 'read'] }],
  });
  const writer = await createUser(server, {
    name: 'm-writer',
    policies: [{ bucket: B, actions: ['list', 'read', 'write'], prefix: 'team-a/' }],
  });
  // 2. A user with no policy of its own, in a group with a named AWS-JSON policy attached.
  const grouped = await createUser(server, { name: 'm-grouped' });
  await admin(server, 'PUT', '/admin/iam/policies/m-group-rw', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}` },
      {
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
          's3:GetObjectTagging',
          's3:PutObjectTagging',
          's3:AbortMultipartUpload',
        ],
        Resource: `arn:aws:s3:::${B}/*`,
      },
    ],
  });
  await admin(server, 'POST', '/admin/iam/groups', { name: 'm-group', members: ['m-grouped'] });
  await admin(server, 'PUT', '/admin/iam/groups/m-group/attached-policies/m-group-rw');
  // 3. s3:* with an explicit Deny of s3:DeleteObject under protected/.
  const denier = await createUser(server, { name: 'm-denier' });
  await admin(server, 'PUT', '/admin/iam/policies/m-all-but-protected-delete', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::*/protected/*' },
    ],
  });
  await admin(server, 'PUT', '/admin/iam/users/m-denier/attached-policies/m-all-but-protected-delete');
  // 4. A service account of the writer, narrowed to reading.
  const serviceAccount = await createServiceAccount(server, 'm-writer', 'm-writer-ro', [
    { bucket: B, actions: ['list', 'read'] },
  ]);
  // 5. An STS session of the writer: listing, and GetObject/PutObject under team-a/ only.
  const sts = new STSClient({
    endpoint: server.apiUrl,
    region: 'us-east-1',
    credentials: writer,
    maxAttempts: 1,
  });
  const assumed = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::000000000000:role/any',
      RoleSessionName: 'matrix',
      Policy: policyJson(
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}` },
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: `arn:aws:s3:::${B}/team-a/*`,
        },
      ),
    }),
  );
  const session: Creds = {
    accessKeyId: assumed.Credentials!.AccessKeyId!,
    secretAccessKey: assumed.Credentials!.SecretAccessKey!,
    sessionToken: assumed.Credentials!.SessionToken!,
  };
  const creds = { reader, writer, grouped, denier, serviceAccount, session };
  for (const [id, c] of Object.entries(creds)) {
    clients[id as Id] = s3Client(server, c);
  }
  clients.anonymous = anonymousS3Client(server);
  return { server, bucket: B, root, clients, bucketPolicy: BUCKET_POLICY };
}

/** Runs a row for every identity and compares all outcomes at once (the diff names each one). */
export async function runRow(m: Matrix, row: Row): Promise<void> {
  const actual = {} as Record<Id, Outcome>;
  const expected = {} as Record<Id, Outcome>;
  for (const id of IDS) {
    const c: Ctx = { server: m.server, bucket: m.bucket, root: m.root, s3: m.clients[id], id };
    actual[id] = await outcomeOf(() => row.run(c));
    expected[id] = row.allow.includes(id) ? 'allow' : 'deny';
    if (actual[id] === 'deny' && row.untouched) {
      await row.untouched(c);
    }
  }
  expect(actual).toEqual(expected);
}
