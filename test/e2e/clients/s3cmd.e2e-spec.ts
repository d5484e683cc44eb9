import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeResult, expectOk, patternBytes, tempDir } from '../../support/clients/run-client';
import { s3cmd, type S3cmd } from '../../support/clients/s3cmd';
import { bucketName } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/**
 * s3cmd's core commands, once signing with AWS Signature V4 and once with V2 (still sent by older
 * tools and scripts), against one live gateway.
 */
describe('s3cmd', () => {
  let server: RunningServer;
  let local: string;
  beforeAll(async () => {
    server = await startServer();
    local = tempDir('s3cmd');
  });
  afterAll(async () => {
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  describe.each([
    ['Signature V4', false],
    ['Signature V2', true],
  ])('with %s', (_label, signatureV2) => {
    let s3: S3cmd;
    let bucket: string;
    let work: string;
    const objects: Record<string, Buffer> = {
      'plain.txt': Buffer.from('hello from s3cmd\n'),
      'dir/with space.bin': patternBytes(4096, 5),
      'dir/ünïcödé/日本語 ファイル.txt': Buffer.from('unicode ✓'),
    };
    const plain = (key: string) => join(server.storageRoot, bucket, key);

    beforeAll(() => {
      s3 = s3cmd(server, { signatureV2 });
      bucket = bucketName(signatureV2 ? 's3cmdv2' : 's3cmdv4');
      work = join(local, signatureV2 ? 'v2' : 'v4');
      mkdirSync(work, { recursive: true });
      for (const [i, body] of Object.values(objects).entries()) {
        writeFileSync(join(local, `${signatureV2 ? 'v2' : 'v4'}-src-${i}`), body);
      }
    });

    it('mb creates the bucket as a directory, and ls lists it', async () => {
      const res = expectOk(await s3(['mb', `s3://${bucket}`]));
      expect(res.stdout).toContain(`Bucket 's3://${bucket}/' created`);
      expect(existsSync(join(server.storageRoot, bucket))).toBe(true);

      const ls = expectOk(await s3(['ls']));
      expect(ls.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+s3://${bucket}$`, 'm'));
    });

    it(`signs with ${signatureV2 ? 'V2 (Authorization: AWS key:sig)' : 'V4 (AWS4-HMAC-SHA256)'}`, async () => {
      const res = expectOk(await s3(['--debug', 'ls', `s3://${bucket}/`]));
      expect(res.stderr).toContain(
        signatureV2 ? `'Authorization': 'AWS ${server.accessKeyId}:` : 'AWS4-HMAC-SHA256',
      );
    });

    it('a wrong secret is refused with SignatureDoesNotMatch', async () => {
      const wrong = s3cmd(server, {
        signatureV2,
        secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret-00',
      });
      const res = await wrong(['ls', `s3://${bucket}/`]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('SignatureDoesNotMatch');
    });

    it('put stores each file, keys with spaces and unicode included, as the plain file', async () => {
      for (const [i, [key, body]] of Object.entries(objects).entries()) {
        const src = join(local, `${signatureV2 ? 'v2' : 'v4'}-src-${i}`);
        const res = expectOk(await s3(['put', src, `s3://${bucket}/${key}`]));
        expect(res.stdout).toContain(`s3://${bucket}/${key}`);
        expect(readFileSync(plain(key))).toEqual(body);
      }
    });

    it('get downloads each object with the same bytes (s3cmd checks the MD5 ETag itself)', async () => {
      for (const [i, [key, body]] of Object.entries(objects).entries()) {
        const dst = join(work, `got-${i}`);
        const res = expectOk(await s3(['get', '--force', `s3://${bucket}/${key}`, dst]));
        expect(res.stderr).not.toMatch(/MD5 signatures do not match/);
        expect(readFileSync(dst)).toEqual(body);
      }
    });

    it('ls shows objects and DIR prefixes, and --recursive shows every key with its size', async () => {
      const top = expectOk(await s3(['ls', `s3://${bucket}/`]));
      expect(top.stdout).toMatch(new RegExp(`^\\s+DIR\\s+s3://${bucket}/dir/$`, 'm'));
      expect(top.stdout).toMatch(new RegExp(`\\s17\\s+s3://${bucket}/plain\\.txt$`, 'm'));

      const all = expectOk(await s3(['ls', '--recursive', `s3://${bucket}/`]));
      for (const [key, body] of Object.entries(objects)) {
        expect(all.stdout).toContain(` ${body.length}  s3://${bucket}/${key}\n`);
      }
    });

    it('info shows the MD5 and size of an object', async () => {
      const res = expectOk(await s3(['info', `s3://${bucket}/dir/with space.bin`]));
      expect(res.stdout).toMatch(/File size:\s+4096/);
      expect(res.stdout).toMatch(/MD5 sum:\s+[0-9a-f]{32}/);
    });

    it('get of a missing key fails with a 404', async () => {
      const res = await s3(['get', '--force', `s3://${bucket}/nope.txt`, join(work, 'nope')]);
      expect(res.code).not.toBe(0);
      expect(describeResult(res)).toMatch(/404|NoSuchKey|does not exist/);
    });

    it('rb refuses a non-empty bucket', async () => {
      const res = await s3(['rb', `s3://${bucket}`]);
      expect(res.code).not.toBe(0);
      expect(describeResult(res)).toContain('BucketNotEmpty');
    });

    it('del removes each object and its plain file', async () => {
      for (const key of Object.keys(objects)) {
        const res = expectOk(await s3(['del', `s3://${bucket}/${key}`]));
        expect(res.stdout).toContain(`delete: 's3://${bucket}/${key}'`);
        expect(existsSync(plain(key))).toBe(false);
      }
      const ls = expectOk(await s3(['ls', '--recursive', `s3://${bucket}/`]));
      expect(ls.stdout.trim()).toBe('');
    });

    it('rb removes the empty bucket', async () => {
      const res = expectOk(await s3(['rb', `s3://${bucket}`]));
      expect(res.stdout).toContain(`Bucket 's3://${bucket}/' removed`);
      const ls = expectOk(await s3(['ls']));
      expect(ls.stdout).not.toContain(bucket);
    });
  });
});
