import {
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import {
  READERS_OF_TEAM_A,
  runRow,
  startMatrix,
  type Ctx,
  type Id,
  type Matrix,
  type Row,
} from '../../support/permission-matrix';
import { cleanup } from '../../support/server';

/**
 * The permission matrix, reads and bucket configuration: each row is one S3 call made by every
 * identity of test/support/permission-matrix.ts; the row lists who gets 2xx, all others must get
 * 403 AccessDenied. The writes are in permission-matrix-writes.e2e-spec.ts.
 */
const LISTERS: Id[] = ['reader', 'grouped', 'denier'];
const versioningBefore = new Map<Id, string | undefined>();
const listV2 = (Prefix?: string) => (c: Ctx) =>
  c.s3.send(new ListObjectsV2Command({ Bucket: c.bucket, ...(Prefix ? { Prefix } : {}) }));
const getObject = (Key: string) => async (c: Ctx) => {
  const got = await c.s3.send(new GetObjectCommand({ Bucket: c.bucket, Key }));
  expect(await got.Body!.transformToString()).toBe(Key);
};
const headObject = (Key: string) => (c: Ctx) => c.s3.send(new HeadObjectCommand({ Bucket: c.bucket, Key }));

const ROWS: Row[] = [
  {
    name: 'ListBuckets',
    allow: ['reader', 'writer', 'denier', 'serviceAccount'],
    run: (c) => c.s3.send(new ListBucketsCommand({})),
  },
  // The writer's listing is conditioned on s3:prefix like team-a/*, so only that prefix lists.
  { name: 'ListObjectsV2 without a prefix', allow: LISTERS, run: listV2() },
  { name: 'ListObjectsV2 Prefix=team-a/', allow: READERS_OF_TEAM_A, run: listV2('team-a/') },
  { name: 'ListObjectsV2 Prefix=team-a (not under team-a/)', allow: LISTERS, run: listV2('team-a') },
  { name: 'ListObjectsV2 Prefix=other/', allow: LISTERS, run: listV2('other/') },
  {
    name: 'ListObjects (v1) Prefix=team-a/',
    allow: READERS_OF_TEAM_A,
    run: (c) => c.s3.send(new ListObjectsCommand({ Bucket: c.bucket, Prefix: 'team-a/' })),
  },
  {
    // s3:ListBucketVersions: not in the group's or the session's policy.
    name: 'ListObjectVersions Prefix=team-a/',
    allow: ['reader', 'writer', 'denier', 'serviceAccount'],
    run: (c) => c.s3.send(new ListObjectVersionsCommand({ Bucket: c.bucket, Prefix: 'team-a/' })),
  },
  {
    name: 'ListMultipartUploads Prefix=team-a/',
    allow: ['reader', 'writer', 'denier', 'serviceAccount'],
    run: (c) => c.s3.send(new ListMultipartUploadsCommand({ Bucket: c.bucket, Prefix: 'team-a/' })),
  },
  {
    name: 'HeadBucket',
    allow: LISTERS,
    run: (c) => c.s3.send(new HeadBucketCommand({ Bucket: c.bucket })),
  },
  { name: 'GetObject team-a/', allow: READERS_OF_TEAM_A, run: getObject('team-a/seed.txt') },
  { name: 'HeadObject team-a/', allow: READERS_OF_TEAM_A, run: headObject('team-a/seed.txt') },
  { name: 'GetObject other/', allow: LISTERS, run: getObject('other/seed.txt') },
  { name: 'HeadObject other/', allow: LISTERS, run: headObject('other/seed.txt') },
  {
    name: 'GetObjectTagging',
    allow: ['reader', 'writer', 'grouped', 'denier', 'serviceAccount'],
    run: (c) => c.s3.send(new GetObjectTaggingCommand({ Bucket: c.bucket, Key: 'team-a/seed.txt' })),
  },
  {
    name: 'GetBucketPolicy',
    allow: ['denier'],
    run: (c) => c.s3.send(new GetBucketPolicyCommand({ Bucket: c.bucket })),
  },
  {
    name: 'PutBucketPolicy',
    allow: ['denier'],
    run: async (c) => {
      const current = await c.root.send(new GetBucketPolicyCommand({ Bucket: c.bucket }));
      const Policy = current.Policy!.replace(/"Sid":"[^"]*"/, `"Sid":"By${c.id}"`);
      return c.s3.send(new PutBucketPolicyCommand({ Bucket: c.bucket, Policy }));
    },
    untouched: async (c) => {
      const res = await c.root.send(new GetBucketPolicyCommand({ Bucket: c.bucket }));
      expect(res.Policy).not.toContain(`By${c.id}`);
    },
  },
  {
    // "read" includes s3:GetBucketVersioning; the group's policy does not.
    name: 'GetBucketVersioning',
    allow: ['reader', 'writer', 'denier', 'serviceAccount'],
    run: (c) => c.s3.send(new GetBucketVersioningCommand({ Bucket: c.bucket })),
  },
  {
    // "write" includes s3:PutBucketVersioning (a bucket action, so the prefix does not limit it).
    // Last, so that the suspended state cannot change a row above.
    name: 'PutBucketVersioning',
    allow: ['writer', 'denier'],
    run: async (c) => {
      const before = await c.root.send(new GetBucketVersioningCommand({ Bucket: c.bucket }));
      versioningBefore.set(c.id, before.Status);
      return c.s3.send(
        new PutBucketVersioningCommand({
          Bucket: c.bucket,
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      );
    },
    untouched: async (c) => {
      const now = await c.root.send(new GetBucketVersioningCommand({ Bucket: c.bucket }));
      expect(now.Status).toBe(versioningBefore.get(c.id));
    },
  },
];

describe('permission matrix: reads and bucket configuration (identity × S3 action)', () => {
  let m: Matrix;
  beforeAll(async () => {
    m = await startMatrix();
  });
  afterAll(async () => {
    await m.server.stop();
    cleanup(m.server);
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow(m, row));

  it('GetBucketPolicy returns the stored document to the one identity allowed', async () => {
    const res = await m.clients.denier.send(new GetBucketPolicyCommand({ Bucket: m.bucket }));
    expect(JSON.parse(res.Policy!)).toMatchObject({
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }],
    });
  });
});
