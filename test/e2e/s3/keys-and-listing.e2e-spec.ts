import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

describe('keys and listings', () => {
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

  async function newBucket(): Promise<string> {
    const name = bucketName('keys');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  }
  const put = (Bucket: string, Key: string, Body = Key) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body }));
  const read = async (Bucket: string, Key: string) =>
    Buffer.from(
      await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray(),
    ).toString();
  const listAll = async (Bucket: string, extra: Record<string, unknown> = {}) => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: token, ...extra }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  };

  describe('keys that cannot be plain files', () => {
    it.each([
      ['a then a/b', ['a', 'a/b']],
      ['a/b then a', ['a/b', 'a']],
      ['double slash', ['x//y', 'x/y']],
      ['dot segments', ['../escape', './here', 'p/./q', 'p/../q']],
      ['leading slash', ['/rooted']],
      ['trailing-slash object with content', ['dir/']],
    ])('stores, lists in order and reads back: %s', async (_name, keys) => {
      const b = await newBucket();
      for (const k of keys) {
        await put(b, k);
      }
      for (const k of keys) {
        expect(await read(b, k)).toBe(k);
      }
      expect(await listAll(b)).toEqual(
        [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
      );
    });

    it('keeps both a and a/b when created in either order, and a becomes plain again when a/b goes', async () => {
      const b = await newBucket();
      await put(b, 'logs', 'the object');
      await put(b, 'logs/2024.txt', 'a log');
      expect(await read(b, 'logs')).toBe('the object');
      expect(readFileSync(join(server.storageRoot, b, 'logs/2024.txt'), 'utf8')).toBe('a log');
      await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'logs/2024.txt' }));
      expect(await read(b, 'logs')).toBe('the object');
      expect(statSync(join(server.storageRoot, b, 'logs')).isFile()).toBe(true);
    });

    it('stores unicode and 1024-byte keys', async () => {
      const b = await newBucket();
      const keys = [
        'naïve/café ☕.txt',
        '中文/文件',
        'emoji/😀',
        'z'.repeat(1024),
        `${'seg/'.repeat(200)}end`,
      ];
      for (const k of keys) {
        await put(b, k, 'v');
        expect(await read(b, k)).toBe('v');
      }
      expect(await listAll(b)).toEqual(
        [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
      );
    });
  });

  describe('ListObjectsV2', () => {
    let b: string;
    // UTF-8 byte order: 'é' (C3 A9) sorts after 'z' (7A), '中' (E4 B8 AD) after 'é'.
    const keys = ['a.txt', 'b/1', 'b/2', 'b/c/3', 'd/4', 'e', 'z', 'é', '中'];
    beforeAll(async () => {
      b = await newBucket();
      for (const k of keys) {
        await put(b, k);
      }
    });

    it('lists in UTF-8 byte order', async () => {
      expect(await listAll(b)).toEqual(keys);
    });

    it('groups by delimiter into CommonPrefixes', async () => {
      const res = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/' }));
      expect(res.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'e', 'z', 'é', '中']);
      expect(res.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/', 'd/']);
      expect(res.KeyCount).toBe(7);
      const inner = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/', Prefix: 'b/' }));
      expect(inner.Contents?.map((c) => c.Key)).toEqual(['b/1', 'b/2']);
      expect(inner.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/c/']);
    });

    it('pages with max-keys, counting common prefixes, and continues with the token', async () => {
      const first = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/', MaxKeys: 2 }));
      expect(first.IsTruncated).toBe(true);
      expect(first.Contents?.map((c) => c.Key)).toEqual(['a.txt']);
      expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/']);
      const second = await s3.send(
        new ListObjectsV2Command({
          Bucket: b,
          Delimiter: '/',
          MaxKeys: 2,
          ContinuationToken: first.NextContinuationToken,
        }),
      );
      expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['d/']);
      expect(second.Contents?.map((c) => c.Key)).toEqual(['e']);
    });

    it('honours start-after, max-keys=0 and fetch-owner', async () => {
      expect(await listAll(b, { StartAfter: 'b/c/3' })).toEqual(['d/4', 'e', 'z', 'é', '中']);
      const none = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 0 }));
      expect(none.KeyCount).toBe(0);
      expect(none.Contents).toBeUndefined();
      const owned = await s3.send(new ListObjectsV2Command({ Bucket: b, FetchOwner: true, MaxKeys: 1 }));
      expect(owned.Contents?.[0]?.Owner?.ID).toBeTruthy();
    });

    it('url-encodes keys with encoding-type=url', async () => {
      const res = await fetch(`${server.apiUrl}/${b}?list-type=2&encoding-type=url&prefix=%C3%A9`, {
        headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
      });
      const xml = await res.text();
      expect(xml).toContain('<Key>%C3%A9</Key>');
      expect(xml).toContain('<EncodingType>url</EncodingType>');
    });

    it('returns InvalidArgument for a bad max-keys', async () => {
      const res = await fetch(`${server.apiUrl}/${b}?list-type=2&max-keys=lots`, {
        headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('InvalidArgument');
    });
  });

  describe('ListObjects (v1)', () => {
    it('pages with marker and NextMarker', async () => {
      const b = await newBucket();
      for (const k of ['p/1', 'p/2', 'q/1', 'r']) {
        await put(b, k);
      }
      const first = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 2 }));
      expect(first.IsTruncated).toBe(true);
      expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['p/', 'q/']);
      expect(first.NextMarker).toBe('q/');
      const second = await s3.send(
        new ListObjectsCommand({ Bucket: b, Delimiter: '/', Marker: first.NextMarker }),
      );
      expect(second.Contents?.map((c) => c.Key)).toEqual(['r']);
      expect(second.IsTruncated).toBe(false);
    });
  });
});
