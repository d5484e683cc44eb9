import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RCLONE_REMOTE, rclone, rcloneFromEnv, type Rclone } from '../../support/clients/rclone';
import { describeResult, expectOk, patternBytes, tempDir, writeTree } from '../../support/clients/run-client';
import { bucketName } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** rclone's s3 backend (provider Other, path style) against a live gateway. */
describe('rclone', () => {
  let server: RunningServer;
  let rc: Rclone;
  let local: string;
  let bucket: string;
  let srcDir: string;
  const remote = (path = '') => `${RCLONE_REMOTE}:${bucket}${path === '' ? '' : `/${path}`}`;
  const tree: Record<string, Buffer> = {
    'readme.txt': Buffer.from('top level\n'),
    'nested/one/two/deep.bin': patternBytes(5000, 11),
    'nested/one/sibling.txt': Buffer.from('sibling'),
    'with space/ünïcödé 日本.txt': Buffer.from('unicode and spaces ✓'),
    'empty.txt': Buffer.alloc(0),
  };

  beforeAll(async () => {
    server = await startServer();
    rc = rclone(server);
    local = tempDir('rclone');
    srcDir = join(local, 'src');
    writeTree(srcDir, tree);
    bucket = bucketName('rclone');
  });
  afterAll(async () => {
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  it('mkdir creates the bucket as a directory, and lsd lists it', async () => {
    expectOk(await rc(['mkdir', remote()]));
    expect(existsSync(join(server.storageRoot, bucket))).toBe(true);
    const lsd = expectOk(await rc(['lsd', `${RCLONE_REMOTE}:`]));
    expect(lsd.stdout).toMatch(new RegExp(` ${bucket}$`, 'm'));
  });

  it('copy uploads a local tree; each object is the plain file at STORAGE_ROOT/<bucket>/<key>', async () => {
    const res = expectOk(await rc(['copy', '-v', srcDir, remote()]));
    expect(res.stderr.match(/Copied \(new\)/g)).toHaveLength(Object.keys(tree).length);
    for (const [rel, body] of Object.entries(tree)) {
      expect(readFileSync(join(server.storageRoot, bucket, rel))).toEqual(body);
    }
  });

  it('a second copy of the unchanged tree transfers nothing (size and mtime metadata match)', async () => {
    const res = expectOk(await rc(['copy', '-v', srcDir, remote()]));
    expect(res.stderr).not.toMatch(/Copied/);
  });

  it('ls lists every object with its size', async () => {
    const res = expectOk(await rc(['ls', remote()]));
    const rows = res.stdout
      .trim()
      .split('\n')
      .map((l) => /^\s*(\d+) (.+)$/.exec(l))
      .map((m) => [m?.[2], Number(m?.[1])])
      .sort();
    const expected = Object.entries(tree)
      .map(([rel, body]) => [rel, body.length])
      .sort();
    expect(rows).toEqual(expected);
  });

  it('lsf lists one level, and every file with -R --files-only', async () => {
    const top = expectOk(await rc(['lsf', remote()]));
    expect(top.stdout.trim().split('\n').sort()).toEqual([
      'empty.txt',
      'nested/',
      'readme.txt',
      'with space/',
    ]);

    const all = expectOk(await rc(['lsf', '-R', '--files-only', remote()]));
    expect(all.stdout.trim().split('\n').sort()).toEqual(Object.keys(tree).sort());
  });

  it('check finds no differences (sizes and MD5 ETags agree)', async () => {
    const res = await rc(['check', srcDir, remote()]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/0 differences found/);
    // rclone only claims hashes were checked when the server's ETags are usable MD5s.
    expect(res.stderr).not.toMatch(/hashes could not be checked|no hashes in common/i);
  });

  it('check reports a same-size change by its MD5', async () => {
    const changed = join(local, 'changed');
    writeTree(changed, tree);
    const original = tree['nested/one/sibling.txt']!;
    writeFileSync(join(changed, 'nested/one/sibling.txt'), Buffer.from('SIBLING'));
    expect(original.length).toBe('SIBLING'.length);

    const res = await rc(['check', changed, remote()]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/1 differences found/);
    expect(res.stderr).toContain('nested/one/sibling.txt');
  });

  it('cat prints the object bytes, and a byte range with --offset/--count', async () => {
    const res = expectOk(await rc(['cat', remote('with space/ünïcödé 日本.txt')]));
    expect(res.stdout).toBe('unicode and spaces ✓');

    const part = expectOk(await rc(['cat', '--offset', '4', '--count', '3', remote('readme.txt')]));
    expect(part.stdout).toBe(tree['readme.txt']!.subarray(4, 7).toString());
  });

  it('copyto downloads an object with the same bytes', async () => {
    const dst = join(local, 'deep.back');
    expectOk(await rc(['copyto', remote('nested/one/two/deep.bin'), dst]));
    expect(readFileSync(dst)).toEqual(tree['nested/one/two/deep.bin']);
  });

  it('deletefile removes one object and its plain file', async () => {
    expectOk(await rc(['deletefile', remote('readme.txt')]));
    expect(existsSync(join(server.storageRoot, bucket, 'readme.txt'))).toBe(false);
    const res = expectOk(await rc(['lsf', remote()]));
    expect(res.stdout).not.toContain('readme.txt');
  });

  it('a remote defined only by RCLONE_CONFIG_* variables reads the same bucket', async () => {
    const env = rcloneFromEnv(server);
    const res = await env(['cat', `envremote:${bucket}/nested/one/sibling.txt`]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('sibling');
  });

  it('purge removes every object and the bucket', async () => {
    expectOk(await rc(['purge', remote()]));
    expect(existsSync(join(server.storageRoot, bucket))).toBe(false);
    const lsd = expectOk(await rc(['lsd', `${RCLONE_REMOTE}:`]));
    expect(lsd.stdout).not.toContain(bucket);
    const gone = await rc(['lsf', remote()]);
    expect(gone.code).not.toBe(0);
    expect(describeResult(gone)).toMatch(/directory not found|NoSuchBucket/);
  });
});
