import { DuplicateError } from '@myfsio/metadata';
import { describeEachDialect } from '../support/db-matrix';
import { newBucket, putKeys, useMetadataDb, version } from './harness';

describeEachDialect('BucketRepository', (entry) => {
  const db = useMetadataDb(entry);

  it('creates a bucket with defaults and finds it by name and id', async () => {
    const h = db();
    const created = await h.buckets.create(null, {
      name: 'photos-2024',
      ownerId: 'user-1',
      region: 'eu-west-1',
      createdAt: new Date(1_700_000_000_001),
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'photos-2024',
      ownerId: 'user-1',
      region: 'eu-west-1',
      createdAt: new Date(1_700_000_000_001),
      versioning: 'Unversioned',
      objectLockEnabled: false,
      acl: null,
    });
    expect(await h.buckets.findByName('photos-2024')).toEqual(created);
    expect(await h.buckets.findById(created.id)).toEqual(created);
    expect(await h.buckets.findByName('photos-2025')).toBeNull();
  });

  it('throws DuplicateError for a taken name, and leaves the caller transaction usable', async () => {
    const h = db();
    await h.buckets.create(null, { name: 'dup-name', ownerId: 'a', region: 'r' });
    await expect(h.buckets.create(null, { name: 'dup-name', ownerId: 'b', region: 'r' })).rejects.toEqual(
      new DuplicateError('bucket', 'dup-name'),
    );
    await h.uow.run(async (tx) => {
      await expect(
        h.buckets.create(tx, { name: 'dup-name', ownerId: 'b', region: 'r' }),
      ).rejects.toBeInstanceOf(DuplicateError);
      await h.buckets.create(tx, { name: 'dup-name-2', ownerId: 'b', region: 'r' });
    });
    expect(await h.buckets.findByName('dup-name-2')).not.toBeNull();
  });

  it('compares names exactly, whatever the server collation', async () => {
    const h = db();
    await h.buckets.create(null, { name: 'case-bucket', ownerId: 'a', region: 'r' });
    expect(await h.buckets.findByName('CASE-BUCKET')).toBeNull();
    expect(await h.buckets.findByName('case-bucket ')).toBeNull();
  });

  it('lists by name in byte order with prefix, after-name and limit', async () => {
    const h = db();
    for (const name of ['lst-b', 'lst-a.c', 'lst-a-c', 'lst-ab', 'lst0']) {
      await h.buckets.create(null, { name, ownerId: 'o', region: 'r' });
    }
    const all = await h.buckets.list({ prefix: 'lst', limit: 100 });
    expect(all.map((b) => b.name)).toEqual(['lst-a-c', 'lst-a.c', 'lst-ab', 'lst-b', 'lst0']);
    const page = await h.buckets.list({ prefix: 'lst-', afterName: 'lst-a.c', limit: 1 });
    expect(page.map((b) => b.name)).toEqual(['lst-ab']);
  });

  it('updates versioning, object lock and ACL', async () => {
    const h = db();
    const bucket = await newBucket(h);
    expect(
      await h.buckets.update(null, bucket.id, {
        versioning: 'Enabled',
        objectLockEnabled: true,
        acl: '{"grants":[]}',
      }),
    ).toBe(true);
    expect(await h.buckets.findById(bucket.id)).toMatchObject({
      versioning: 'Enabled',
      objectLockEnabled: true,
      acl: '{"grants":[]}',
    });
    expect(await h.buckets.update(null, 'no-such-id', { versioning: 'Suspended' })).toBe(false);
    expect(await h.buckets.update(null, bucket.id, {})).toBe(true);
  });

  it('reports what a bucket holds with separate flags', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    expect(await h.buckets.hasObjects(bucket.id)).toEqual({
      hasCurrentObjects: false,
      hasVersions: false,
      hasUploads: false,
    });

    await h.uow.run((tx) =>
      h.objects.putCurrent(tx, version(bucket.id, 'k', { versionId: 'dm', isDeleteMarker: true }), {
        replaceNullVersion: false,
      }),
    );
    expect(await h.buckets.hasObjects(bucket.id)).toEqual({
      hasCurrentObjects: false,
      hasVersions: true,
      hasUploads: false,
    });

    await h.multipart.create(null, {
      uploadId: `u-${bucket.id}`,
      bucketId: bucket.id,
      key: 'k',
      ownerId: 'o',
      storageClass: 'STANDARD',
      metadata: { userMetadata: {} },
    });
    await putKeys(h, bucket.id, ['live']);
    expect(await h.buckets.hasObjects(bucket.id)).toEqual({
      hasCurrentObjects: true,
      hasVersions: true,
      hasUploads: true,
    });
  });

  it('deletes a bucket with everything under it', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await putKeys(h, bucket.id, ['a', 'b']);
    await h.configs.put(null, bucket.id, 'policy', '{}');
    expect(await h.buckets.delete(null, bucket.id)).toBe(true);
    expect(await h.buckets.delete(null, bucket.id)).toBe(false);
    expect(await h.buckets.findById(bucket.id)).toBeNull();
    expect(await h.objects.findCurrent(bucket.id, 'a')).toBeNull();
    expect(await h.configs.get(bucket.id, 'policy')).toBeNull();
  });
});
