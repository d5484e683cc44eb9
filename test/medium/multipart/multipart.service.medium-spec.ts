import { createHasher } from '@myfsio/common';
import type { CompletedPart } from '@myfsio/multipart';
import { ObjectStore } from '@myfsio/storage';
import { PassThrough, Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import {
  createHarness,
  errorCode,
  md5Hex,
  multipartEtag,
  OWNER,
  partInput,
  target,
  type MultipartHarness,
} from './harness';
import { eventually } from '../../support/eventually';

const BUCKET = 'medium-multipart';
const MIN = 8;

async function digest(algorithm: 'CRC32' | 'CRC64NVME' | 'SHA256', data: Buffer | string): Promise<string> {
  const h = createHasher(algorithm);
  h.update(Buffer.from(data));
  return (await h.digest()).toString('base64');
}

describe('MultipartService (SQLite + file system)', () => {
  let h: MultipartHarness;

  beforeAll(async () => {
    h = await createHarness({ MULTIPART_MIN_PART_SIZE: String(MIN), MAX_UPLOAD_SIZE: '1000' });
    await h.buckets.create({ name: BUCKET, ownerId: OWNER });
  });
  afterAll(() => h.close());

  async function create(key: string, headers: Record<string, string> = {}): Promise<string> {
    const { uploadId } = await h.multipart.createMultipartUpload({
      bucket: BUCKET,
      key,
      headers,
      ownerId: OWNER,
    });
    return uploadId;
  }

  async function upload(key: string, uploadId: string, parts: string[], first = 1): Promise<CompletedPart[]> {
    const out: CompletedPart[] = [];
    for (const [i, data] of parts.entries()) {
      const res = await h.multipart.uploadPart(partInput(BUCKET, key, uploadId, first + i, data));
      out.push({ partNumber: first + i, etag: `"${res.etag}"`, checksums: {} });
    }
    return out;
  }

  function complete(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    headers: Record<string, string> = {},
  ) {
    return h.multipart.completeMultipartUpload({ ...target(BUCKET, key, uploadId), parts, headers });
  }

  const uploadDir = (id: string) => join(h.root, '.myfsio.sys', 'multipart', id);

  it('uploads, lists and completes: the plain file is the object, with a composite ETag and part reads', async () => {
    const key = 'videos/movie.bin';
    const uploadId = await create(key, {
      'content-type': 'video/mp4',
      'x-amz-meta-color': 'blue',
      'x-amz-tagging': 'a=1',
      'x-amz-storage-class': 'STANDARD_IA',
    });
    expect(uploadId).toMatch(/^[0-9a-zA-Z_-]{34}$/);
    const data = ['aaaaaaaaaa', 'bbbbbbbbbb', 'ccc'];
    const parts = await upload(key, uploadId, data);
    expect(parts[0]!.etag).toBe(`"${md5Hex('aaaaaaaaaa')}"`);

    const listed = await h.multipart.listParts(target(BUCKET, key, uploadId, { 'max-parts': '2' }));
    expect(listed.page.parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, 10],
      [2, 10],
    ]);
    expect(listed.page).toMatchObject({ isTruncated: true, nextPartNumberMarker: 2 });
    expect(listed.upload).toMatchObject({ storageClass: 'STANDARD_IA', ownerId: OWNER });

    const done = await complete(key, uploadId, parts);
    expect(done).toEqual({ etag: multipartEtag(data), size: 23, checksum: null, versionId: null });
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe(data.join(''));
    // Part files go right after the completion answers.
    await eventually(() => !existsSync(uploadDir(uploadId)));
    expect(await errorCode(h.multipart.listParts(target(BUCKET, key, uploadId)))).toBe('NoSuchUpload');

    const read = (query: string) =>
      h.objects.getObject({ bucket: BUCKET, key, headers: {}, query: new URLSearchParams(query) });
    const whole = await read('');
    expect((await buffer(whole.body)).toString()).toBe(data.join(''));
    expect(whole.headers).toMatchObject({
      ETag: `"${multipartEtag(data)}"`,
      'Content-Type': 'video/mp4',
      'x-amz-meta-color': 'blue',
      'x-amz-tagging-count': '1',
      'x-amz-storage-class': 'STANDARD_IA',
    });
    expect(whole.headers['x-amz-mp-parts-count']).toBeUndefined();
    const second = await read('partNumber=2');
    expect(second.status).toBe(206);
    expect((await buffer(second.body)).toString()).toBe('bbbbbbbbbb');
    expect(second.headers).toMatchObject({ 'Content-Range': 'bytes 10-19/23', 'x-amz-mp-parts-count': '3' });
    const head = await h.objects.headObject({
      bucket: BUCKET,
      key,
      headers: {},
      query: new URLSearchParams('partNumber=3'),
    });
    expect(head.headers).toMatchObject({ 'Content-Length': '3', 'Content-Range': 'bytes 20-22/23' });
    await expect(read('partNumber=4')).rejects.toMatchObject({
      code: 'InvalidPartNumber',
      status: 416,
      message: 'The requested partnumber is not satisfiable',
    });
  });

  it('replaces a part uploaded again and completes with the latest bytes', async () => {
    const key = 'replaced';
    const uploadId = await create(key);
    await upload(key, uploadId, ['old-old-old']);
    const parts = await upload(key, uploadId, ['new-new-new', 'x']);
    expect((await h.multipart.listParts(target(BUCKET, key, uploadId))).page.parts).toHaveLength(2);
    await complete(key, uploadId, parts);
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('new-new-newx');
  });

  it('refuses bad completions with S3 errors and keeps the upload intact for a retry', async () => {
    const key = 'bad/completions';
    const uploadId = await create(key);
    const parts = await upload(key, uploadId, ['0123456789', 'small', '0123456789']);
    const [p1, p2, p3] = parts as [CompletedPart, CompletedPart, CompletedPart];
    expect(await errorCode(complete(key, uploadId, []))).toBe('MalformedXML');
    expect(await errorCode(complete(key, uploadId, [p2, p1]))).toBe('InvalidPartOrder');
    expect(await errorCode(complete(key, uploadId, [p1, { ...p2, etag: '"0123"' }]))).toBe('InvalidPart');
    expect(await errorCode(complete(key, uploadId, [p1, { ...p3, partNumber: 4 }]))).toBe('InvalidPart');
    expect(await errorCode(complete(key, uploadId, [p1, p2, p3]))).toBe('EntityTooSmall');
    expect(await errorCode(complete(key, 'nope', [p1]))).toBe('NoSuchUpload');
    expect(await errorCode(complete('other-key', uploadId, [p1]))).toBe('NoSuchUpload');
    expect(existsSync(join(h.root, BUCKET, key))).toBe(false);
    // The three parts are still recorded where they were written (slab regions here).
    const names = await readdir(uploadDir(uploadId));
    expect(names.filter((n) => /^\d+\.[0-9a-f]{32}(\.slab)?$/.test(n))).toHaveLength(3);
    expect(names).not.toContain('slab.sealed');
    // Unquoted ETags, and a subset of the parts: the small part 2 may be the last one.
    await complete(key, uploadId, [p1, { ...p2, etag: p2.etag.replace(/"/g, '') }]);
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('0123456789small');
    expect(await errorCode(complete(key, uploadId, [p1]))).toBe('NoSuchUpload');
  });

  it('validates part uploads: number range, unknown upload, size limit, Content-MD5', async () => {
    const key = 'parts/errors';
    const uploadId = await create(key);
    for (const n of [0, 10001]) {
      const input = partInput(BUCKET, key, uploadId, 1, 'x');
      input.query.set('partNumber', String(n));
      expect(await errorCode(h.multipart.uploadPart(input))).toBe('InvalidArgument');
    }
    expect(await errorCode(h.multipart.uploadPart(partInput(BUCKET, key, 'VXBsb2Fk', 1, 'x')))).toBe(
      'NoSuchUpload',
    );
    expect(await errorCode(h.multipart.uploadPart(partInput('no-such-bucket', key, uploadId, 1, 'x')))).toBe(
      'NoSuchBucket',
    );
    expect(
      await errorCode(h.multipart.uploadPart(partInput(BUCKET, key, uploadId, 1, 'x'.repeat(1001)))),
    ).toBe('EntityTooLarge');
    const badMd5 = partInput(BUCKET, key, uploadId, 1, 'hello', {
      'content-md5': Buffer.alloc(16).toString('base64'),
    });
    expect(await errorCode(h.multipart.uploadPart(badMd5))).toBe('BadDigest');
    const goodMd5 = partInput(BUCKET, key, uploadId, 1, 'hello', {
      'content-md5': Buffer.from(md5Hex('hello'), 'hex').toString('base64'),
    });
    expect((await h.multipart.uploadPart(goodMd5)).etag).toBe(md5Hex('hello'));
    expect((await h.multipart.listParts(target(BUCKET, key, uploadId))).page.parts).toHaveLength(1);
    expect(await readdir(join(h.root, '.myfsio.sys', 'tmp'))).toEqual([]);
  });

  it('answers NoSuchUpload to a part whose upload is aborted while its body arrives', async () => {
    const key = 'aborted-midway';
    const uploadId = await create(key);
    await upload(key, uploadId, ['0123456789']);
    const body = new PassThrough();
    const pending = h.multipart.uploadPart({
      ...partInput(BUCKET, key, uploadId, 2, ''),
      body,
      bodyLength: 10,
    });
    body.write('01234');
    // The part is being written into its slab region when the upload goes away.
    await eventually(async () => (await readdir(uploadDir(uploadId))).includes('2.claim'));
    await h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId));
    body.end('56789');
    expect(await errorCode(pending)).toBe('NoSuchUpload');
    expect(existsSync(uploadDir(uploadId))).toBe(false);
  });

  it('aborts: 204 semantics, parts removed, then NoSuchUpload', async () => {
    const key = 'aborted';
    const uploadId = await create(key);
    await upload(key, uploadId, ['abc', 'def']);
    expect(await errorCode(h.multipart.abortMultipartUpload(target(BUCKET, 'wrong', uploadId)))).toBe(
      'NoSuchUpload',
    );
    await h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId));
    expect(existsSync(uploadDir(uploadId))).toBe(false);
    expect(await errorCode(h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId)))).toBe(
      'NoSuchUpload',
    );
    expect(await errorCode(h.multipart.uploadPart(partInput(BUCKET, key, uploadId, 1, 'x')))).toBe(
      'NoSuchUpload',
    );
  });

  it('COMPOSITE CRC32: per-part checksums, composite object checksum, checks on mismatch', async () => {
    const key = 'checksums/composite';
    const { uploadId, checksum } = await h.multipart.createMultipartUpload({
      bucket: BUCKET,
      key,
      headers: { 'x-amz-checksum-algorithm': 'CRC32' },
      ownerId: OWNER,
    });
    expect(checksum).toEqual({ algorithm: 'CRC32', type: 'COMPOSITE' });
    const data = ['0123456789', 'tail'];
    const wrong = partInput(BUCKET, key, uploadId, 1, data[0]!, {
      'x-amz-checksum-crc32': await digest('CRC32', 'x'),
    });
    expect(await errorCode(h.multipart.uploadPart(wrong))).toBe('BadDigest');
    const otherAlgo = partInput(BUCKET, key, uploadId, 1, data[0]!, {
      'x-amz-checksum-sha256': await digest('SHA256', data[0]!),
    });
    expect(await errorCode(h.multipart.uploadPart(otherAlgo))).toBe('InvalidRequest');
    const parts: CompletedPart[] = [];
    for (const [i, d] of data.entries()) {
      const crc = await digest('CRC32', d);
      const res = await h.multipart.uploadPart(
        partInput(BUCKET, key, uploadId, i + 1, d, { 'x-amz-checksum-crc32': crc }),
      );
      expect(res.checksumHeaders).toEqual({ 'x-amz-checksum-crc32': crc });
      parts.push({ partNumber: i + 1, etag: res.etag, checksums: { CRC32: crc } });
    }
    expect(await errorCode(complete(key, uploadId, [parts[0]!, { ...parts[1]!, checksums: {} }]))).toBe(
      'InvalidRequest',
    );
    expect(
      await errorCode(complete(key, uploadId, [{ ...parts[0]!, checksums: { CRC32: 'AAAAAA==' } }])),
    ).toBe('InvalidPart');
    const raw = Buffer.concat(
      await Promise.all(data.map(async (d) => Buffer.from(await digest('CRC32', d), 'base64'))),
    );
    const done = await complete(key, uploadId, parts);
    expect(done.checksum).toEqual({
      algorithm: 'CRC32',
      value: `${await digest('CRC32', raw)}-2`,
      type: 'COMPOSITE',
    });
    const head = await h.objects.headObject({
      bucket: BUCKET,
      key,
      headers: { 'x-amz-checksum-mode': 'ENABLED' },
      query: new URLSearchParams(),
    });
    expect(head.headers).toMatchObject({
      'x-amz-checksum-crc32': done.checksum!.value,
      'x-amz-checksum-type': 'COMPOSITE',
    });
  });

  it('FULL_OBJECT CRC64NVME: the object checksum is the CRC of the whole object', async () => {
    const key = 'checksums/full';
    const uploadId = await create(key, { 'x-amz-checksum-algorithm': 'CRC64NVME' });
    const data = ['first part.', 'second part'];
    const parts: CompletedPart[] = [];
    for (const [i, d] of data.entries()) {
      const res = await h.multipart.uploadPart(partInput(BUCKET, key, uploadId, i + 1, d));
      expect(res.checksumHeaders['x-amz-checksum-crc64nvme']).toBe(await digest('CRC64NVME', d));
      parts.push({ partNumber: i + 1, etag: res.etag, checksums: {} });
    }
    const whole = await digest('CRC64NVME', data.join(''));
    expect(
      await errorCode(
        complete(key, uploadId, parts, { 'x-amz-checksum-crc64nvme': await digest('CRC64NVME', 'x') }),
      ),
    ).toBe('BadDigest');
    expect(await errorCode(complete(key, uploadId, parts, { 'x-amz-checksum-type': 'COMPOSITE' }))).toBe(
      'BadDigest',
    );
    const done = await complete(key, uploadId, parts, { 'x-amz-checksum-crc64nvme': whole });
    expect(done.checksum).toEqual({ algorithm: 'CRC64NVME', value: whole, type: 'FULL_OBJECT' });
  });

  it('UploadPartCopy: whole source and ranges, with range and condition errors', async () => {
    await h.objects.putObject({
      bucket: BUCKET,
      key: 'copy/source',
      body: Readable.from([Buffer.from('0123456789abcdef')]),
      bodyLength: 16,
      isAwsChunked: false,
      trailers: Promise.resolve({}),
      headers: {},
      ownerId: OWNER,
    });
    const key = 'copy/target';
    const uploadId = await create(key);
    const copy = (partNumber: number, headers: Record<string, string>) =>
      h.multipart.uploadPartCopy({
        ...target(BUCKET, key, uploadId, { partNumber: String(partNumber) }),
        headers: { 'x-amz-copy-source': `/${BUCKET}/copy/source`, ...headers },
      });
    const first = await copy(1, { 'x-amz-copy-source-range': 'bytes=0-9' });
    expect(first.etag).toBe(md5Hex('0123456789'));
    expect(first.lastModified).toBeInstanceOf(Date);
    const second = await copy(2, {});
    expect(await errorCode(copy(3, { 'x-amz-copy-source-range': 'bytes=10-16' }))).toBe('InvalidRange');
    expect(await errorCode(copy(3, { 'x-amz-copy-source-range': 'bytes=9-2' }))).toBe('InvalidArgument');
    expect(await errorCode(copy(3, { 'x-amz-copy-source-if-match': '"nope"' }))).toBe('PreconditionFailed');
    expect(
      await errorCode(
        h.multipart.uploadPartCopy({
          ...target(BUCKET, key, uploadId, { partNumber: '3' }),
          headers: { 'x-amz-copy-source': `/${BUCKET}/copy/missing` },
        }),
      ),
    ).toBe('NoSuchKey');
    await complete(key, uploadId, [
      { partNumber: 1, etag: first.etag, checksums: {} },
      { partNumber: 2, etag: second.etag, checksums: {} },
    ]);
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('01234567890123456789abcdef');
  });

  it('honours If-None-Match: * and If-Match on completion without touching the upload', async () => {
    const key = 'conditional';
    const first = await create(key);
    await complete(key, first, await upload(key, first, ['v1']));
    const second = await create(key);
    const parts = await upload(key, second, ['v2']);
    expect(await errorCode(complete(key, second, parts, { 'if-none-match': '*' }))).toBe(
      'PreconditionFailed',
    );
    expect(await errorCode(complete(key, second, parts, { 'if-match': '"other"' }))).toBe(
      'PreconditionFailed',
    );
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('v1');
    await complete(key, second, parts, { 'if-match': `"${multipartEtag(['v1'])}"` });
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('v2');
    expect(
      await errorCode(complete('conditional-new', await create('conditional-new'), [], { 'if-match': '*' })),
    ).toBe('MalformedXML');
  });

  it('a concurrent complete and abort end in exactly one outcome', async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const key = `race/${round}`;
      const uploadId = await create(key);
      const parts = await upload(key, uploadId, ['0123456789', 'end']);
      const finishing = complete(key, uploadId, parts);
      // Abort a little later each round, so it lands before, during and after the completion.
      await new Promise((r) => setTimeout(r, round * 2));
      const [done, aborted] = await Promise.allSettled([
        finishing,
        h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId)),
      ]);
      const completed = done.status === 'fulfilled';
      expect(completed).toBe(aborted.status === 'rejected');
      expect(completed ? aborted : done).toMatchObject({
        status: 'rejected',
        reason: { code: 'NoSuchUpload' },
      });
      seen.add(completed ? 'complete' : 'abort');
      expect(existsSync(join(h.root, BUCKET, key))).toBe(completed);
      expect(await h.repo.find(uploadId)).toBeNull();
      await eventually(() => !existsSync(uploadDir(uploadId)));
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  /** Makes the next assembly stop at `stage` ('assemble' or 'publish') until released. */
  function pauseNextAssembly(stage: 'assemble' | 'publish') {
    const store = h.moduleRef.get(ObjectStore);
    const real = store.assembleParts.bind(store);
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    jest.spyOn(store, 'assembleParts').mockImplementationOnce(async (uploadId, parts) => {
      if (stage === 'assemble') {
        reached();
        await gate;
        return real(uploadId, parts);
      }
      const assembled = await real(uploadId, parts);
      return {
        size: assembled.size,
        discard: () => assembled.discard(),
        publish: async (bucket: string, key: string) => {
          reached();
          await gate;
          return assembled.publish(bucket, key);
        },
      };
    });
    return { reached: reachedP, release };
  }

  it('an abort during assembly wins; the completion then answers NoSuchUpload', async () => {
    const key = 'race/abort-first';
    const uploadId = await create(key);
    const parts = await upload(key, uploadId, ['0123456789', 'end']);
    const pause = pauseNextAssembly('assemble');
    const finishing = complete(key, uploadId, parts);
    await pause.reached;
    await h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId));
    pause.release();
    expect(await errorCode(finishing)).toBe('NoSuchUpload');
    expect(existsSync(join(h.root, BUCKET, key))).toBe(false);
    expect(await readdir(join(h.root, '.myfsio.sys', 'tmp'))).toEqual([]);
  });

  it('an abort after the completion claimed the upload answers NoSuchUpload', async () => {
    const key = 'race/complete-first';
    const uploadId = await create(key);
    const parts = await upload(key, uploadId, ['0123456789', 'end']);
    const pause = pauseNextAssembly('publish');
    const finishing = complete(key, uploadId, parts);
    // The completion is inside its transaction, holding the claim on the upload row.
    await pause.reached;
    const aborting = h.multipart.abortMultipartUpload(target(BUCKET, key, uploadId));
    await new Promise((r) => setTimeout(r, 20));
    pause.release();
    expect((await finishing).etag).toBe(multipartEtag(['0123456789', 'end']));
    expect(await errorCode(aborting)).toBe('NoSuchUpload');
    expect(await readFile(join(h.root, BUCKET, key), 'utf8')).toBe('0123456789end');
  });

  it('two concurrent completes: one wins, the other is NoSuchUpload', async () => {
    const key = 'race/double';
    const uploadId = await create(key);
    const parts = await upload(key, uploadId, ['0123456789', 'end']);
    const results = await Promise.allSettled([
      complete(key, uploadId, parts),
      complete(key, uploadId, parts),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'NoSuchUpload' } });
  });

  it('lists uploads in progress with prefix, delimiter, markers and truncation', async () => {
    const bucket = 'medium-multipart-list';
    await h.buckets.create({ name: bucket, ownerId: OWNER });
    const ids: Record<string, string> = {};
    for (const key of ['a/1', 'a/2', 'b', 'b', 'c/d/e']) {
      const { uploadId } = await h.multipart.createMultipartUpload({
        bucket,
        key,
        headers: {},
        ownerId: OWNER,
      });
      ids[`${key}#${Object.keys(ids).length}`] = uploadId;
    }
    const list = (query: string) =>
      h.multipart.listMultipartUploads({ bucket, query: new URLSearchParams(query) });
    const all = await list('');
    expect(all.page.uploads.map((u) => u.key)).toEqual(['a/1', 'a/2', 'b', 'b', 'c/d/e']);
    const rolled = await list('delimiter=/');
    expect(rolled.page.uploads.map((u) => u.key)).toEqual(['b', 'b']);
    expect(rolled.page.commonPrefixes).toEqual(['a/', 'c/']);
    expect((await list('prefix=c/&delimiter=/')).page.commonPrefixes).toEqual(['c/d/']);
    const page1 = await list('max-uploads=3');
    expect(page1.page).toMatchObject({ isTruncated: true, nextKeyMarker: 'b' });
    const page2 = await list(
      `max-uploads=3&key-marker=${page1.page.nextKeyMarker}&upload-id-marker=${page1.page.nextUploadIdMarker}`,
    );
    expect(page2.page.uploads.map((u) => u.key)).toEqual(['b', 'c/d/e']);
    expect(page2.page.isTruncated).toBe(false);
    expect(await errorCode(list('max-uploads=x'))).toBe('InvalidArgument');
    // A bucket with uploads in progress cannot be deleted.
    expect(await errorCode(h.buckets.delete(bucket))).toBe('BucketNotEmpty');
  });

  it('refuses invalid create requests', async () => {
    const create2 = (headers: Record<string, string>, key = 'k') =>
      h.multipart.createMultipartUpload({ bucket: BUCKET, key, headers, ownerId: OWNER });
    expect(await errorCode(create2({}, 'k'.repeat(1025)))).toBe('KeyTooLongError');
    expect(await errorCode(create2({ 'x-amz-meta-big': 'x'.repeat(2100) }))).toBe('MetadataTooLarge');
    expect(await errorCode(create2({ 'x-amz-storage-class': 'NOPE' }))).toBe('InvalidStorageClass');
    expect(await errorCode(create2({ 'x-amz-tagging': 'aws:x=1' }))).toBe('InvalidTag');
    expect(await errorCode(create2({ 'x-amz-checksum-algorithm': 'MD5' }))).toBe('InvalidRequest');
    expect(
      await errorCode(
        h.multipart.createMultipartUpload({ bucket: 'missing', key: 'k', headers: {}, ownerId: OWNER }),
      ),
    ).toBe('NoSuchBucket');
  });
});
