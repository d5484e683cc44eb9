import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) {
      return err;
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}

const DAY = 86_400_000;

describe('object lock', () => {
  let server: RunningServer;
  let s3: S3Client;

  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function lockedBucket(prefix: string): Promise<string> {
    const Bucket = bucketName(prefix);
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    return Bucket;
  }
  const inDays = (n: number) => new Date(Math.floor((Date.now() + n * DAY) / 1000) * 1000);

  describe('CreateBucket and Put/GetObjectLockConfiguration', () => {
    it('turns versioning on, which cannot then be suspended', async () => {
      const Bucket = await lockedBucket('lcreate');
      const suspend = await failure(
        s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } })),
      );
      expect(suspend.name).toBe('InvalidBucketState');
      expect(suspend.$metadata.httpStatusCode).toBe(409);
      const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
      expect(config.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    });

    it('stores a default retention and applies it to new objects', async () => {
      const Bucket = await lockedBucket('ldefault');
      await s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2 } },
          },
        }),
      );
      const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
      expect(config.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 2 });
      const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'd', Body: 'x' }));
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'd' }));
      expect(head.ObjectLockMode).toBe('GOVERNANCE');
      const until = head.ObjectLockRetainUntilDate!.getTime();
      expect(Math.abs(until - (Date.now() + 2 * DAY))).toBeLessThan(60_000);
      const denied = await failure(
        s3.send(new DeleteObjectCommand({ Bucket, Key: 'd', VersionId: put.VersionId })),
      );
      expect(denied.name).toBe('AccessDenied');
    });

    it('answers ObjectLockConfigurationNotFoundError and InvalidRequest for a bucket without lock', async () => {
      const Bucket = bucketName('lnone');
      await s3.send(new CreateBucketCommand({ Bucket }));
      const get = await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket })));
      expect(get.name).toBe('ObjectLockConfigurationNotFoundError');
      expect(get.$metadata.httpStatusCode).toBe(404);
      await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
      const retention = await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k' })));
      expect(retention.name).toBe('InvalidRequest');
      const header = await failure(
        s3.send(
          new PutObjectCommand({
            Bucket,
            Key: 'k',
            Body: 'x',
            ObjectLockMode: 'GOVERNANCE',
            ObjectLockRetainUntilDate: inDays(1),
          }),
        ),
      );
      expect(header.name).toBe('InvalidRequest');
      const put = await failure(
        s3.send(
          new PutObjectLockConfigurationCommand({
            Bucket,
            ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
          }),
        ),
      );
      expect(put.name).toBe('InvalidBucketState');
    });

    it('returns MalformedXML for a rule with both Days and Years', async () => {
      const Bucket = await lockedBucket('lbad');
      const err = await failure(
        s3.send(
          new PutObjectLockConfigurationCommand({
            Bucket,
            ObjectLockConfiguration: {
              ObjectLockEnabled: 'Enabled',
              Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1, Years: 1 } },
            },
          }),
        ),
      );
      expect(err.name).toBe('MalformedXML');
    });
  });

  describe('retention', () => {
    it('refuses to delete a COMPLIANCE version, even with the bypass, and never shortens it', async () => {
      const Bucket = await lockedBucket('lcomp');
      const until = inDays(3);
      const put = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'c',
          Body: 'kept',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: until,
        }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'c' }));
      expect(head.ObjectLockMode).toBe('COMPLIANCE');
      expect(head.ObjectLockRetainUntilDate).toEqual(until);
      const del = await failure(
        s3.send(
          new DeleteObjectCommand({
            Bucket,
            Key: 'c',
            VersionId: put.VersionId,
            BypassGovernanceRetention: true,
          }),
        ),
      );
      expect(del.name).toBe('AccessDenied');
      expect(del.$metadata.httpStatusCode).toBe(403);

      const shorten = await failure(
        s3.send(
          new PutObjectRetentionCommand({
            Bucket,
            Key: 'c',
            Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inDays(1) },
            BypassGovernanceRetention: true,
          }),
        ),
      );
      expect(shorten.name).toBe('AccessDenied');
      const later = inDays(10);
      await s3.send(
        new PutObjectRetentionCommand({
          Bucket,
          Key: 'c',
          Retention: { Mode: 'COMPLIANCE', RetainUntilDate: later },
        }),
      );
      const got = await s3.send(
        new GetObjectRetentionCommand({ Bucket, Key: 'c', VersionId: put.VersionId }),
      );
      expect(got.Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: later });

      // A delete without a version id only adds a delete marker: the locked version stays.
      const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'c' }));
      expect(marker.DeleteMarker).toBe(true);
      const bulk = await s3.send(
        new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'c', VersionId: put.VersionId }] } }),
      );
      expect(bulk.Errors).toEqual([expect.objectContaining({ Key: 'c', Code: 'AccessDenied' })]);
    });

    it('lets GOVERNANCE be bypassed with x-amz-bypass-governance-retention', async () => {
      const Bucket = await lockedBucket('lgov');
      const put = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'g',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: inDays(5),
        }),
      );
      const denied = await failure(
        s3.send(new DeleteObjectCommand({ Bucket, Key: 'g', VersionId: put.VersionId })),
      );
      expect(denied.name).toBe('AccessDenied');
      const shorten = await failure(
        s3.send(
          new PutObjectRetentionCommand({
            Bucket,
            Key: 'g',
            Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(1) },
          }),
        ),
      );
      expect(shorten.name).toBe('AccessDenied');
      await s3.send(
        new PutObjectRetentionCommand({
          Bucket,
          Key: 'g',
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(1) },
          BypassGovernanceRetention: true,
        }),
      );
      const del = await s3.send(
        new DeleteObjectCommand({
          Bucket,
          Key: 'g',
          VersionId: put.VersionId,
          BypassGovernanceRetention: true,
        }),
      );
      expect(del.VersionId).toBe(put.VersionId);
    });

    it('answers NoSuchObjectLockConfiguration for a version without retention', async () => {
      const Bucket = await lockedBucket('lnoret');
      await s3.send(new PutObjectCommand({ Bucket, Key: 'n', Body: 'x' }));
      const err = await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'n' })));
      expect(err.name).toBe('NoSuchObjectLockConfiguration');
      expect(err.$metadata.httpStatusCode).toBe(404);
    });
  });

  describe('legal hold', () => {
    it('refuses deletes while ON and allows them once OFF; the plain file follows the current version', async () => {
      const Bucket = await lockedBucket('lhold');
      const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: 'held' }));
      const noHold = await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'h' })));
      expect(noHold.name).toBe('NoSuchObjectLockConfiguration');
      await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'h', LegalHold: { Status: 'ON' } }));
      expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'h' }))).LegalHold).toEqual({
        Status: 'ON',
      });
      expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'h' }))).ObjectLockLegalHoldStatus).toBe(
        'ON',
      );

      const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: 'newer' }));
      expect(readFileSync(join(server.storageRoot, Bucket, 'h'), 'utf8')).toBe('newer');
      const denied = await failure(
        s3.send(
          new DeleteObjectCommand({
            Bucket,
            Key: 'h',
            VersionId: v1.VersionId,
            BypassGovernanceRetention: true,
          }),
        ),
      );
      expect(denied.name).toBe('AccessDenied');

      await s3.send(
        new PutObjectLegalHoldCommand({
          Bucket,
          Key: 'h',
          VersionId: v1.VersionId,
          LegalHold: { Status: 'OFF' },
        }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: v1.VersionId }));
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: v2.VersionId }));
    });
  });

  it("locks multipart objects with the upload's headers, or the bucket default at completion", async () => {
    const Bucket = await lockedBucket('lmpu');
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    const upload = async (Key: string, extra: Record<string, unknown>) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ...extra }));
      const part = await s3.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'part' }),
      );
      return s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
    };
    const until = inDays(7);
    const explicit = await upload('m1', {
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until,
      ObjectLockLegalHoldStatus: 'ON',
    });
    expect(explicit.VersionId).toMatch(/^[0-9a-f]{32}$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'm1' }));
    expect(head).toMatchObject({ ObjectLockMode: 'COMPLIANCE', ObjectLockLegalHoldStatus: 'ON' });
    expect(head.ObjectLockRetainUntilDate).toEqual(until);
    await upload('m2', {});
    const byDefault = await s3.send(new HeadObjectCommand({ Bucket, Key: 'm2' }));
    expect(byDefault.ObjectLockMode).toBe('GOVERNANCE');
    expect(Math.abs(byDefault.ObjectLockRetainUntilDate!.getTime() - (Date.now() + DAY))).toBeLessThan(
      60_000,
    );
  });

  it('accepts the JSON bodies of the MyFSIO docs', async () => {
    const Bucket = await lockedBucket('ljson');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'j', Body: 'x' }));
    const send = (path: string, body: unknown) =>
      fetch(`${server.apiUrl}/${Bucket}${path}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'x-access-key': server.accessKeyId,
          'x-secret-key': server.secretAccessKey,
        },
        body: JSON.stringify(body),
      });
    const config = await send('?object-lock', {
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(config.status).toBe(200);
    const until = inDays(4);
    expect(
      (await send('/j?retention', { Mode: 'COMPLIANCE', RetainUntilDate: until.toISOString() })).status,
    ).toBe(200);
    expect((await send('/j?legal-hold', { Status: 'ON' })).status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'j' }));
    expect(head).toMatchObject({ ObjectLockMode: 'COMPLIANCE', ObjectLockLegalHoldStatus: 'ON' });
    expect(head.ObjectLockRetainUntilDate).toEqual(until);
    const rule = (await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration
      ?.Rule;
    expect(rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 30 });
  });
});
