import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** Polls `url` until it answers `status`; returns the seconds it took. */
async function until(url: string, status: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < 10_000) {
    if ((await fetch(url)).status === status) {
      return (Date.now() - t0) / 1000;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within 10 s`);
}

/**
 * Two gateways over one STORAGE_ROOT (and one database): a bucket policy set and deleted through
 * gateway A is in force on gateway B within `boundSeconds`.
 */
function describeRefresh(title: string, env: Record<string, string>, boundSeconds: number): void {
  describe(title, () => {
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

    it('grants and revokes anonymous reads on the other gateway within the bound', async () => {
      const s3 = s3Client(a);
      const bucket = bucketName('refresh');
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
      const onB = `${b.apiUrl}/${bucket}/k`;
      expect((await fetch(onB)).status).toBe(403);
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
      expect((await fetch(`${a.apiUrl}/${bucket}/k`)).status).toBe(200);
      expect(await until(onB, 200)).toBeLessThanOrEqual(boundSeconds);
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      expect((await fetch(`${a.apiUrl}/${bucket}/k`)).status).toBe(403);
      expect(await until(onB, 403)).toBeLessThanOrEqual(boundSeconds);
    });
  });
}

describeRefresh(
  'bucket policy refresh across gateways by polling',
  { IAM_REFRESH_INTERVAL_SECONDS: '1' },
  2.5,
);

// The poll is an hour here, so only the Redis message can carry the change in time.
describeRefresh(
  'bucket policy refresh across gateways through Redis pub/sub',
  {
    IAM_REFRESH_INTERVAL_SECONDS: '3600',
    REDIS_URL: process.env.MYFSIO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  },
  1,
);
