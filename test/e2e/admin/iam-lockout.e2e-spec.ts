import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { adminCall, createUser, type Creds } from '../../support/iam-api';
import { s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

// A user may list its buckets only when a policy says so (s3:ListAllMyBuckets, simple `list`).
const LISTER = { policies: [{ bucket: '*', actions: ['list'] }] };

describe('lockout after AUTH_MAX_ATTEMPTS failed signatures', () => {
  let server: RunningServer;
  const listBuckets = (creds: Creds) => s3Client(server, creds).send(new ListBucketsCommand({}));
  const wrong = (creds: Creds): Creds => ({ ...creds, secretAccessKey: `${creds.secretAccessKey}x` });

  beforeAll(async () => {
    server = await startServer({ env: { AUTH_MAX_ATTEMPTS: '3', AUTH_LOCKOUT_MINUTES: '1' } });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('locks the user after 3 bad signatures, even for the right secret, with a clear message', async () => {
    const user = await createUser(server, LISTER);
    for (let i = 0; i < 3; i++) {
      await expect(listBuckets(wrong(user))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    }
    const err = await listBuckets(user).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'AccessDenied' });
    expect((err as Error).message).toMatch(/locked after too many failed sign-in attempts until /);
    // The admin API refuses the locked user too, and shows the lockout.
    expect((await adminCall(server, 'GET', '/iam/users', user)).body.message).toMatch(/locked/);
    const shown = await adminCall(server, 'GET', `/admin/iam/users/${user.userId}`);
    expect(Date.parse(shown.body.locked_until as string)).toBeGreaterThan(Date.now());
    // Enabling the user ends the lockout.
    await adminCall(server, 'POST', `/admin/iam/users/${user.userId}/enable`);
    await expect(listBuckets(user)).resolves.toBeDefined();
  });

  it('counts failures of the X-Access-Key headers as well', async () => {
    const user = await createUser(server, LISTER);
    for (let i = 0; i < 3; i++) {
      expect((await adminCall(server, 'GET', '/iam/users', wrong(user))).body.code).toBe(
        'SignatureDoesNotMatch',
      );
    }
    await expect(listBuckets(user)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('resets the count on a success', async () => {
    const user = await createUser(server, LISTER);
    for (let round = 0; round < 3; round++) {
      await expect(listBuckets(wrong(user))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      await expect(listBuckets(wrong(user))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      await expect(listBuckets(user)).resolves.toBeDefined();
      // The reset is written in the background; give it a moment before the next failures.
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('locks one user without affecting another, and never locks the root user', async () => {
    const victim = await createUser(server, LISTER);
    const bystander = await createUser(server, LISTER);
    for (let i = 0; i < 3; i++) {
      await listBuckets(wrong(victim)).catch(() => undefined);
    }
    await expect(listBuckets(victim)).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(listBuckets(bystander)).resolves.toBeDefined();
    const root = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    for (let i = 0; i < 4; i++) {
      await listBuckets(wrong(root)).catch(() => undefined);
    }
    await expect(listBuckets(root)).resolves.toBeDefined();
  });

  it('does not count unknown keys', async () => {
    await expect(
      listBuckets({ accessKeyId: 'MFNOSUCHKEY000000000', secretAccessKey: 'x' }),
    ).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
  });
});
