import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) {
      return err;
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('versioning', () => {
  let server: RunningServer;
  let s3: S3Client;

  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function versionedBucket(prefix: string): Promise<string> {
    const Bucket = bucketName(prefix);
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    return Bucket;
  }
  const put = (Bucket: string, Key: string, Body: string) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body }));
  const read = async (Bucket: string, Key: string, VersionId?: string) =>
    (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
  const plain = (Bucket: string, Key: string) => join(server.storageRoot, Bucket, Key);

  describe('PutBucketVersioning and GetBucketVersioning', () => {
    it('reports no status until configured, then Enabled and Suspended', async () => {
      const Bucket = bucketName('vcfg');
      await s3.send(new CreateBucketCommand({ Bucket }));
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
      await s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
      );
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');
    });

    it('returns NotImplemented for MFA delete and NoSuchBucket for a missing bucket', async () => {
      const Bucket = bucketName('vmfa');
      await s3.send(new CreateBucketCommand({ Bucket }));
      const mfa = await failure(
        s3.send(
          new PutBucketVersioningCommand({
            Bucket,
            VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
            MFA: 'arn:aws:iam::123456789012:mfa/user 123456',
          }),
        ),
      );
      expect(mfa.name).toBe('NotImplemented');
      expect(mfa.$metadata.httpStatusCode).toBe(501);
      const missing = await failure(
        s3.send(
          new PutBucketVersioningCommand({
            Bucket: bucketName('nope'),
            VersioningConfiguration: { Status: 'Enabled' },
          }),
        ),
      );
      expect(missing.name).toBe('NoSuchBucket');
    });
  });

  it('versions overwrites, serves old versions and keeps the plain file equal to the current one', async () => {
    const Bucket = await versionedBucket('vput');
    const v1 = await put(Bucket, 'dir/doc.txt', 'version one');
    const v2 = await put(Bucket, 'dir/doc.txt', 'version two');
    expect(v1.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await read(Bucket, 'dir/doc.txt')).toBe('version two');
    expect(await read(Bucket, 'dir/doc.txt', v1.VersionId)).toBe('version one');
    const head = await s3.send(
      new HeadObjectCommand({ Bucket, Key: 'dir/doc.txt', VersionId: v1.VersionId }),
    );
    expect(head.VersionId).toBe(v1.VersionId);
    expect(head.ContentLength).toBe(11);
    expect(readFileSync(plain(Bucket, 'dir/doc.txt'), 'utf8')).toBe('version two');
    // Noncurrent bytes live in the system area, never beside the object.
    expect(existsSync(join(server.storageRoot, '.myfsio.sys', 'versions', Bucket))).toBe(true);
  });

  it('hides a deleted key behind a delete marker and restores an old version by copying it back', async () => {
    const Bucket = await versionedBucket('vdel');
    const v1 = await put(Bucket, 'k', 'original');
    await put(Bucket, 'k', 'changed');
    const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(plain(Bucket, 'k'))).toBe(false);

    const get = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })));
    expect(get.name).toBe('NoSuchKey');
    expect(get.$response?.headers['x-amz-delete-marker']).toBe('true');
    const byId = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId })));
    expect(byId.$metadata.httpStatusCode).toBe(405);

    const copy = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `${Bucket}/k?versionId=${v1.VersionId}` }),
    );
    expect(copy.CopySourceVersionId).toBe(v1.VersionId);
    expect(copy.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(await read(Bucket, 'k')).toBe('original');
    expect(readFileSync(plain(Bucket, 'k'), 'utf8')).toBe('original');
  });

  it('promotes the previous version when the current one is deleted by id', async () => {
    const Bucket = await versionedBucket('vprom');
    const v1 = await put(Bucket, 'p', 'first');
    const v2 = await put(Bucket, 'p', 'second');
    const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'p', VersionId: v2.VersionId }));
    expect(del.VersionId).toBe(v2.VersionId);
    expect(del.DeleteMarker).toBeUndefined();
    expect(await read(Bucket, 'p')).toBe('first');
    expect(readFileSync(plain(Bucket, 'p'), 'utf8')).toBe('first');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'p', VersionId: v1.VersionId }));
    expect(existsSync(plain(Bucket, 'p'))).toBe(false);
    const missing = await failure(
      s3.send(new GetObjectCommand({ Bucket, Key: 'p', VersionId: v1.VersionId })),
    );
    expect(missing.name).toBe('NoSuchVersion');
  });

  it('keeps the null version of objects written before versioning and in Suspended state', async () => {
    const Bucket = bucketName('vnull');
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await put(Bucket, 'n', 'before')).VersionId).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await put(Bucket, 'n', 'enabled');
    expect(await read(Bucket, 'n', 'null')).toBe('before');
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    expect((await put(Bucket, 'n', 'suspended')).VersionId).toBe('null');
    const list = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'n' }));
    expect(list.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ['null', true],
      [v1.VersionId, false],
    ]);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'n' }));
    expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    expect(existsSync(plain(Bucket, 'n'))).toBe(false);
    expect(await read(Bucket, 'n', v1.VersionId)).toBe('enabled');
  });

  it('tags a version by id', async () => {
    const Bucket = await versionedBucket('vtag');
    const v1 = await put(Bucket, 't', 'a');
    await put(Bucket, 't', 'b');
    const res = await s3.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: 't',
        VersionId: v1.VersionId,
        Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] },
      }),
    );
    expect(res.VersionId).toBe(v1.VersionId);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 't' }))).TagSet).toEqual([]);
    expect(
      (await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 't', VersionId: v1.VersionId }))).TagSet,
    ).toEqual([{ Key: 'old', Value: 'yes' }]);
  });

  it('pages ListObjectVersions through many versions with markers, delete markers included', async () => {
    const Bucket = await versionedBucket('vlist');
    const expected: string[] = [];
    for (const key of ['a/1', 'a/2', 'b']) {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push((await put(Bucket, key, `${key}-${i}`)).VersionId!);
      }
      expected.push(...ids.reverse().map((id) => `${key}@${id}`));
    }
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'b' }));
    expected.splice(12, 0, `b@${marker.VersionId}`);

    const seen: string[] = [];
    const latest: string[] = [];
    let page: ListObjectVersionsCommandOutput | undefined;
    for (let n = 0; n < 20; n++) {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket,
          MaxKeys: 5,
          KeyMarker: page?.NextKeyMarker,
          VersionIdMarker: page?.NextVersionIdMarker,
        }),
      );
      const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
      expect(entries.length).toBeLessThanOrEqual(5);
      // Within a page the two lists are separate; order them as S3 does (key, then newest first).
      const ordered = entries.sort((x, y) =>
        x.Key === y.Key
          ? y.LastModified!.getTime() - x.LastModified!.getTime() || (y.VersionId! < x.VersionId! ? -1 : 1)
          : x.Key! < y.Key!
            ? -1
            : 1,
      );
      seen.push(...ordered.map((v) => `${v.Key}@${v.VersionId}`));
      latest.push(...ordered.filter((v) => v.IsLatest).map((v) => `${v.Key}@${v.VersionId}`));
      if (!page.IsTruncated) {
        break;
      }
      expect(page.NextKeyMarker).toBeDefined();
      expect(page.NextVersionIdMarker).toBeDefined();
    }
    expect(seen).toEqual(expected);
    expect(latest).toEqual([expected[0], expected[6], `b@${marker.VersionId}`]);

    const delimited = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/' }));
    expect(delimited.CommonPrefixes).toEqual([{ Prefix: 'a/' }]);
    expect(delimited.DeleteMarkers?.map((d) => d.Key)).toEqual(['b']);
  });

  it('percent-encodes keys and markers with encoding-type=url', async () => {
    const Bucket = await versionedBucket('venc');
    const Key = 'caf\u00e9 & more/\u0001x';
    const v1 = await put(Bucket, Key, 'one');
    await put(Bucket, Key, 'two');
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket, EncodingType: 'url', MaxKeys: 1 }));
    expect(page.EncodingType).toBe('url');
    expect(page.Versions?.[0]?.Key).toBe(encodeURIComponent(Key).replace(/%2F/g, '/'));
    expect(page.NextKeyMarker).toBe(encodeURIComponent(Key).replace(/%2F/g, '/'));
    const rest = await s3.send(
      new ListObjectVersionsCommand({ Bucket, KeyMarker: Key, VersionIdMarker: page.NextVersionIdMarker }),
    );
    expect(rest.Versions?.map((v) => v.VersionId)).toEqual([v1.VersionId]);
    const bad = await failure(s3.send(new ListObjectVersionsCommand({ Bucket, VersionIdMarker: 'x' })));
    expect(bad.name).toBe('InvalidArgument');
  });

  it('deletes versions in bulk, reporting delete markers', async () => {
    const Bucket = await versionedBucket('vbulk');
    const v1 = await put(Bucket, 'x', 'x1');
    await put(Bucket, 'y', 'y1');
    const res = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'x', VersionId: v1.VersionId }, { Key: 'y' }] },
      }),
    );
    const byKey = Object.fromEntries((res.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey.x).toMatchObject({ VersionId: v1.VersionId });
    expect(byKey.x?.DeleteMarker).toBeUndefined();
    expect(byKey.y).toMatchObject({ DeleteMarker: true });
    expect(byKey.y?.DeleteMarkerVersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(plain(Bucket, 'x'))).toBe(false);
    expect(existsSync(plain(Bucket, 'y'))).toBe(false);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => v.Key)).toEqual(['y']);
    expect(versions.DeleteMarkers?.map((v) => v.Key)).toEqual(['y']);
  });
});

