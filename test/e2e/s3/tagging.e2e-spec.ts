import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** OBJECT_TAG_LIMIT for this server: small, to show the limit is configurable. */
const OBJECT_TAG_LIMIT = 5;

const tagSet = (n: number, prefix = 'k'): Tag[] =>
  Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

describe('tagging', () => {
  let server: RunningServer;
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    server = await startServer({ env: { OBJECT_TAG_LIMIT: String(OBJECT_TAG_LIMIT) } });
    s3 = s3Client(server);
    bucket = bucketName('tag');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  const put = (Key: string, extra: Record<string, unknown> = {}) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'data', ...extra }));
  const putTags = (Key: string, TagSet: Tag[]) =>
    s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key, Tagging: { TagSet } }));
  const getTags = (Key: string) => s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }));

  describe('PutObjectTagging and GetObjectTagging', () => {
    it('replaces the tag set and reads it back', async () => {
      await put('put-get.txt');
      const res = await putTags('put-get.txt', [
        { Key: 'team', Value: 'storage' },
        { Key: 'empty', Value: '' },
      ]);
      expect(res.$metadata.httpStatusCode).toBe(200);
      expect(res.VersionId).toBeUndefined();
      expect((await getTags('put-get.txt')).TagSet).toEqual([
        { Key: 'team', Value: 'storage' },
        { Key: 'empty', Value: '' },
      ]);
      await putTags('put-get.txt', [{ Key: 'only', Value: 'one' }]);
      expect((await getTags('put-get.txt')).TagSet).toEqual([{ Key: 'only', Value: 'one' }]);
    });

    it('returns an empty TagSet for an untagged object', async () => {
      await put('untagged.txt');
      const res = await getTags('untagged.txt');
      expect(res.$metadata.httpStatusCode).toBe(200);
      expect(res.TagSet ?? []).toEqual([]);
    });

    it('keeps Unicode keys and values', async () => {
      await put('unicode.txt');
      await putTags('unicode.txt', [{ Key: 'größe', Value: '日本 語' }]);
      expect((await getTags('unicode.txt')).TagSet).toEqual([{ Key: 'größe', Value: '日本 語' }]);
    });

    it('reads the tags given with PutObject and counts them on HeadObject and GetObject', async () => {
      await put('with-header.txt', { Tagging: 'a=1&b=two%20words' });
      expect((await getTags('with-header.txt')).TagSet).toEqual([
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: 'two words' },
      ]);
      // HeadObjectOutput has no TagCount field, so the header is read off the wire.
      const head = await fetchRaw('HEAD', `/${bucket}/with-header.txt`);
      expect(head.status).toBe(200);
      expect(head.headers.get('x-amz-tagging-count')).toBe('2');
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'with-header.txt' }));
      expect(get.TagCount).toBe(2);
      await get.Body!.transformToByteArray();
      await putTags('with-header.txt', [{ Key: 'x', Value: 'y' }]);
      const after = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'with-header.txt' }));
      expect(after.TagCount).toBe(1);
      await after.Body!.transformToByteArray();
    });

    it('accepts OBJECT_TAG_LIMIT tags and returns InvalidTag for one more', async () => {
      await put('limit.txt');
      await putTags('limit.txt', tagSet(OBJECT_TAG_LIMIT));
      expect((await getTags('limit.txt')).TagSet).toHaveLength(OBJECT_TAG_LIMIT);
      await expect(putTags('limit.txt', tagSet(OBJECT_TAG_LIMIT + 1))).rejects.toMatchObject({
        name: 'InvalidTag',
        $metadata: { httpStatusCode: 400 },
      });
      expect((await getTags('limit.txt')).TagSet).toHaveLength(OBJECT_TAG_LIMIT);
    });

    it.each([
      [
        'a repeated key',
        [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      ],
      ['a 129-character key', [{ Key: 'k'.repeat(129), Value: 'v' }]],
      ['a 257-character value', [{ Key: 'k', Value: 'v'.repeat(257) }]],
      ['a key prefixed with aws:', [{ Key: 'aws:owner', Value: 'v' }]],
    ])('returns InvalidTag for %s', async (_name, tags) => {
      await put('invalid.txt');
      await expect(putTags('invalid.txt', tags)).rejects.toMatchObject({
        name: 'InvalidTag',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('accepts a 128-character key with a 256-character value', async () => {
      await put('max-lengths.txt');
      await putTags('max-lengths.txt', [{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }]);
      expect((await getTags('max-lengths.txt')).TagSet).toEqual([
        { Key: 'k'.repeat(128), Value: 'v'.repeat(256) },
      ]);
    });

    it('returns MalformedXML for a body that is not a Tagging document', async () => {
      await put('malformed.txt');
      const res = await fetchRaw('PUT', `/${bucket}/malformed.txt?tagging`, '<Tagging><TagSet>');
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<Code>MalformedXML</Code>');
    });

    it('returns NoSuchKey for a missing object and NoSuchVersion for an unknown version', async () => {
      await expect(getTags('missing.txt')).rejects.toMatchObject({
        name: 'NoSuchKey',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(putTags('missing.txt', [])).rejects.toMatchObject({ name: 'NoSuchKey' });
      await put('versioned-lookup.txt');
      await expect(
        s3.send(
          new GetObjectTaggingCommand({ Bucket: bucket, Key: 'versioned-lookup.txt', VersionId: 'nope' }),
        ),
      ).rejects.toMatchObject({ name: 'NoSuchVersion', $metadata: { httpStatusCode: 404 } });
    });

    it('selects the null version with versionId=null', async () => {
      await put('null-version.txt', { Tagging: 'v=null' });
      const res = await s3.send(
        new GetObjectTaggingCommand({ Bucket: bucket, Key: 'null-version.txt', VersionId: 'null' }),
      );
      expect(res.TagSet).toEqual([{ Key: 'v', Value: 'null' }]);
    });

    it('drops the tags when the object is overwritten without tags', async () => {
      await put('overwrite.txt', { Tagging: 'a=1' });
      await put('overwrite.txt');
      expect((await getTags('overwrite.txt')).TagSet ?? []).toEqual([]);
    });
  });

  describe('DeleteObjectTagging', () => {
    it('removes every tag and answers 204', async () => {
      await put('delete-tags.txt', { Tagging: 'a=1&b=2' });
      const res = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'delete-tags.txt' }));
      expect(res.$metadata.httpStatusCode).toBe(204);
      expect((await getTags('delete-tags.txt')).TagSet ?? []).toEqual([]);
      const head = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'delete-tags.txt' }));
      expect(head.TagCount).toBeUndefined();
      await head.Body!.transformToByteArray();
    });

    it('returns NoSuchKey for a deleted object', async () => {
      await put('gone.txt', { Tagging: 'a=1' });
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone.txt' }));
      await expect(
        s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'gone.txt' })),
      ).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    });
  });

  describe('bucket tagging', () => {
    const putBucketTags = (Bucket: string, TagSet: Tag[]) =>
      s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));

    it('returns NoSuchTagSet for a bucket without tags', async () => {
      const fresh = bucketName('tagless');
      await s3.send(new CreateBucketCommand({ Bucket: fresh }));
      await expect(s3.send(new GetBucketTaggingCommand({ Bucket: fresh }))).rejects.toMatchObject({
        name: 'NoSuchTagSet',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('stores, replaces and deletes the tag set', async () => {
      const b = bucketName('tagged');
      await s3.send(new CreateBucketCommand({ Bucket: b }));
      const res = await putBucketTags(b, [
        { Key: 'cost-center', Value: '42' },
        { Key: 'env', Value: 'dev' },
      ]);
      expect(res.$metadata.httpStatusCode).toBe(204);
      expect((await s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([
        { Key: 'cost-center', Value: '42' },
        { Key: 'env', Value: 'dev' },
      ]);
      await putBucketTags(b, [{ Key: 'env', Value: 'prod' }]);
      expect((await s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([
        { Key: 'env', Value: 'prod' },
      ]);
      const del = await s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(s3.send(new GetBucketTaggingCommand({ Bucket: b }))).rejects.toMatchObject({
        name: 'NoSuchTagSet',
      });
    });

    it('accepts 50 tags and returns InvalidTag for 51', async () => {
      const b = bucketName('many');
      await s3.send(new CreateBucketCommand({ Bucket: b }));
      await putBucketTags(b, tagSet(50));
      expect((await s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toHaveLength(50);
      await expect(putBucketTags(b, tagSet(51))).rejects.toMatchObject({
        name: 'InvalidTag',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it.each([
      ['a key prefixed with aws:', [{ Key: 'aws:cloudformation:stack', Value: 'x' }]],
      [
        'a repeated key',
        [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      ],
    ])('returns InvalidTag for %s', async (_name, tags) => {
      await expect(putBucketTags(bucket, tags)).rejects.toMatchObject({
        name: 'InvalidTag',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('returns NoSuchBucket for a missing bucket', async () => {
      await expect(
        s3.send(new GetBucketTaggingCommand({ Bucket: bucketName('absent') })),
      ).rejects.toMatchObject({
        name: 'NoSuchBucket',
        $metadata: { httpStatusCode: 404 },
      });
    });
  });

  /** Sends a raw body the SDK would never write, authenticated with the access-key headers. */
  function fetchRaw(method: string, path: string, body?: string): Promise<Response> {
    return fetch(new URL(path, server.apiUrl), {
      method,
      headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
      body,
    });
  }
});
