import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { adminCall, createUser } from '../../support/iam-api';
import { s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

// Two gateways over one STORAGE_ROOT and database, with a version poll far too slow to matter:
// only the Redis invalidation message can make a change visible on the other gateway at once.
const env = { REDIS_URL: 'redis://127.0.0.1:6379', IAM_REFRESH_INTERVAL_SECONDS: '3600' };

// A user may list its buckets only when a policy says so (s3:ListAllMyBuckets, simple `list`).
const LISTER = { policies: [{ bucket: '*', actions: ['list'] }] };

describe('IAM changes reach other gateways through Redis at once', () => {
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    a = await startServer({ env });
    b = await startServer({ env, dir: a.dir });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    cleanup(a);
  });

  it('a user disabled on one gateway is refused by the other, which had it cached', async () => {
    const user = await createUser(a, LISTER);
    // B loads and caches the credential.
    await expect(s3Client(b, user).send(new ListBucketsCommand({}))).resolves.toBeDefined();
    await adminCall(a, 'POST', `/admin/iam/users/${user.userId}/disable`);
    const deadline = Date.now() + 3000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await s3Client(b, user)
        .send(new ListBucketsCommand({}))
        .then(() => false)
        .catch((e: Error) => e.name === 'AccessDenied');
      if (!refused) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(refused).toBe(true);
  });

  it('a rotated secret stops working on the other gateway', async () => {
    const user = await createUser(a, LISTER);
    await expect(s3Client(b, user).send(new ListBucketsCommand({}))).resolves.toBeDefined();
    const rotated = await adminCall(a, 'POST', `/iam/users/${user.accessKeyId}/rotate`);
    await new Promise((r) => setTimeout(r, 500));
    await expect(s3Client(b, user).send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    const fresh = { accessKeyId: user.accessKeyId, secretAccessKey: rotated.body.secret_key as string };
    await expect(s3Client(b, fresh).send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });
});
