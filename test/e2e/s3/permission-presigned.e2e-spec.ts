import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminCall, createUser } from '../../support/iam-api';
import { admin, createServiceAccount, expectNotStored } from '../../support/permission-fixture';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/**
 * Presigned URLs are authorized when used: a user's URL works where the user is granted and is
 * AccessDenied as soon as the grant is removed (same server, no refresh wait), for the user's
 * STS sessions and service accounts too. Setup only through the admin API, STS and S3.
 */
describe('presigned URLs and policy changes', () => {
  let server: RunningServer;
  let root: S3Client;

  beforeAll(async () => {
    server = await startServer();
    root = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function newBucket(objects: string[]): Promise<string> {
    const bucket = bucketName('presign');
    await root.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const Key of objects) {
      await root.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    }
    return bucket;
  }

  it('work where granted and are AccessDenied at once after the grant is removed', async () => {
    const bucket = await newBucket(['k']);
    const user = await createUser(server, {
      name: 'r-presigner',
      policies: [{ bucket, actions: ['read', 'write'] }],
    });
    const s3 = s3Client(server, user);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), {
      expiresIn: 600,
    });
    const putUrl = (Key: string) =>
      getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key }), { expiresIn: 600 });
    const firstPut = await putUrl('put-1');
    const secondPut = await putUrl('put-2');

    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('k');
    expect((await fetch(firstPut, { method: 'PUT', body: 'uploaded' })).status).toBe(200);
    expect(readFileSync(join(server.storageRoot, bucket, 'put-1'), 'utf8')).toBe('uploaded');

    const changed = await adminCall(server, 'PUT', `/iam/users/${user.accessKeyId}/policies`, undefined, [
      { bucket, actions: ['list'] },
    ]);
    expect(changed.status).toBe(200);

    const refusedGet = await fetch(getUrl);
    expect(refusedGet.status).toBe(403);
    expect(await refusedGet.text()).toContain('<Code>AccessDenied</Code>');
    const refusedPut = await fetch(secondPut, { method: 'PUT', body: 'refused' });
    expect(refusedPut.status).toBe(403);
    expect(await refusedPut.text()).toContain('<Code>AccessDenied</Code>');
    await expectNotStored(server, root, bucket, 'put-2');
  });

  it("follow a policy change for the user's STS session and service account too", async () => {
    const bucket = await newBucket(['k']);
    const user = await createUser(server, {
      name: 'r-changing',
      policies: [{ bucket, actions: ['read'] }],
    });
    const sts = new STSClient({
      endpoint: server.apiUrl,
      region: 'us-east-1',
      credentials: user,
      maxAttempts: 1,
    });
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/any', RoleSessionName: 'changing' }),
    );
    const session = s3Client(server, {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken!,
    });
    const account = s3Client(server, await createServiceAccount(server, 'r-changing', 'r-changing-sa', null));
    const urls = await Promise.all(
      [session, account].map((s3) =>
        getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), { expiresIn: 600 }),
      ),
    );
    for (const url of urls) {
      expect((await fetch(url)).status).toBe(200);
    }
    await admin(server, 'PUT', `/iam/users/${user.accessKeyId}/policies`, [{ bucket, actions: ['list'] }]);
    for (const url of urls) {
      const res = await fetch(url);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    }
  });
});
