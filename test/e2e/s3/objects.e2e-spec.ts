import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

describe('object operations', () => {
  let server: RunningServer;
  let s3: S3Client;
  let bucket: string;
  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
    bucket = bucketName('obj');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  const get = async (Key: string, extra: Record<string, unknown> = {}) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, ...extra }));
    return { res, body: Buffer.from(await res.Body!.transformToByteArray()) };
  };

  describe('PutObject and GetObject', () => {
    it('stores the bytes as the plain file and returns them with their headers', async () => {
      const body = Buffer.from('hello, file system');
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'docs/hello.txt',
          Body: body,
          ContentType: 'text/plain',
          ContentDisposition: 'attachment; filename="hello.txt"',
          ContentLanguage: 'en',
          CacheControl: 'max-age=60',
          ContentEncoding: 'identity',
          Metadata: { color: 'blue', 'owner-name': 'ana' },
        }),
      );
      expect(put.ETag).toBe(`"${md5(body)}"`);
      expect(readFileSync(join(server.storageRoot, bucket, 'docs/hello.txt'))).toEqual(body);

      const { res, body: read } = await get('docs/hello.txt');
      expect(read).toEqual(body);
      expect(res.ContentType).toBe('text/plain');
      expect(res.ContentLength).toBe(body.length);
      expect(res.ContentDisposition).toBe('attachment; filename="hello.txt"');
      expect(res.ContentLanguage).toBe('en');
      expect(res.CacheControl).toBe('max-age=60');
      expect(res.Metadata).toEqual({ color: 'blue', 'owner-name': 'ana' });
      expect(res.ETag).toBe(put.ETag);
      expect(res.LastModified).toBeInstanceOf(Date);
      expect(res.AcceptRanges).toBe('bytes');
    });

    it('overwrites: last write wins', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'one' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'two!' }));
      expect((await get('over')).body.toString()).toBe('two!');
    });

    it('stores zero-byte objects and folder markers', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: '' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'folder/', Body: '' }));
      expect((await get('empty')).body.length).toBe(0);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'folder/' }));
      expect(head.ContentLength).toBe(0);
    });

    it('checks and returns the SDK default CRC32 trailer checksum', async () => {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'crc', Body: 'checksummed', ChecksumAlgorithm: 'CRC32' }),
      );
      expect(put.ChecksumCRC32).toBeTruthy();
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'crc', ChecksumMode: 'ENABLED' }),
      );
      expect(head.ChecksumCRC32).toBe(put.ChecksumCRC32);
    });

    it.each(['SHA256', 'SHA1', 'CRC32C'] as const)('accepts and returns a %s checksum', async (algo) => {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `sum-${algo}`, Body: 'abc', ChecksumAlgorithm: algo }),
      );
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `sum-${algo}`, ChecksumMode: 'ENABLED' }),
      );
      expect(head[`Checksum${algo}`]).toBe(put[`Checksum${algo}`]);
    });

    it('returns BadDigest for a wrong Content-MD5 and stores nothing', async () => {
      await expect(
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'bad-md5',
            Body: 'payload',
            ContentMD5: Buffer.from(md5('other'), 'hex').toString('base64'),
          }),
        ),
      ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
      expect(existsSync(join(server.storageRoot, bucket, 'bad-md5'))).toBe(false);
      await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-md5' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('returns a wrong-checksum error for a bad x-amz-checksum-sha256 and keeps the old object', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep', Body: 'original' }));
      await expect(
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'keep',
            Body: 'replacement',
            ChecksumSHA256: createHash('sha256').update('different').digest('base64'),
          }),
        ),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
      expect((await get('keep')).body.toString()).toBe('original');
    });

    it('returns MetadataTooLarge above 2 KB of user metadata', async () => {
      await expect(
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'meta',
            Body: 'x',
            Metadata: { big: 'v'.repeat(2100) },
          }),
        ),
      ).rejects.toMatchObject({ name: 'MetadataTooLarge', $metadata: { httpStatusCode: 400 } });
    });

    it('returns KeyTooLongError above 1024 bytes', async () => {
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k'.repeat(1025), Body: 'x' })),
      ).rejects.toMatchObject({ name: 'KeyTooLongError' });
    });

    it('returns NoSuchBucket and NoSuchKey', async () => {
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucketName('nope'), Key: 'k', Body: 'x' })),
      ).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
      await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent' }))).rejects.toMatchObject({
        name: 'NoSuchKey',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('honours If-None-Match: * on PUT', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' })),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
      expect((await get('once')).body.toString()).toBe('first');
    });

    it('honours If-Match on PUT', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v1' }));
      await expect(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v2', IfMatch: '"0123"' })),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas', Body: 'v3', IfMatch: put.ETag }));
      expect((await get('cas')).body.toString()).toBe('v3');
    });
  });

  describe('large objects', () => {
    // Past 8 MiB the store reads 1 MiB chunks and reuses each buffer once the socket has
    // written it: concurrent downloads and ranges must still get exactly their bytes.
    const big = Buffer.alloc(24 * 1024 * 1024 + 12_345);
    for (let i = 0; i < big.length; i += 4096) {
      big.writeUInt32BE(i, i);
    }
    beforeAll(async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large/blob', Body: big }));
    });

    it('serves concurrent whole and ranged reads byte for byte', async () => {
      const ranges: [number, number][] = [
        [0, big.length - 1],
        [0, big.length - 1],
        [3 * 1024 * 1024 + 7, 20 * 1024 * 1024],
        [9 * 1024 * 1024, big.length - 1],
      ];
      const bodies = await Promise.all(
        ranges.map(
          async ([start, end]) => (await get('large/blob', { Range: `bytes=${start}-${end}` })).body,
        ),
      );
      bodies.forEach((body, i) => {
        const [start, end] = ranges[i]!;
        expect(md5(body)).toBe(md5(big.subarray(start, end + 1)));
      });
    });

    it('survives a client that stops reading halfway', async () => {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large/blob' }));
      const stream = res.Body as NodeJS.ReadableStream & { destroy(): void };
      await new Promise<void>((resolve) => {
        let seen = 0;
        stream.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 4 * 1024 * 1024) {
            stream.destroy();
            resolve();
          }
        });
      });
      const { body } = await get('large/blob');
      expect(md5(body)).toBe(md5(big));
    });
  });

  describe('ranges and conditionals', () => {
    const data = Buffer.from('0123456789abcdefghij');
    let etag: string;
    beforeAll(async () => {
      etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged', Body: data }))).ETag!;
    });

    it.each([
      ['bytes=0-4', '01234', 'bytes 0-4/20'],
      ['bytes=15-', 'fghij', 'bytes 15-19/20'],
      ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
    ])('serves %s with 206 and Content-Range', async (range, expected, contentRange) => {
      const { res, body } = await get('ranged', { Range: range });
      expect(res.$metadata.httpStatusCode).toBe(206);
      expect(body.toString()).toBe(expected);
      expect(res.ContentRange).toBe(contentRange);
    });

    it('answers 416 InvalidRange for an unsatisfiable range', async () => {
      await expect(get('ranged', { Range: 'bytes=50-60' })).rejects.toMatchObject({
        name: 'InvalidRange',
        $metadata: { httpStatusCode: 416 },
      });
    });

    it('answers 304 for If-None-Match with the current ETag and 412 for If-Match with another', async () => {
      await expect(get('ranged', { IfNoneMatch: etag })).rejects.toMatchObject({
        $metadata: { httpStatusCode: 304 },
      });
      await expect(get('ranged', { IfMatch: '"nope"' })).rejects.toMatchObject({
        $metadata: { httpStatusCode: 412 },
      });
      await expect(
        get('ranged', { IfUnmodifiedSince: new Date(Date.now() - 86_400_000) }),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
      const { LastModified } = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ranged' }));
      await expect(get('ranged', { IfModifiedSince: LastModified })).rejects.toMatchObject({
        $metadata: { httpStatusCode: 304 },
      });
      // If-Match true wins over If-Unmodified-Since false (S3's precedence).
      const ok = await get('ranged', { IfMatch: etag, IfUnmodifiedSince: new Date(Date.now() - 86_400_000) });
      expect(ok.body).toEqual(data);
    });

    it('applies response-* overrides', async () => {
      const { res } = await get('ranged', {
        ResponseContentType: 'application/x-test',
        ResponseContentDisposition: 'inline',
        ResponseCacheControl: 'no-cache',
        ResponseContentLanguage: 'fr',
      });
      expect(res.ContentType).toBe('application/x-test');
      expect(res.ContentDisposition).toBe('inline');
      expect(res.CacheControl).toBe('no-cache');
      expect(res.ContentLanguage).toBe('fr');
    });
  });

  describe('CopyObject', () => {
    it('copies bytes and metadata (COPY) and replaces them (REPLACE)', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'src',
          Body: 'copy me',
          ContentType: 'text/x-a',
          Metadata: { a: '1' },
        }),
      );
      const copy = await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }),
      );
      expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
      const dst = await get('dst');
      expect(dst.body.toString()).toBe('copy me');
      expect(dst.res.ContentType).toBe('text/x-a');
      expect(dst.res.Metadata).toEqual({ a: '1' });

      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'dst2',
          CopySource: `${bucket}/src`,
          MetadataDirective: 'REPLACE',
          ContentType: 'text/x-b',
          Metadata: { b: '2' },
        }),
      );
      const dst2 = await get('dst2');
      expect(dst2.res.ContentType).toBe('text/x-b');
      expect(dst2.res.Metadata).toEqual({ b: '2' });
    });

    it('decodes a URL-encoded copy source with unicode and spaces', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/ünï cødé.txt', Body: 'u' }));
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'copied-unicode',
          CopySource: encodeURIComponent(`${bucket}/dir/ünï cødé.txt`),
        }),
      );
      expect((await get('copied-unicode')).body.toString()).toBe('u');
    });

    it('refuses a copy onto itself without REPLACE', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 's' }));
      await expect(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` })),
      ).rejects.toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'self',
          CopySource: `${bucket}/self`,
          MetadataDirective: 'REPLACE',
          Metadata: { touched: 'yes' },
        }),
      );
      expect((await get('self')).res.Metadata).toEqual({ touched: 'yes' });
    });

    it('honours x-amz-copy-source-if-match', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond-src', Body: 'c' }));
      await expect(
        s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: 'cond-dst',
            CopySource: `${bucket}/cond-src`,
            CopySourceIfMatch: '"x"',
          }),
        ),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    });

    it('returns NoSuchKey for a missing source', async () => {
      await expect(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'd', CopySource: `${bucket}/missing-source` })),
      ).rejects.toMatchObject({ name: 'NoSuchKey' });
    });
  });

  describe('DeleteObject and DeleteObjects', () => {
    it('deletes and answers 204 also for a missing key', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone/soon', Body: 'x' }));
      const res = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone/soon' }));
      expect(res.$metadata.httpStatusCode).toBe(204);
      expect(existsSync(join(server.storageRoot, bucket, 'gone/soon'))).toBe(false);
      const again = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone/soon' }));
      expect(again.$metadata.httpStatusCode).toBe(204);
    });

    it('deletes many keys, reporting each, and quietly', async () => {
      const keys = Array.from({ length: 25 }, (_, i) => `bulk/${i}`);
      for (const Key of keys) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
      }
      const res = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: [...keys.slice(0, 20), 'bulk/never-existed'].map((Key) => ({ Key })) },
        }),
      );
      expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(
        [...keys.slice(0, 20), 'bulk/never-existed'].sort(),
      );
      expect(res.Errors ?? []).toEqual([]);
      const quiet = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Quiet: true, Objects: keys.slice(20).map((Key) => ({ Key })) },
        }),
      );
      expect(quiet.Deleted ?? []).toEqual([]);
      const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'bulk/' }));
      expect(left.KeyCount).toBe(0);
    });

    it('returns MalformedXML for a broken body and for too many keys', async () => {
      const auth = { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey };
      const broken = '<Delete><Object><Key>a</Key></Object>';
      const res = await fetch(`${server.apiUrl}/${bucket}?delete`, {
        method: 'POST',
        headers: { ...auth, 'content-md5': createHash('md5').update(broken).digest('base64') },
        body: broken,
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('MalformedXML');
      await expect(
        s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: Array.from({ length: 501 }, (_, i) => ({ Key: `k${i}` })) },
          }),
        ),
      ).rejects.toMatchObject({ name: 'MalformedXML' });
    });
  });

  describe('presigned URLs', () => {
    it('GET and PUT work over plain HTTP', async () => {
      const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
        expiresIn: 300,
      });
      const put = await fetch(putUrl, { method: 'PUT', body: 'via presigned' });
      expect(put.status).toBe(200);
      const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
        expiresIn: 300,
      });
      const res = await fetch(getUrl);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('via presigned');
    });

    it('refuses a tampered presigned URL', async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }), {
        expiresIn: 300,
      });
      const res = await fetch(url.replace('presigned.txt', 'other.txt'));
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('SignatureDoesNotMatch');
    });
  });
});
