import {
  AccessChanges,
  AclService,
  BucketPolicyService,
  cannedAclGrants,
  encodeStoredAcl,
} from '@myfsio/access';
import { BucketsService } from '@myfsio/buckets';
import type { AppConfig } from '@myfsio/config';
import { ObjectReaderService } from '@myfsio/objects';
import type { ObjectStore } from '@myfsio/storage';
import { describeEachDialect } from '../support/db-matrix';
import { newBucket, putKeys, useMetadataDb, type MetadataHarness } from './harness';

/** The access services over real repositories; the object store is never touched by them. */
function services(h: MetadataHarness) {
  const config = { auth: { iamRefreshIntervalSeconds: 3600 } } as unknown as AppConfig;
  const buckets = new BucketsService(config, h.buckets, {} as ObjectStore);
  const changes = new AccessChanges(config, h.state);
  const policies = new BucketPolicyService(buckets, h.configs, changes);
  const reader = new ObjectReaderService({} as ObjectStore, h.objects);
  const acls = new AclService(buckets, h.buckets, h.objects, reader, changes);
  return { buckets, changes, policies, acls };
}

const policyFor = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
    ],
  });

describeEachDialect('bucket policy and ACL store', (entry) => {
  const db = useMetadataDb(entry);

  it('stores, serves from cache, and deletes a bucket policy', async () => {
    const h = db();
    const { policies } = services(h);
    const bucket = await newBucket(h);
    await expect(policies.getPolicy(bucket.name)).rejects.toMatchObject({ code: 'NoSuchBucketPolicy' });
    await policies.putPolicy(bucket.name, policyFor(bucket.name));
    expect(await policies.getPolicy(bucket.name)).toBe(policyFor(bucket.name));
    expect((await policies.policyOf(bucket))?.Statement).toHaveLength(1);
    expect(await policies.isPublic(bucket.name)).toBe(true);
    await policies.deletePolicy(bucket.name);
    expect(await policies.policyOf(bucket)).toBeUndefined();
    expect(await h.configs.get(bucket.id, 'policy')).toBeNull();
  });

  it('refuses a malformed policy without storing it', async () => {
    const h = db();
    const { policies } = services(h);
    const bucket = await newBucket(h);
    await expect(policies.putPolicy(bucket.name, policyFor('another-bucket'))).rejects.toMatchObject({
      code: 'MalformedPolicy',
    });
    expect(await h.configs.get(bucket.id, 'policy')).toBeNull();
  });

  it('another gateway sees a policy change once it polls the access version', async () => {
    const h = db();
    const here = services(h);
    const there = services(h);
    const bucket = await newBucket(h);
    await there.changes.poll();
    expect(await there.policies.policyOf(bucket)).toBeUndefined();
    await here.policies.putPolicy(bucket.name, policyFor(bucket.name));
    // Cached as "no policy" until the poll notices the new token.
    expect(await there.policies.policyOf(bucket)).toBeUndefined();
    await there.changes.poll();
    expect((await there.policies.policyOf(bucket))?.Statement).toHaveLength(1);
  });

  it('stores bucket ACLs in the bucket row and object ACLs in the version row', async () => {
    const h = db();
    const { acls } = services(h);
    const bucket = await newBucket(h);
    expect((await acls.getBucketAcl(bucket.name)).grants).toEqual(
      cannedAclGrants('private', 'owner-1', 'owner-1'),
    );
    const publicRead = cannedAclGrants('public-read', 'owner-1', 'owner-1');
    await acls.putBucketAcl(bucket.name, publicRead);
    expect((await acls.getBucketAcl(bucket.name)).grants).toEqual(publicRead);
    expect((await h.buckets.findByName(bucket.name))?.acl).toBe(encodeStoredAcl(publicRead));

    await putKeys(h, bucket.id, ['doc.txt']);
    const object = await acls.getObjectAcl(bucket.name, 'doc.txt', undefined);
    expect(object).toEqual({
      acl: { owner: { id: expect.any(String) }, grants: expect.any(Array) },
      versionId: 'null',
    });
    await acls.putObjectAcl(bucket.name, 'doc.txt', undefined, publicRead);
    // Read back through both lookups: the raw-SQL current-version path and the ORM version path.
    expect((await acls.objectAcl(bucket, 'doc.txt'))?.grants).toEqual(publicRead);
    expect((await acls.objectAcl(bucket, 'doc.txt', 'null'))?.grants).toEqual(publicRead);
    expect(await acls.objectAcl(bucket, 'missing.txt')).toBeNull();
    await expect(acls.getObjectAcl(bucket.name, 'missing.txt', undefined)).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
  });

  it('writes an ACL given at insert time (PutObject with x-amz-acl)', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const acl = encodeStoredAcl(cannedAclGrants('authenticated-read', 'owner-1', 'owner-1'));
    await h.uow.run((tx) =>
      h.objects.putCurrent(
        tx,
        {
          bucketId: bucket.id,
          key: 'with-acl',
          versionId: 'null',
          isDeleteMarker: false,
          size: 1,
          etag: 'e',
          ownerId: 'owner-1',
          storageClass: 'STANDARD',
          lastModified: new Date(),
          acl,
        },
        { replaceNullVersion: true },
      ),
    );
    expect((await h.objects.findCurrent(bucket.id, 'with-acl'))?.acl).toBe(acl);
  });
});