describe('versioning after kill -9', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.kill();
    cleanup(server);
  });

  it('keeps every acknowledged version and a plain file equal to the current one', async () => {
    server = await startServer();
    let s3 = s3Client(server);
    const Bucket = bucketName('vcrash');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    // Writes and deletes of one key keep going while the process is killed.
    const acked = new Map<string, string>();
    let isRunning = true;
    const writer = (async () => {
      for (let i = 0; isRunning; i++) {
        try {
          if (i % 5 === 4) {
            await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
          } else {
            const body = `v${i}-${'#'.repeat(i % 97)}`;
            const res = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: body }));
            acked.set(res.VersionId!, body);
          }
        } catch {
          return;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    const { dir, apiPort, adminPort } = server;
    await server.kill();
    isRunning = false;
    await writer;
    expect(acked.size).toBeGreaterThan(3);

    server = await startServer({ dir, ports: { api: apiPort, admin: adminPort } });
    s3 = s3Client(server);
    for (const [VersionId, body] of acked) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId }));
      expect(await got.Body!.transformToString()).toBe(body);
    }
    const file = join(server.storageRoot, Bucket, 'k');
    try {
      const current = await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
      expect(readFileSync(file, 'utf8')).toBe(await current.Body!.transformToString());
    } catch (err) {
      // A delete marker is current. If the kill came between its commit and the unlink, the plain
      // file lingers (never served) until the next write or delete of the key, checked below.
      expect((err as S3ServiceException).name).toBe('NoSuchKey');
    }
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(existsSync(file)).toBe(false);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'after restart' }));
    expect(readFileSync(file, 'utf8')).toBe('after restart');
  }, 60_000);
});
