import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { s3Client } from '../../support/s3-client';
import { cleanup, runCli, startServer, type RunningServer } from '../../support/server';

describe('first boot and credentials', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    cleanup(server);
    server = undefined;
  });

  it('creates a random admin on first start, prints it once, and persists a 0600 SECRET_KEY', async () => {
    server = await startServer({ env: { ADMIN_ACCESS_KEY: '', ADMIN_SECRET_KEY: '' } });
    const printed = /Access key: (\S+)\s+Secret key: (\S+)/.exec(server.output());
    expect(printed).not.toBeNull();
    const [, accessKeyId, secretAccessKey] = printed!;
    const client = s3Client(server, { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! });
    await expect(client.send(new ListBucketsCommand({}))).resolves.toBeDefined();

    const secretFile = join(server.storageRoot, '.myfsio.sys/config/.secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const dir = server.dir;
    await server.stop();

    // Second start: nothing printed, same credentials still work.
    server = await startServer({ dir, env: { ADMIN_ACCESS_KEY: '', ADMIN_SECRET_KEY: '' } });
    expect(server.output()).not.toContain('Secret key:');
    const again = s3Client(server, { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! });
    await expect(again.send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });

  it('never stores the secret in plaintext in the database', async () => {
    server = await startServer();
    const db = readFileSync(join(server.storageRoot, '.myfsio.sys/meta.db'));
    const wal = readdirSync(join(server.storageRoot, '.myfsio.sys'))
      .filter((f) => f.startsWith('meta.db-'))
      .map((f) => readFileSync(join(server!.storageRoot, '.myfsio.sys', f)));
    for (const bytes of [db, ...wal]) {
      expect(bytes.includes(Buffer.from(server.secretAccessKey))).toBe(false);
    }
  });

  it('--reset-cred replaces the admin credentials and prints the new ones once', async () => {
    server = await startServer();
    const dir = server.dir;
    const oldCreds = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    await server.stop();

    const reset = runCli(
      ['--reset-cred'],
      { ADMIN_ACCESS_KEY: 'MFRESETKEY0000000001', ADMIN_SECRET_KEY: 'reset-secret-0123456789' },
      dir,
    );
    expect(reset.status).toBe(0);
    expect(reset.stdout).toContain('Access key: MFRESETKEY0000000001');
    expect(reset.stdout).toContain('Secret key: reset-secret-0123456789');

    server = await startServer({ dir, env: { ADMIN_ACCESS_KEY: '', ADMIN_SECRET_KEY: '' } });
    const fresh = s3Client(server, {
      accessKeyId: 'MFRESETKEY0000000001',
      secretAccessKey: 'reset-secret-0123456789',
    });
    await expect(fresh.send(new ListBucketsCommand({}))).resolves.toBeDefined();
    const stale = s3Client(server, oldCreds);
    await expect(stale.send(new HeadBucketCommand({ Bucket: 'whatever' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});
