import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { awsCli, parseJson, s3apiArgs } from '../../support/clients/aws-cli';
import { boto3 } from '../../support/clients/boto3';
import { anonymousS3Client, bucketName, s3Client } from '../../support/s3-client';
import { SEED_SECRET_KEY, seedUser, type SeededUser } from '../../support/seed-users';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('ACLs', () => {
  let server: RunningServer;
  let s3: S3Client;
  let anon: S3Client;
  let bob: SeededUser;
  let bobS3: S3Client;

  beforeAll(async () => {
    server = await startServer({ env: { SECRET_KEY: SEED_SECRET_KEY } });
    s3 = s3Client(server);
    anon = anonymousS3Client(server);
    bob = await seedUser(server, 'bob-acl');
    bobS3 = s3Client(server, { accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  async function newBucket(extra: Record<string, unknown> = {}): Promise<string> {
    const bucket = bucketName('acl');
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...extra }));
    return bucket;
  }
  const anonGet = (Bucket: string, Key: string) => anon.send(new GetObjectCommand({ Bucket, Key }));

  describe('GetBucketAcl and PutBucketAcl', () => {
    it('a new bucket grants its owner FULL_CONTROL and nothing else', async () => {
      const bucket = await newBucket();
      const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
      expect(acl.Owner?.ID).toBeTruthy();
      expect(acl.Grants).toEqual([
        {
          Grantee: { Type: 'CanonicalUser', ID: acl.Owner?.ID, DisplayName: acl.Owner?.DisplayName },
          Permission: 'FULL_CONTROL',
        },
      ]);
    });

    it('a canned public-read bucket ACL lets anonymous callers list but not read objects', async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
      await expect(anon.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
      const listed = await anon.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['k']);
      await expect(anonGet(bucket, 'k')).rejects.toMatchObject({ name: 'AccessDenied' });
      const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
      expect(acl.Grants).toContainEqual({ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' });
    });

    it('x-amz-acl on CreateBucket is stored (public-read-write lets anonymous callers upload)', async () => {
      const bucket = await newBucket({ ACL: 'public-read-write' });
      await anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'dropped.txt', Body: 'anon' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dropped.txt' }));
      expect(await got.Body?.transformToString()).toBe('anon');
    });

    it('an AccessControlPolicy body grants a user by canonical id', async () => {
      const bucket = await newBucket();
      const owner = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
      await expect(bobS3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await s3.send(
        new PutBucketAclCommand({
          Bucket: bucket,
          AccessControlPolicy: {
            Owner: owner.Owner,
            Grants: [
              { Grantee: { Type: 'CanonicalUser', ID: owner.Owner?.ID }, Permission: 'FULL_CONTROL' },
              { Grantee: { Type: 'CanonicalUser', ID: bob.userId }, Permission: 'READ' },
            ],
          },
        }),
      );
      await expect(bobS3.send(new ListObjectsV2Command({ Bucket: bucket }))).resolves.toMatchObject({
        $metadata: { httpStatusCode: 200 },
      });
      await expect(
        bobS3.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: 'y' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });

    it('returns MalformedACLError for a bad body and InvalidArgument for an unknown canned ACL', async () => {
      const bucket = await newBucket();
      const res = await fetch(`${server.apiUrl}/${bucket}?acl`, {
        method: 'PUT',
        headers: { 'x-amz-acl': 'nope' },
      });
      expect(res.status).toBe(403); // unsigned: refused before the ACL is even read
      await expect(
        s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'world-writable' as never })),
      ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
      await expect(
        s3.send(
          new PutBucketAclCommand({
            Bucket: bucket,
            AccessControlPolicy: {
              Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'x' }, Permission: 'ALL' as never }],
            },
          }),
        ),
      ).rejects.toMatchObject({ name: 'MalformedACLError', $metadata: { httpStatusCode: 400 } });
    });

    it('works through the AWS CLI and boto3', async () => {
      const bucket = await newBucket();
      const aws = awsCli(server);
      expect((await aws(s3apiArgs('put-bucket-acl', { bucket, acl: 'authenticated-read' }))).code).toBe(0);
      const acl = parseJson<{ Grants: Array<{ Grantee: { URI?: string }; Permission: string }> }>(
        await aws(s3apiArgs('get-bucket-acl', { bucket })),
      );
      expect(acl.Grants).toContainEqual({
        Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' },
        Permission: 'READ',
      });
      const py = await boto3(server)(
        `r = s3.get_bucket_acl(Bucket=args["bucket"])
out([[g["Grantee"].get("URI", g["Grantee"].get("ID")), g["Permission"]] for g in r["Grants"]])`,
        { bucket },
      );
      expect(py.code).toBe(0);
      expect(JSON.parse(py.stdout)).toContainEqual([
        'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
        'READ',
      ]);
      // authenticated-read: any signed user lists, anonymous callers do not.
      await expect(bobS3.send(new ListObjectsV2Command({ Bucket: bucket }))).resolves.toBeTruthy();
      await expect(anon.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });
  });

  describe('GetObjectAcl and PutObjectAcl', () => {
    it('x-amz-acl on PutObject is stored and lets anonymous callers read that object only', async () => {
      const bucket = await newBucket();
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'public.txt', Body: 'pub', ACL: 'public-read' }),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private.txt', Body: 'priv' }));
      const got = await anonGet(bucket, 'public.txt');
      expect(await got.Body?.transformToString()).toBe('pub');
      await expect(anonGet(bucket, 'private.txt')).rejects.toMatchObject({ name: 'AccessDenied' });
      const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'public.txt' }));
      expect(acl.Grants).toContainEqual({ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' });
    });

    it('PutObjectAcl changes who may read, and x-amz-grant-read names users', async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
      await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', ACL: 'public-read' }));
      await expect(anonGet(bucket, 'k')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', GrantRead: `id="${bob.userId}"` }));
      await expect(anonGet(bucket, 'k')).rejects.toMatchObject({ name: 'AccessDenied' });
      const asBob = await bobS3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(await asBob.Body?.transformToString()).toBe('v');
    });

    it('x-amz-acl on CopyObject and CreateMultipartUpload is stored on the new object', async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'copied' }));
      const aws = awsCli(server);
      const copy = await aws(
        s3apiArgs('copy-object', { bucket, key: 'dst', copySource: `${bucket}/src`, acl: 'public-read' }),
      );
      expect(copy.code).toBe(0);
      const got = await anonGet(bucket, 'dst');
      expect(await got.Body?.transformToString()).toBe('copied');
      const py = await boto3(server)(
        `u = s3.create_multipart_upload(Bucket=args["bucket"], Key="mp", ACL="public-read")
p = s3.upload_part(Bucket=args["bucket"], Key="mp", UploadId=u["UploadId"], PartNumber=1, Body=b"multi")
s3.complete_multipart_upload(Bucket=args["bucket"], Key="mp", UploadId=u["UploadId"], MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
out("ok")`,
        { bucket },
      );
      expect(py.code).toBe(0);
      const mp = await anonGet(bucket, 'mp');
      expect(await mp.Body?.transformToString()).toBe('multi');
    });

    it('returns NoSuchKey for a missing object', async () => {
      const bucket = await newBucket();
      await expect(
        s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'missing' })),
      ).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    });
  });
});
