import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectTaggingCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { expectNotStored, expectStored } from '../../support/permission-fixture';
import {
  IDS,
  keyFor,
  runRow,
  startMatrix,
  WRITERS_OF_TEAM_A,
  type Ctx,
  type Id,
  type Matrix,
  type Row,
} from '../../support/permission-matrix';
import { cleanup } from '../../support/server';

/**
 * The permission matrix, writes: each row is one S3 call made by every identity of
 * test/support/permission-matrix.ts (who gets 2xx; all others 403 AccessDenied), and every
 * refused write is checked to have left nothing: no object, no file under STORAGE_ROOT, no
 * upload, no part, no tag.
 */
const seedObject = (c: Ctx, Key: string) =>
  c.root.send(new PutObjectCommand({ Bucket: c.bucket, Key, Body: Key }));
const rootUpload = async (c: Ctx, Key: string) =>
  (await c.root.send(new CreateMultipartUploadCommand({ Bucket: c.bucket, Key }))).UploadId!;
const uploadsOf = async (c: Ctx, Prefix: string) =>
  (await c.root.send(new ListMultipartUploadsCommand({ Bucket: c.bucket, Prefix }))).Uploads ?? [];
const notStored = (prefix: string, what: string) => (c: Ctx) =>
  expectNotStored(c.server, c.root, c.bucket, keyFor(c, prefix, what));

const ROWS: Row[] = [
  ...(['team-a/', 'other/'] as const).map((prefix): Row => ({
    name: `PutObject ${prefix}`,
    allow: prefix === 'team-a/' ? WRITERS_OF_TEAM_A : ['grouped', 'denier'],
    run: (c) =>
      c.s3.send(new PutObjectCommand({ Bucket: c.bucket, Key: keyFor(c, prefix, 'put'), Body: 'x' })),
    untouched: notStored(prefix, 'put'),
  })),
  {
    // Setting an ACL on a write also needs s3:PutObjectAcl, which only s3:* grants here.
    name: 'PutObject team-a/ with x-amz-acl: public-read',
    allow: ['denier'],
    run: (c) =>
      c.s3.send(
        new PutObjectCommand({
          Bucket: c.bucket,
          Key: keyFor(c, 'team-a/', 'acl'),
          Body: 'x',
          ACL: 'public-read',
        }),
      ),
    untouched: notStored('team-a/', 'acl'),
  },
  ...(['team-a/', 'other/'] as const).map((source): Row => ({
    // Read on the source and write on the target: the writer cannot read other/.
    name: `CopyObject ${source}seed.txt → team-a/`,
    allow: source === 'team-a/' ? WRITERS_OF_TEAM_A : ['grouped', 'denier'],
    run: (c) =>
      c.s3.send(
        new CopyObjectCommand({
          Bucket: c.bucket,
          Key: keyFor(c, 'team-a/', `copy-of-${source}`),
          CopySource: `${c.bucket}/${source}seed.txt`,
        }),
      ),
    untouched: notStored('team-a/', `copy-of-${source}`),
  })),
  {
    name: 'CopyObject team-a/seed.txt → other/',
    allow: ['grouped', 'denier'],
    run: (c) =>
      c.s3.send(
        new CopyObjectCommand({
          Bucket: c.bucket,
          Key: keyFor(c, 'other/', 'copy'),
          CopySource: `${c.bucket}/team-a/seed.txt`,
        }),
      ),
    untouched: notStored('other/', 'copy'),
  },
  ...(['team-a/', 'protected/'] as const).map((prefix): Row => ({
    // Nobody but the group and s3:* may delete; the denier's Deny covers protected/.
    name: `DeleteObject ${prefix}`,
    allow: prefix === 'team-a/' ? ['grouped', 'denier'] : ['grouped'],
    run: async (c) => {
      await seedObject(c, keyFor(c, prefix, 'del'));
      return c.s3.send(new DeleteObjectCommand({ Bucket: c.bucket, Key: keyFor(c, prefix, 'del') }));
    },
    untouched: (c) => expectStored(c.server, c.root, c.bucket, keyFor(c, prefix, 'del')),
  })),
  {
    name: 'CreateMultipartUpload',
    allow: WRITERS_OF_TEAM_A,
    run: async (c) => {
      const Key = keyFor(c, 'team-a/', 'mpu');
      const { UploadId } = await c.s3.send(new CreateMultipartUploadCommand({ Bucket: c.bucket, Key }));
      await c.root.send(new AbortMultipartUploadCommand({ Bucket: c.bucket, Key, UploadId }));
    },
    untouched: async (c) => expect(await uploadsOf(c, keyFor(c, 'team-a/', 'mpu'))).toEqual([]),
  },
  {
    name: 'UploadPart',
    allow: WRITERS_OF_TEAM_A,
    run: async (c) => {
      const Key = keyFor(c, 'team-a/', 'part');
      const UploadId = await rootUpload(c, Key);
      await c.s3.send(
        new UploadPartCommand({ Bucket: c.bucket, Key, UploadId, PartNumber: 1, Body: 'part' }),
      );
    },
    untouched: async (c) => {
      const Key = keyFor(c, 'team-a/', 'part');
      const [upload] = await uploadsOf(c, Key);
      const parts = await c.root.send(
        new ListPartsCommand({ Bucket: c.bucket, Key, UploadId: upload!.UploadId }),
      );
      expect(parts.Parts ?? []).toEqual([]);
    },
  },
  ...(['team-a/', 'other/'] as const).map((source): Row => ({
    name: `UploadPartCopy ${source}seed.txt → team-a/`,
    allow: source === 'team-a/' ? WRITERS_OF_TEAM_A : ['grouped', 'denier'],
    run: async (c) => {
      const Key = keyFor(c, 'team-a/', `part-copy-of-${source}`);
      const UploadId = await rootUpload(c, Key);
      const CopySource = `${c.bucket}/${source}seed.txt`;
      await c.s3.send(
        new UploadPartCopyCommand({ Bucket: c.bucket, Key, UploadId, PartNumber: 1, CopySource }),
      );
    },
    untouched: async (c) => {
      const Key = keyFor(c, 'team-a/', `part-copy-of-${source}`);
      const [upload] = await uploadsOf(c, Key);
      const parts = await c.root.send(
        new ListPartsCommand({ Bucket: c.bucket, Key, UploadId: upload!.UploadId }),
      );
      expect(parts.Parts ?? []).toEqual([]);
    },
  })),
  {
    name: 'CompleteMultipartUpload',
    allow: WRITERS_OF_TEAM_A,
    run: async (c) => {
      const Key = keyFor(c, 'team-a/', 'complete');
      const UploadId = await rootUpload(c, Key);
      const part = await c.root.send(
        new UploadPartCommand({ Bucket: c.bucket, Key, UploadId, PartNumber: 1, Body: 'one part' }),
      );
      const MultipartUpload = { Parts: [{ PartNumber: 1, ETag: part.ETag }] };
      await c.s3.send(
        new CompleteMultipartUploadCommand({ Bucket: c.bucket, Key, UploadId, MultipartUpload }),
      );
    },
    untouched: notStored('team-a/', 'complete'),
  },
  {
    // s3:AbortMultipartUpload: in "write" and the group's policy, not in the session's.
    name: 'AbortMultipartUpload',
    allow: ['writer', 'grouped', 'denier'],
    run: async (c) => {
      const Key = keyFor(c, 'team-a/', 'abort');
      const UploadId = await rootUpload(c, Key);
      await c.s3.send(new AbortMultipartUploadCommand({ Bucket: c.bucket, Key, UploadId }));
    },
    untouched: async (c) => expect(await uploadsOf(c, keyFor(c, 'team-a/', 'abort'))).toHaveLength(1),
  },
  {
    name: 'PutObjectTagging',
    allow: ['writer', 'grouped', 'denier'],
    run: async (c) => {
      await seedObject(c, keyFor(c, 'team-a/', 'tag'));
      const Tagging = { TagSet: [{ Key: 'by', Value: c.id }] };
      return c.s3.send(
        new PutObjectTaggingCommand({ Bucket: c.bucket, Key: keyFor(c, 'team-a/', 'tag'), Tagging }),
      );
    },
    untouched: async (c) => {
      const Key = keyFor(c, 'team-a/', 'tag');
      expect((await c.root.send(new GetObjectTaggingCommand({ Bucket: c.bucket, Key }))).TagSet).toEqual([]);
    },
  },
];

