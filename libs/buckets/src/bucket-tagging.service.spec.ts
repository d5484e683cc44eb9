import { S3Error } from '@myfsio/common';
import type { Bucket, BucketConfigRepository } from '@myfsio/metadata';
import { BucketTaggingService, validateBucketTags } from './bucket-tagging.service';
import type { BucketsService } from './buckets.service';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof S3Error ? err.code : 'not an S3Error';
  }
}

/** A service over an in-memory config table for one bucket. */
function setup() {
  const docs = new Map<string, string>();
  const configs = {
    get: (_b: string, kind: string) =>
      Promise.resolve(
        docs.has(kind) ? { bucketId: 'b1', kind, document: docs.get(kind), updatedAt: new Date() } : null,
      ),
    put: (_tx: unknown, _b: string, kind: string, document: string) => {
      docs.set(kind, document);
      return Promise.resolve();
    },
    delete: (_tx: unknown, _b: string, kind: string) => Promise.resolve(docs.delete(kind)),
  } as unknown as BucketConfigRepository;
  const buckets = {
    require: () => Promise.resolve({ id: 'b1', name: 'bkt' } as Bucket),
  } as unknown as BucketsService;
  return { service: new BucketTaggingService(buckets, configs), docs };
}

describe('validateBucketTags', () => {
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));

  it.each([
    ['no tags', {}],
    ['50 tags', fifty],
    ['an empty value', { k: '' }],
    ['the allowed punctuation and Unicode', { 'a b+c-d=e.f_g:h/i@j': 'ü 1' }],
    ['a 128-character key and a 256-character value', { ['k'.repeat(128)]: 'v'.repeat(256) }],
  ])('accepts %s', (_name, tags) => {
    expect(codeOf(() => validateBucketTags(tags))).toBeUndefined();
  });

  it.each([
    ['51 tags', { ...fifty, extra: 'v' }],
    ['an empty key', { '': 'v' }],
    ['a key prefixed with aws:', { 'AWS:team': 'v' }],
    ['a 129-character key', { ['k'.repeat(129)]: 'v' }],
    ['a 257-character value', { k: 'v'.repeat(257) }],
    ['a forbidden character', { 'k#': 'v' }],
  ])('returns InvalidTag for %s', (_name, tags) => {
    expect(codeOf(() => validateBucketTags(tags))).toBe('InvalidTag');
  });
});

describe('BucketTaggingService', () => {
  it('returns NoSuchTagSet for a bucket without tags', async () => {
    const { service } = setup();
    await expect(service.getTags('bkt')).rejects.toMatchObject({ code: 'NoSuchTagSet' });
  });

  it('stores, returns and deletes the tag set', async () => {
    const { service, docs } = setup();
    await service.putTags('bkt', { team: 'a', env: 'dev' });
    await expect(service.getTags('bkt')).resolves.toEqual({ team: 'a', env: 'dev' });
    await service.deleteTags('bkt');
    expect(docs.size).toBe(0);
    await expect(service.getTags('bkt')).rejects.toMatchObject({ code: 'NoSuchTagSet' });
  });

  it('removes the tag set when an empty one is put', async () => {
    const { service, docs } = setup();
    await service.putTags('bkt', { team: 'a' });
    await service.putTags('bkt', {});
    expect(docs.size).toBe(0);
  });

  it('keeps the stored set when a put is refused', async () => {
    const { service } = setup();
    await service.putTags('bkt', { team: 'a' });
    await expect(service.putTags('bkt', { 'aws:x': '1' })).rejects.toMatchObject({ code: 'InvalidTag' });
    await expect(service.getTags('bkt')).resolves.toEqual({ team: 'a' });
  });
});
