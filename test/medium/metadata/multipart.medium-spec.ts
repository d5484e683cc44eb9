import type { MultipartPart, NewMultipartUpload } from '@myfsio/metadata';
import { describeEachDialect } from '../support/db-matrix';
import { newBucket, useMetadataDb, type MetadataHarness } from './harness';

let uploadCounter = 0;

function upload(bucketId: string, key: string, patch: Partial<NewMultipartUpload> = {}): NewMultipartUpload {
  uploadCounter++;
  return {
    uploadId: `upload-${String(uploadCounter).padStart(6, '0')}`,
    bucketId,
    key,
    ownerId: 'owner',
    storageClass: 'STANDARD',
    metadata: { contentType: 'text/plain', userMetadata: { a: 'b' }, tags: { t: '1' } },
    ...patch,
  };
}

function part(uploadId: string, partNumber: number, patch: Partial<MultipartPart> = {}): MultipartPart {
  return {
    uploadId,
    partNumber,
    size: 5 * 1024 * 1024,
    etag: `etag-${partNumber}`,
    checksums: null,
    lastModified: new Date(1_700_000_000_000 + partNumber),
    ...patch,
  };
}

async function listAllUploads(h: MetadataHarness, bucketId: string, maxUploads: number, delimiter?: string) {
  const seen: string[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await h.multipart.listUploads({
      bucketId,
      prefix: '',
      delimiter,
      keyMarker,
      uploadIdMarker,
      maxUploads,
    });
    seen.push(
      ...page.uploads.map((u) => `${u.key}#${u.uploadId}`),
      ...page.commonPrefixes.map((p) => `[${p}]`),
    );
    if (!page.isTruncated) {
      return seen;
    }
    keyMarker = page.nextKeyMarker!;
    uploadIdMarker = page.nextUploadIdMarker ?? undefined;
  }
  throw new Error('listing did not end');
}

describeEachDialect('MultipartRepository', (entry) => {
  const db = useMetadataDb(entry);

  it('creates and finds an upload with its metadata', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const created = await h.multipart.create(
      null,
      upload(bucket.id, 'big.bin', {
        checksumAlgorithm: 'CRC32',
        checksumType: 'COMPOSITE',
        initiatedAt: new Date(1_700_000_000_555),
      }),
    );
    expect(await h.multipart.find(created.uploadId)).toEqual(created);
    expect(created).toMatchObject({
      checksumAlgorithm: 'CRC32',
      checksumType: 'COMPOSITE',
      initiatedAt: new Date(1_700_000_000_555),
    });
    expect(await h.multipart.find('nope')).toBeNull();
  });

  it('replaces a part uploaded again under the same number', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const u = await h.multipart.create(null, upload(bucket.id, 'k'));
    await h.multipart.putPart(null, part(u.uploadId, 2));
    await h.multipart.putPart(null, part(u.uploadId, 1));
    const replaced = part(u.uploadId, 2, {
      etag: 'second-try',
      size: 6 * 1024 ** 3,
      checksums: { CRC32: 'AAAAAA==' },
    });
    expect(await h.multipart.putPart(null, replaced)).toEqual(replaced);

    const parts = await h.multipart.allParts(u.uploadId);
    expect(parts.map((p) => [p.partNumber, p.etag])).toEqual([
      [1, 'etag-1'],
      [2, 'second-try'],
    ]);
    expect(parts[1]).toEqual(replaced);
  });

  it('pages parts by part number marker', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const u = await h.multipart.create(null, upload(bucket.id, 'k'));
    for (const n of [1, 2, 3, 10, 10000]) {
      await h.multipart.putPart(null, part(u.uploadId, n));
    }
    const first = await h.multipart.listParts(u.uploadId, { maxParts: 2 });
    expect(first.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(first).toMatchObject({ isTruncated: true, nextPartNumberMarker: 2 });
    const second = await h.multipart.listParts(u.uploadId, { partNumberMarker: 2, maxParts: 3 });
    expect(second.parts.map((p) => p.partNumber)).toEqual([3, 10, 10000]);
    expect(second).toMatchObject({ isTruncated: false, nextPartNumberMarker: null });
    expect(await h.multipart.listParts(u.uploadId, { maxParts: 0 })).toEqual({
      parts: [],
      isTruncated: false,
      nextPartNumberMarker: null,
    });
  });

  it('lets exactly one of a concurrent complete and abort delete the upload', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const u = await h.multipart.create(null, upload(bucket.id, 'k'));
    await h.multipart.putPart(null, part(u.uploadId, 1));
    const outcomes = await Promise.all([
      h.uow.run((tx) => h.multipart.delete(tx, u.uploadId)),
      h.uow.run((tx) => h.multipart.delete(tx, u.uploadId)),
      h.multipart.delete(null, u.uploadId),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await h.multipart.find(u.uploadId)).toBeNull();
    expect(await h.multipart.allParts(u.uploadId)).toEqual([]);
  });

  it('returns null for a part of an upload that is gone, keeping the caller transaction usable', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const u = await h.multipart.create(null, upload(bucket.id, 'k'));
    await h.multipart.delete(null, u.uploadId);
    expect(await h.multipart.putPart(null, part(u.uploadId, 1))).toBeNull();
    await h.uow.run(async (tx) => {
      expect(await h.multipart.putPart(tx, part(u.uploadId, 1))).toBeNull();
      expect(await h.multipart.find('still-usable', tx)).toBeNull();
    });
  });

  it('lists uploads by key then initiation time, with markers and delimiter', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const at = (ms: number) => new Date(1_700_000_000_000 + ms);
    const made: string[] = [];
    for (const [key, t] of [
      ['b', 5],
      ['a', 9],
      ['b', 1],
      ['dir/x', 2],
      ['dir/y', 3],
      ['é', 4],
    ] as const) {
      const u = await h.multipart.create(null, upload(bucket.id, key, { initiatedAt: at(t) }));
      made.push(`${key}#${u.uploadId}`);
    }
    const [bLate, a, bEarly, dirX, dirY, e] = made;
    expect(await listAllUploads(h, bucket.id, 1000)).toEqual([a, bEarly, bLate, dirX, dirY, e]);
    for (const size of [1, 2, 4]) {
      expect(await listAllUploads(h, bucket.id, size)).toEqual([a, bEarly, bLate, dirX, dirY, e]);
    }

    const rolled = await h.multipart.listUploads({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxUploads: 3,
    });
    expect(rolled.uploads.map((u) => u.key)).toEqual(['a', 'b', 'b']);
    expect(rolled).toMatchObject({ commonPrefixes: [], isTruncated: true, nextKeyMarker: 'b' });
    const rest = await h.multipart.listUploads({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      keyMarker: rolled.nextKeyMarker!,
      uploadIdMarker: rolled.nextUploadIdMarker!,
      maxUploads: 3,
    });
    expect(rest.uploads.map((u) => u.key)).toEqual(['é']);
    expect(rest.commonPrefixes).toEqual(['dir/']);

    const under = await h.multipart.listUploads({ bucketId: bucket.id, prefix: 'dir/', maxUploads: 10 });
    expect(under.uploads.map((u) => u.key)).toEqual(['dir/x', 'dir/y']);
  });

  it('finds abandoned uploads by initiation time', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const old = await h.multipart.create(null, upload(bucket.id, 'old', { initiatedAt: new Date(1000) }));
    await h.multipart.create(null, upload(bucket.id, 'new', { initiatedAt: new Date(3_000_000_000_000) }));
    const stale = await h.multipart.listInitiatedBefore(new Date(2000), 10);
    expect(stale.map((u) => u.uploadId)).toEqual([old.uploadId]);
  });
});
