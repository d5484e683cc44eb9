import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli, type AwsCli } from '../../support/clients/aws-cli';
import {
  expectOk,
  patternBytes,
  sha256,
  sha256File,
  tempDir,
  writeTree,
} from '../../support/clients/run-client';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** The high-level `aws s3 …` commands (s3transfer underneath) against a live gateway. */
describe('AWS CLI v2: aws s3', () => {
  let server: RunningServer;
  let aws: AwsCli;
  // Fixtures that are not the command under test are written in-process: each CLI run costs ~1 s.
  let sdk: S3Client;
  let local: string;
  let bucket: string;
  const plain = (key: string) => join(server.storageRoot, bucket, key);

  beforeAll(async () => {
    server = await startServer();
    aws = awsCli(server);
    sdk = s3Client(server);
    local = tempDir('awscli-s3');
    bucket = bucketName('awss3');
    expectOk(await aws(['s3', 'mb', `s3://${bucket}`]));
  });
  afterAll(async () => {
    sdk?.destroy();
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  describe('mb', () => {
    it('creates a bucket that is a directory under STORAGE_ROOT and is listed by `aws s3 ls`', async () => {
      const name = bucketName('awsmb');
      const made = expectOk(await aws(['s3', 'mb', `s3://${name}`]));
      expect(made.stdout).toContain(`make_bucket: ${name}`);
      expect(existsSync(join(server.storageRoot, name))).toBe(true);

      const listed = expectOk(await aws(['s3', 'ls']));
      expect(listed.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${name}$`, 'm'));
    });

    it('exits non-zero when the bucket already exists', async () => {
      const again = await aws(['s3', 'mb', `s3://${bucket}`]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/BucketAlreadyOwnedByYou|BucketAlreadyExists/);
    });
  });

  describe('cp', () => {
    it('uploads and downloads a small file byte for byte', async () => {
      const body = Buffer.concat([Buffer.from('small file\n'), patternBytes(3000, 7)]);
      const src = join(local, 'small.bin');
      writeFileSync(src, body);

      expectOk(await aws(['s3', 'cp', src, `s3://${bucket}/cp/small.bin`]));
      expect(readFileSync(plain('cp/small.bin'))).toEqual(body);

      const dst = join(local, 'small.back');
      expectOk(await aws(['s3', 'cp', `s3://${bucket}/cp/small.bin`, dst]));
      expect(readFileSync(dst)).toEqual(body);
    });

    it('copies a key with spaces and unicode to and from the bucket', async () => {
      const key = 'cp/ünï cödé/日本語 ファイル.txt';
      const src = join(local, 'unicode-src.txt');
      writeFileSync(src, 'unicode key body ✓');

      expectOk(await aws(['s3', 'cp', src, `s3://${bucket}/${key}`]));
      expect(readFileSync(plain(key), 'utf8')).toBe('unicode key body ✓');

      const dst = join(local, 'unicode-back.txt');
      expectOk(await aws(['s3', 'cp', `s3://${bucket}/${key}`, dst]));
      expect(readFileSync(dst, 'utf8')).toBe('unicode key body ✓');
    });

    it('copies an object server-side (s3:// to s3://)', async () => {
      await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: 'cp/orig.txt', Body: 'copy me' }));
      expectOk(await aws(['s3', 'cp', `s3://${bucket}/cp/orig.txt`, `s3://${bucket}/cp/copied.txt`]));
      expect(readFileSync(plain('cp/copied.txt'), 'utf8')).toBe('copy me');
    });

    // Above 8 MiB the CLI switches to CreateMultipartUpload/UploadPart (8 MiB parts) and to ranged
    // parallel GETs on the way down, so this also covers multipart upload and Range reads.
    it('round-trips a 20 MiB file (multipart upload, ranged download)', async () => {
      const body = patternBytes(20 * 1024 * 1024 + 12345, 42);
      const src = join(local, 'big.bin');
      writeFileSync(src, body);

      expectOk(await aws(['s3', 'cp', src, `s3://${bucket}/big/big.bin`], 50_000));
      expect(sha256File(plain('big/big.bin'))).toBe(sha256(body));

      const dst = join(local, 'big.back');
      expectOk(await aws(['s3', 'cp', `s3://${bucket}/big/big.bin`, dst], 50_000));
      expect(sha256File(dst)).toBe(sha256(body));
    }, 110_000);

    it('exits non-zero and names the missing key on a download of a missing object', async () => {
      const res = await aws(['s3', 'cp', `s3://${bucket}/cp/nope.txt`, join(local, 'nope.txt')]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/404|Not Found|NoSuchKey/);
      expect(existsSync(join(local, 'nope.txt'))).toBe(false);
    });
  });

  describe('ls', () => {
    let lsBucket: string;
    beforeAll(async () => {
      lsBucket = bucketName('awsls');
      expectOk(await aws(['s3', 'mb', `s3://${lsBucket}`]));
      for (const Key of ['top.txt', 'dir/a.txt', 'dir/sub/b.txt', 'other/c.txt']) {
        await sdk.send(new PutObjectCommand({ Bucket: lsBucket, Key, Body: '12345' }));
      }
    });

    it('shows common prefixes as PRE and top-level objects without --recursive', async () => {
      const res = expectOk(await aws(['s3', 'ls', `s3://${lsBucket}/`]));
      const lines = res.stdout.trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(res.stdout).toMatch(/^\s+PRE dir\/$/m);
      expect(res.stdout).toMatch(/^\s+PRE other\/$/m);
      expect(res.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+5 top\.txt$/m);
    });

    it('lists one level below a prefix', async () => {
      const res = expectOk(await aws(['s3', 'ls', `s3://${lsBucket}/dir/`]));
      expect(res.stdout).toMatch(/^\s+PRE sub\/$/m);
      expect(res.stdout).toMatch(/\s5 a\.txt$/m);
      expect(res.stdout).not.toContain('b.txt');
    });

    it('lists every key with its size with --recursive', async () => {
      const res = expectOk(await aws(['s3', 'ls', '--recursive', `s3://${lsBucket}/`]));
      const keys = res.stdout
        .trim()
        .split('\n')
        .map((l) => /^\S+ \S+\s+(\d+) (.+)$/.exec(l))
        .map((m) => [m?.[2], m?.[1]]);
      expect(keys).toEqual([
        ['dir/a.txt', '5'],
        ['dir/sub/b.txt', '5'],
        ['other/c.txt', '5'],
        ['top.txt', '5'],
      ]);
    });

    it('exits non-zero for a missing bucket', async () => {
      const res = await aws(['s3', 'ls', `s3://${bucketName('missing')}/`]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('NoSuchBucket');
    });
  });

  describe('sync, rm --recursive and rb', () => {
    const tree: Record<string, string> = {
      'index.html': '<h1>home</h1>',
      'css/site.css': 'body { color: red }',
      'img/icons/a.svg': '<svg/>',
      'docs/deep/er/still/readme.md': '# deep',
      'docs/naïve résumé ✓.txt': 'unicode name',
      'docs/with space.txt': 'spaces',
    };
    let syncBucket: string;
    let srcDir: string;

    beforeAll(async () => {
      syncBucket = bucketName('awssync');
      expectOk(await aws(['s3', 'mb', `s3://${syncBucket}`]));
      srcDir = join(local, 'sync-src');
      writeTree(srcDir, tree);
      // sync re-uploads a file whose local mtime is newer than LastModified; an hour back keeps a
      // server that stores whole seconds from looking older than a file written a moment before.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      for (const rel of Object.keys(tree)) {
        utimesSync(join(srcDir, rel), anHourAgo, anHourAgo);
      }
    });

    it('uploads a nested tree with a unicode name, each file landing at its plain path', async () => {
      const res = expectOk(await aws(['s3', 'sync', srcDir, `s3://${syncBucket}/site`]));
      expect(res.stdout.match(/^upload: /gm)).toHaveLength(Object.keys(tree).length);
      for (const [rel, body] of Object.entries(tree)) {
        expect(readFileSync(join(server.storageRoot, syncBucket, 'site', rel), 'utf8')).toBe(body);
      }
      const listed = expectOk(await aws(['s3', 'ls', '--recursive', `s3://${syncBucket}/`]));
      for (const rel of Object.keys(tree)) {
        expect(listed.stdout).toContain(` site/${rel}\n`);
      }
    });

    it('uploads nothing on a second sync of an unchanged tree', async () => {
      const res = expectOk(await aws(['s3', 'sync', srcDir, `s3://${syncBucket}/site`]));
      expect(res.stdout.trim()).toBe('');
    });

    it('downloads the tree back with the same bytes', async () => {
      const back = join(local, 'sync-back');
      expectOk(await aws(['s3', 'sync', `s3://${syncBucket}/site`, back]));
      for (const [rel, body] of Object.entries(tree)) {
        expect(readFileSync(join(back, rel), 'utf8')).toBe(body);
      }
    });

    it('refuses to remove a non-empty bucket with rb', async () => {
      const res = await aws(['s3', 'rb', `s3://${syncBucket}`]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('BucketNotEmpty');
    });

    it('removes every object under a prefix with rm --recursive', async () => {
      const res = expectOk(await aws(['s3', 'rm', '--recursive', `s3://${syncBucket}/site`]));
      expect(res.stdout.match(/^delete: /gm)).toHaveLength(Object.keys(tree).length);
      const listed = expectOk(await aws(['s3', 'ls', '--recursive', `s3://${syncBucket}/`]));
      expect(listed.stdout.trim()).toBe('');
      for (const rel of Object.keys(tree)) {
        expect(existsSync(join(server.storageRoot, syncBucket, 'site', rel))).toBe(false);
      }
    });

    it('removes the now empty bucket with rb', async () => {
      const res = expectOk(await aws(['s3', 'rb', `s3://${syncBucket}`]));
      expect(res.stdout).toContain(`remove_bucket: ${syncBucket}`);
      const listed = expectOk(await aws(['s3', 'ls']));
      expect(listed.stdout).not.toContain(syncBucket);
      expect(readdirSync(server.storageRoot)).not.toContain(syncBucket);
    });
  });

  describe('presign', () => {
    it('prints a URL that fetches the object without credentials, and 403s once tampered', async () => {
      const body = patternBytes(1000, 3);
      await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: 'presign/ü file.bin', Body: body }));

      const res = expectOk(
        await aws(['s3', 'presign', `s3://${bucket}/presign/ü file.bin`, '--expires-in', '300']),
      );
      const url = res.stdout.trim();
      expect(url).toContain('X-Amz-Signature=');

      const got = await fetch(url);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer())).toEqual(body);

      const tampered = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=301'));
      expect(tampered.status).toBe(403);
    });
  });
});