describe('permission matrix: writes (identity × S3 action)', () => {
  let m: Matrix;
  beforeAll(async () => {
    m = await startMatrix();
  });
  afterAll(async () => {
    await m.server.stop();
    cleanup(m.server);
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow(m, row));

  it('decides DeleteObjects per key: refused keys are AccessDenied entries and stay stored', async () => {
    const keys = (id: Id) => ['team-a/', 'other/', 'protected/'].map((p) => `${p}multi-${id}`);
    const deletable: Record<Id, string[]> = {
      reader: [],
      writer: [],
      grouped: ['team-a/', 'other/', 'protected/'],
      denier: ['team-a/', 'other/'],
      serviceAccount: [],
      session: [],
      anonymous: [],
    };
    for (const id of IDS) {
      for (const Key of keys(id)) {
        await m.root.send(new PutObjectCommand({ Bucket: m.bucket, Key, Body: Key }));
      }
      const res = await m.clients[id].send(
        new DeleteObjectsCommand({ Bucket: m.bucket, Delete: { Objects: keys(id).map((Key) => ({ Key })) } }),
      );
      const deleted = deletable[id].map((p) => `${p}multi-${id}`).sort();
      const refused = keys(id).filter((k) => !deleted.includes(k));
      expect({ id, deleted: (res.Deleted ?? []).map((d) => d.Key).sort() }).toEqual({ id, deleted });
      expect((res.Errors ?? []).map((e) => [e.Key, e.Code]).sort()).toEqual(
        refused.map((k) => [k, 'AccessDenied']).sort(),
      );
      for (const key of refused) {
        await expectStored(m.server, m.root, m.bucket, key);
      }
      for (const key of deleted) {
        await expectNotStored(m.server, m.root, m.bucket, key);
      }
    }
  });
});
