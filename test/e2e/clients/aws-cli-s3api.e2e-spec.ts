import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli, parseJson, s3apiArgs, type AwsCli } from '../../support/clients/aws-cli';
import { expectOk, patternBytes, tempDir } from '../../support/clients/run-client';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

interface HeadObjectOutput {
  ContentLength: number;
  ContentType: string;
  ETag: string;
  Metadata: Record<string, string>;
  LastModified: string;
}

interface ListV2Output {
  Contents?: { Key: string; Size: number }[];
  CommonPrefixes?: { Prefix: string }[];
  KeyCount: number;
  Delimiter?: string;
  Prefix?: string;
}

/** The low-level `aws s3api …` commands: one S3 action each, JSON out. */
describe('AWS CLI v2: aws s3api', () => {
  let server: RunningServer;
  let aws: AwsCli;
  // Fixtures that are not the command under test are written in-process: each CLI run costs ~1 s.
  let sdk: S3Client;
  let local: string;
  let bucket: string;
  const api = (operation: string, options: Record<string, string | true>, ...positional: string[]) =>
    aws(s3apiArgs(operation, options, ...positional));
  const plain = (key: string) => join(server.storageRoot, bucket, key);
  const fixture = (Key: string, Body: Buffer | string, Bucket = bucket) =>
    sdk.send(new PutObjectCommand({ Bucket, Key, Body }));
  const putObject = async (key: string, body: Buffer | string, extra: Record<string, string> = {}) => {
    const file = join(local, `put-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, body);
    return parseJson<{ ETag: string }>(
      expectOk(await api('put-object', { bucket, key, body: file, ...extra })),
    );
  };

  beforeAll(async () => {
    server = await startServer();
    aws = awsCli(server);
    sdk = s3Client(server);
    local = tempDir('awscli-s3api');
    bucket = bucketName('awsapi');
    expectOk(await api('create-bucket', { bucket }));
  });
  afterAll(async () => {
    sdk?.destroy();
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  describe('put-object and head-object', () => {
    it('stores user metadata and the content type, and head-object returns them', async () => {
      const body = Buffer.from('{"hello":"world"}');
      const put = await putObject('meta/doc.json', body, {
        contentType: 'application/json',
        metadata: 'color=blue,owner-name=ana',
      });
      expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(readFileSync(plain('meta/doc.json'))).toEqual(body);

      const head = parseJson<HeadObjectOutput>(
        expectOk(await api('head-object', { bucket, key: 'meta/doc.json' })),
      );
      expect(head.ContentLength).toBe(body.length);
      expect(head.ContentType).toBe('application/json');
      expect(head.ETag).toBe(put.ETag);
      expect(head.Metadata).toEqual({ color: 'blue', 'owner-name': 'ana' });
      expect(Number.isNaN(Date.parse(head.LastModified))).toBe(false);
    });

    it('exits 254 with a 404 from head-object on a missing key', async () => {
      const res = await api('head-object', { bucket, key: 'meta/missing' });
      expect(res.code).toBe(254);
      expect(res.stderr).toMatch(/\(404\)/);
    });
  });

  describe('get-object', () => {
    const body = patternBytes(10_000, 9);
    beforeAll(async () => {
      await fixture('get/range.bin', body);
    });

    it('writes the whole object to the outfile', async () => {
      const out = join(local, 'whole.bin');
      const res = parseJson<{ ContentLength: number }>(
        expectOk(await api('get-object', { bucket, key: 'get/range.bin' }, out)),
      );
      expect(res.ContentLength).toBe(body.length);
      expect(readFileSync(out)).toEqual(body);
    });

    it('returns just the requested bytes with --range', async () => {
      const out = join(local, 'range.bin');
      const res = parseJson<{ ContentLength: number; ContentRange: string }>(
        expectOk(await api('get-object', { bucket, key: 'get/range.bin', range: 'bytes=100-1099' }, out)),
      );
      expect(res.ContentLength).toBe(1000);
      expect(res.ContentRange).toBe(`bytes 100-1099/${body.length}`);
      expect(readFileSync(out)).toEqual(body.subarray(100, 1100));
    });

    it('returns the tail with a suffix range', async () => {
      const out = join(local, 'suffix.bin');
      expectOk(await api('get-object', { bucket, key: 'get/range.bin', range: 'bytes=-10' }, out));
      expect(readFileSync(out)).toEqual(body.subarray(body.length - 10));
    });

    it('shows NoSuchKey and exits 254 for a missing key', async () => {
      const res = await api('get-object', { bucket, key: 'get/missing' }, join(local, 'x'));
      expect(res.code).toBe(254);
      expect(res.stderr).toContain('NoSuchKey');
    });
  });

  describe('copy-object', () => {
    it('copies bytes and metadata, or replaces the metadata with REPLACE', async () => {
      const put = await putObject('copy/src.txt', 'copy source', {
        metadata: 'k=v',
        contentType: 'text/plain',
      });

      const copied = parseJson<{ CopyObjectResult: { ETag: string } }>(
        expectOk(
          await api('copy-object', { bucket, key: 'copy/dst ü.txt', copySource: `${bucket}/copy/src.txt` }),
        ),
      );
      expect(copied.CopyObjectResult.ETag).toBe(put.ETag);
      expect(readFileSync(plain('copy/dst ü.txt'), 'utf8')).toBe('copy source');
      const head = parseJson<HeadObjectOutput>(
        expectOk(await api('head-object', { bucket, key: 'copy/dst ü.txt' })),
      );
      expect(head.Metadata).toEqual({ k: 'v' });
      expect(head.ContentType).toBe('text/plain');

      expectOk(
        await api('copy-object', {
          bucket,
          key: 'copy/replaced.txt',
          copySource: `${bucket}/copy/src.txt`,
          metadataDirective: 'REPLACE',
          metadata: 'fresh=yes',
          contentType: 'text/x-new',
        }),
      );
      const replaced = parseJson<HeadObjectOutput>(
        expectOk(await api('head-object', { bucket, key: 'copy/replaced.txt' })),
      );
      expect(replaced.Metadata).toEqual({ fresh: 'yes' });
      expect(replaced.ContentType).toBe('text/x-new');
    });

    it('shows NoSuchKey for a missing source', async () => {
      const res = await api('copy-object', { bucket, key: 'copy/none', copySource: `${bucket}/copy/absent` });
      expect(res.code).toBe(254);
      expect(res.stderr).toContain('NoSuchKey');
    });
  });

  describe('delete-objects', () => {
    it('deletes several keys in one request, reports each, and the plain files are gone', async () => {
      const keys = ['del/a.txt', 'del/b c.txt', 'del/ü.txt'];
      for (const key of keys) {
        await fixture(key, key);
      }
      const spec = join(local, 'delete.json');
      writeFileSync(
        spec,
        JSON.stringify({ Objects: [...keys, 'del/never-existed'].map((Key) => ({ Key })) }),
      );

      const res = parseJson<{ Deleted: { Key: string }[]; Errors?: unknown[] }>(
        expectOk(await api('delete-objects', { bucket, delete: `file://${spec}` })),
      );
      // S3 reports a missing key as deleted too.
      expect(res.Deleted.map((d) => d.Key).sort()).toEqual([...keys, 'del/never-existed'].sort());
      expect(res.Errors ?? []).toEqual([]);

      const list = parseJson<ListV2Output>(
        expectOk(await api('list-objects-v2', { bucket, prefix: 'del/' })),
      );
      expect(list.Contents ?? []).toEqual([]);
      for (const key of keys) {
        expect(existsSync(plain(key))).toBe(false);
      }
    });

    it('prints only errors with Quiet', async () => {
      await fixture('del/quiet.txt', 'q');
      const res = expectOk(
        await api('delete-objects', {
          bucket,
          delete: JSON.stringify({ Objects: [{ Key: 'del/quiet.txt' }], Quiet: true }),
        }),
      );
      expect(parseJson<{ Deleted?: unknown[] }>(res).Deleted ?? []).toEqual([]);
      expect(existsSync(plain('del/quiet.txt'))).toBe(false);
    });
  });

  describe('list-objects-v2', () => {
    let listBucket: string;
    beforeAll(async () => {
      listBucket = bucketName('awslist');
      await sdk.send(new CreateBucketCommand({ Bucket: listBucket }));
      for (const key of [
        'a.txt',
        'photos/2024/jan.jpg',
        'photos/2024/feb.jpg',
        'photos/2025/mar.jpg',
        'photos/top.jpg',
      ]) {
        await fixture(key, 'x', listBucket);
      }
    });

    it('groups keys into CommonPrefixes with --delimiter', async () => {
      const res = parseJson<ListV2Output>(
        // --no-paginate shows the one response as sent, KeyCount included (the CLI's own paging drops it).
        expectOk(await api('list-objects-v2', { bucket: listBucket, delimiter: '/', noPaginate: true })),
      );
      expect(res.Contents?.map((c) => c.Key)).toEqual(['a.txt']);
      expect(res.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/']);
      expect(res.KeyCount).toBe(2);
    });

    it('combines --prefix and --delimiter', async () => {
      const res = parseJson<ListV2Output>(
        expectOk(await api('list-objects-v2', { bucket: listBucket, prefix: 'photos/', delimiter: '/' })),
      );
      expect(res.Contents?.map((c) => c.Key)).toEqual(['photos/top.jpg']);
      expect(res.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/2024/', 'photos/2025/']);
    });

    it('pages through every key with a small --page-size', async () => {
      // The CLI follows NextContinuationToken itself and merges the pages.
      const res = parseJson<ListV2Output>(
        expectOk(await api('list-objects-v2', { bucket: listBucket, pageSize: '2' })),
      );
      expect(res.Contents?.map((c) => c.Key)).toEqual([
        'a.txt',
        'photos/2024/feb.jpg',
        'photos/2024/jan.jpg',
        'photos/2025/mar.jpg',
        'photos/top.jpg',
      ]);
    });
  });

  describe('errors', () => {
    it('exits non-zero from head-bucket on a missing bucket', async () => {
      const res = await api('head-bucket', { bucket: bucketName('absent') });
      expect(res.code).toBe(254);
      expect(res.stderr).toMatch(/\(404\)/);
    });

    it('exits 0 from head-bucket on an existing bucket', async () => {
      expectOk(await api('head-bucket', { bucket }));
    });

    it('shows NoSuchBucket from put-object into a missing bucket', async () => {
      const file = join(local, 'nb');
      writeFileSync(file, 'x');
      const res = await api('put-object', { bucket: bucketName('absent'), key: 'k', body: file });
      expect(res.code).toBe(254);
      expect(res.stderr).toContain('NoSuchBucket');
    });

    it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
      const wrong = awsCli({ ...server, secretAccessKey: 'not-the-secret-key-0000000000000000000000' });
      const res = await wrong(s3apiArgs('list-objects-v2', { bucket }));
      expect(res.code).toBe(254);
      expect(res.stderr).toContain('SignatureDoesNotMatch');
    });
  });
});
