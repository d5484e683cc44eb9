import type { BucketsService } from '@myfsio/buckets';
import { S3Error } from '@myfsio/common';
import type { AppConfig } from '@myfsio/config';
import type { Bucket, ObjectVersion, ObjectVersionPatch, ObjectVersionRepository } from '@myfsio/metadata';
import { ObjectReaderService } from './object-reader';
import { ObjectTaggingService } from './object-tagging.service';
import { ObjectLocks } from './object-writer';

const BUCKET: Bucket = {
  id: 'b1',
  name: 'bkt',
  ownerId: 'o',
  region: 'us-east-1',
  createdAt: new Date(0),
  versioning: 'Unversioned',
  objectLockEnabled: false,
  acl: null,
};

function row(over: Partial<ObjectVersion>): ObjectVersion {
  return {
    id: 'r1',
    key: 'k',
    versionId: 'null',
    isLatest: true,
    isDeleteMarker: false,
    tags: null,
    ...over,
  } as ObjectVersion;
}

/** A service over in-memory rows (keyed by version id) of one key, `k`. */
function setup(rows: ObjectVersion[], bucket: Bucket = BUCKET) {
  const updates: { id: string; patch: ObjectVersionPatch }[] = [];
  const versions = {
    findCurrent: (_b: string, key: string) =>
      Promise.resolve(rows.find((r) => r.key === key && r.isLatest) ?? null),
    findVersion: (_b: string, key: string, versionId: string) =>
      Promise.resolve(rows.find((r) => r.key === key && r.versionId === versionId) ?? null),
    update: (_tx: unknown, id: string, patch: ObjectVersionPatch) => {
      updates.push({ id, patch });
      return Promise.resolve(rows.some((r) => r.id === id));
    },
  } as unknown as ObjectVersionRepository;
  const config = { storage: { objectTagLimit: 3 } } as AppConfig;
  const buckets = { require: () => Promise.resolve(bucket) } as unknown as BucketsService;
  const reader = new ObjectReaderService(null as never, versions);
  const service = new ObjectTaggingService(config, buckets, versions, reader, new ObjectLocks());
  return { service, updates };
}

const target = (query = '') => ({ bucket: 'bkt', key: 'k', query: new URLSearchParams(query) });

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof S3Error ? err.code : 'not an S3Error';
  }
}

describe('ObjectTaggingService', () => {
  it('returns an empty tag set for an untagged object and no version id when unversioned', async () => {
    const { service } = setup([row({})]);
    await expect(service.getTags(target())).resolves.toEqual({ tags: {}, versionId: null });
  });

  it('reports the version id of a named version in a versioned bucket', async () => {
    const rows = [
      row({ id: 'r2', versionId: 'v2', tags: { a: '1' } }),
      row({ id: 'r1', versionId: 'v1', isLatest: false }),
    ];
    const { service } = setup(rows, { ...BUCKET, versioning: 'Enabled' });
    await expect(service.getTags(target())).resolves.toEqual({ tags: { a: '1' }, versionId: 'v2' });
    await expect(service.getTags(target('versionId=v1'))).resolves.toEqual({ tags: {}, versionId: 'v1' });
  });

  it('stores a put tag set on the selected row, and null for an empty set', async () => {
    const { service, updates } = setup([row({})]);
    await service.putTags(target(), { a: '1' });
    await service.putTags(target(), {});
    expect(updates).toEqual([
      { id: 'r1', patch: { tags: { a: '1' } } },
      { id: 'r1', patch: { tags: null } },
    ]);
  });

  it('clears the tags on delete', async () => {
    const { service, updates } = setup([row({ tags: { a: '1' } })]);
    await expect(service.deleteTags(target())).resolves.toEqual({ tags: {}, versionId: null });
    expect(updates).toEqual([{ id: 'r1', patch: { tags: null } }]);
  });

  it('returns InvalidTag above OBJECT_TAG_LIMIT and for aws: keys, writing nothing', async () => {
    const { service, updates } = setup([row({})]);
    expect(await codeOf(service.putTags(target(), { a: '', b: '', c: '', d: '' }))).toBe('InvalidTag');
    expect(await codeOf(service.putTags(target(), { 'aws:x': '1' }))).toBe('InvalidTag');
    expect(await codeOf(service.putTags(target(), { ['k'.repeat(129)]: '1' }))).toBe('InvalidTag');
    expect(await codeOf(service.putTags(target(), { k: 'v'.repeat(257) }))).toBe('InvalidTag');
    expect(updates).toEqual([]);
  });

  it('returns NoSuchKey, NoSuchVersion and InvalidArgument for what it cannot find', async () => {
    const { service } = setup([row({ key: 'other' })]);
    expect(await codeOf(service.getTags(target()))).toBe('NoSuchKey');
    expect(await codeOf(service.putTags(target('versionId=v9'), {}))).toBe('NoSuchVersion');
    expect(await codeOf(service.deleteTags(target('versionId=')))).toBe('InvalidArgument');
  });

  it('returns NoSuchKey when the current version is a delete marker', async () => {
    const { service } = setup([row({ isDeleteMarker: true })]);
    expect(await codeOf(service.getTags(target()))).toBe('NoSuchKey');
  });
});
