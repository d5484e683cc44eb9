import { BucketsService } from '@myfsio/buckets';
import { ObjectVersionRepository } from '@myfsio/metadata';
import { ObjectsService, type PutObjectInput } from '@myfsio/objects';
import type { TestingModule } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import { putObjectInput, startObjectServices } from '../support/object-services';

const BUCKET = 'medium-objects';
const OWNER = 'owner-1';

function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out.toString('base64');
}

function putInput(
  key: string,
  data: Buffer | string,
  headers: PutObjectInput['headers'] = {},
): PutObjectInput {
  return putObjectInput(BUCKET, key, data, headers, OWNER);
}

function readInput(key: string, headers: Record<string, string> = {}, query = '') {
  return { bucket: BUCKET, key, headers, query: new URLSearchParams(query) };
}

function deleteBody(keys: string[], quiet = false): { body: Readable; headers: Record<string, string> } {
  const xml = `<Delete>${quiet ? '<Quiet>true</Quiet>' : ''}${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
  return {
    body: Readable.from([Buffer.from(xml)]),
    headers: { 'content-md5': createHash('md5').update(xml).digest('base64') },
  };
}

describe('ObjectsService (SQLite + file system)', () => {
  let root: string;
  let moduleRef: TestingModule;
  let objects: ObjectsService;
  let versions: ObjectVersionRepository;
  let bucketId: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'myfsio-objects-'));
    moduleRef = await startObjectServices({
      root,
      env: { OBJECT_TAG_LIMIT: '10', BULK_DELETE_MAX_KEYS: '1000' },
    });
    objects = moduleRef.get(ObjectsService);
    versions = moduleRef.get(ObjectVersionRepository);
    bucketId = (await moduleRef.get(BucketsService).create({ name: BUCKET, ownerId: OWNER })).id;
  });

  afterAll(async () => {
    await moduleRef.close();
    await rm(root, { recursive: true, force: true });
  });

  async function getBytes(key: string, headers: Record<string, string> = {}, query = '') {
    const result = await objects.getObject(readInput(key, headers, query));
    return { ...result, bytes: await buffer(result.body) };
  }

  it('stores bytes at the plain path and reads them back with their headers', async () => {
    const put = await objects.putObject(
      putInput('docs/hello.txt', 'hello world', {
        'content-type': 'text/plain',
        'x-amz-meta-color': 'blue',
        'x-amz-tagging': 'a=1&b=2',
      }),
    );
    expect(put).toEqual({ etag: md5('hello world'), versionId: null, checksumHeaders: {} });
    expect(await readFile(join(root, BUCKET, 'docs/hello.txt'), 'utf8')).toBe('hello world');

    const got = await getBytes('docs/hello.txt');
    expect(got.status).toBe(200);
    expect(got.bytes.toString()).toBe('hello world');
    expect(got.headers).toMatchObject({
      ETag: `"${md5('hello world')}"`,
      'Content-Length': '11',
      'Content-Type': 'text/plain',
      'Accept-Ranges': 'bytes',
      'x-amz-meta-color': 'blue',
      'x-amz-tagging-count': '2',
    });
    expect(got.headers['x-amz-storage-class']).toBeUndefined();
    expect(got.headers['x-amz-version-id']).toBeUndefined();
  });

  it('serves a range as 206 and HEAD without opening the file', async () => {
    const got = await getBytes('docs/hello.txt', { range: 'bytes=6-' });
    expect(got.status).toBe(206);
    expect(got.bytes.toString()).toBe('world');
    expect(got.headers['Content-Range']).toBe('bytes 6-10/11');
    const head = await objects.headObject(readInput('docs/hello.txt', { range: 'bytes=0-4' }));
    expect(head.status).toBe(206);
    expect(head.headers['Content-Length']).toBe('5');
    await expect(
      objects.headObject(readInput('docs/hello.txt', { range: 'bytes=50-' })),
    ).rejects.toMatchObject({
      code: 'InvalidRange',
    });
  });

  it('answers 304 and 412 for read preconditions', async () => {
    const etag = `"${md5('hello world')}"`;
    await expect(
      objects.headObject(readInput('docs/hello.txt', { 'if-none-match': etag })),
    ).rejects.toMatchObject({
      code: 'NotModified',
    });
    await expect(
      objects.getObject(readInput('docs/hello.txt', { 'if-match': '"nope"' })),
    ).rejects.toMatchObject({
      code: 'PreconditionFailed',
    });
  });

  it('answers NoSuchKey when the row outlived its file (removed behind the gateway)', async () => {
    await objects.putObject(putInput('orphan-row', 'data'));
    await rm(join(root, BUCKET, 'orphan-row'));
    await expect(objects.getObject(readInput('orphan-row'))).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('serves partNumber=1 of a single-part object whole and refuses other parts', async () => {
    const got = await getBytes('docs/hello.txt', {}, 'partNumber=1');
    expect(got.status).toBe(200);
    expect(got.bytes.toString()).toBe('hello world');
    await expect(objects.headObject(readInput('docs/hello.txt', {}, 'partNumber=2'))).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });

  it('reads the null version by versionId and refuses unknown versions', async () => {
    expect((await getBytes('docs/hello.txt', {}, 'versionId=null')).bytes.toString()).toBe('hello world');
    await expect(objects.headObject(readInput('docs/hello.txt', {}, 'versionId=abc'))).rejects.toMatchObject({
      code: 'NoSuchVersion',
    });
  });

  it('overwrites an object: one row, new bytes', async () => {
    await objects.putObject(putInput('over', 'first'));
    await objects.putObject(putInput('over', 'second version'));
    const got = await getBytes('over');
    expect(got.bytes.toString()).toBe('second version');
    const row = await versions.findCurrent(bucketId, 'over');
    expect(row).toMatchObject({ versionId: 'null', etag: md5('second version'), size: 14 });
  });

  it('refuses If-None-Match: * on an existing key with 412 and keeps the old bytes', async () => {
    await objects.putObject(putInput('cond', 'original', { 'if-none-match': '*' }));
    await expect(
      objects.putObject(putInput('cond', 'intruder', { 'if-none-match': '*' })),
    ).rejects.toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
    expect((await getBytes('cond')).bytes.toString()).toBe('original');
    await expect(
      objects.putObject(putInput('cond-missing', 'x', { 'if-match': '"abc"' })),
    ).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
    await objects.putObject(putInput('cond', 'updated', { 'if-match': `"${md5('original')}"` }));
    expect((await getBytes('cond')).bytes.toString()).toBe('updated');
  });

  it('verifies Content-MD5 and checksums before anything becomes visible', async () => {
    const bad = createHash('md5').update('other').digest('base64');
    await expect(
      objects.putObject(putInput('digest', 'payload', { 'content-md5': bad })),
    ).rejects.toMatchObject({
      code: 'BadDigest',
    });
    await expect(objects.headObject(readInput('digest'))).rejects.toMatchObject({ code: 'NoSuchKey' });

    const data = Buffer.from('checksummed');
    const put = await objects.putObject(
      putInput('digest', data, { 'x-amz-checksum-crc32': crc32Base64(data) }),
    );
    expect(put.checksumHeaders['x-amz-checksum-crc32']).toBe(crc32Base64(data));
    const head = await objects.headObject(readInput('digest', { 'x-amz-checksum-mode': 'ENABLED' }));
    expect(head.headers['x-amz-checksum-crc32']).toBe(crc32Base64(data));
    expect((await objects.headObject(readInput('digest'))).headers['x-amz-checksum-crc32']).toBeUndefined();
    await expect(
      objects.putObject(putInput('digest', 'tampered', { 'x-amz-checksum-crc32': crc32Base64(data) })),
    ).rejects.toMatchObject({ code: 'BadDigest' });
  });

  it('refuses a body shorter than announced with IncompleteBody', async () => {
    const input = putInput('short', 'abc');
    await expect(objects.putObject({ ...input, bodyLength: 10 })).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
    await expect(objects.headObject(readInput('short'))).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('keeps row and file in agreement under concurrent writers of one key', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => `writer-${i}-`.repeat(i + 1));
    await Promise.all(bodies.map((b) => objects.putObject(putInput('race', b))));
    const got = await getBytes('race');
    expect(bodies).toContain(got.bytes.toString());
    expect(got.headers.ETag).toBe(`"${md5(got.bytes)}"`);
  });

  it('copies an object with its metadata, and refuses a self-copy without changes', async () => {
    const result = await objects.copyObject({
      bucket: BUCKET,
      key: 'copy/target.txt',
      headers: { 'x-amz-copy-source': `/${BUCKET}/docs%2Fhello.txt` },
      ownerId: OWNER,
    });
    expect(result.etag).toBe(md5('hello world'));
    const got = await getBytes('copy/target.txt');
    expect(got.bytes.toString()).toBe('hello world');
    expect(got.headers).toMatchObject({
      'Content-Type': 'text/plain',
      'x-amz-meta-color': 'blue',
      'x-amz-tagging-count': '2',
    });

    await expect(
      objects.copyObject({
        bucket: BUCKET,
        key: 'copy/target.txt',
        headers: { 'x-amz-copy-source': `${BUCKET}/copy/target.txt` },
        ownerId: OWNER,
      }),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });

    await objects.copyObject({
      bucket: BUCKET,
      key: 'copy/target.txt',
      headers: {
        'x-amz-copy-source': `${BUCKET}/copy/target.txt`,
        'x-amz-metadata-directive': 'REPLACE',
        'content-type': 'application/json',
        'x-amz-meta-shape': 'round',
      },
      ownerId: OWNER,
    });
    const replaced = await objects.headObject(readInput('copy/target.txt'));
    expect(replaced.headers['Content-Type']).toBe('application/json');
    expect(replaced.headers['x-amz-meta-shape']).toBe('round');
    expect(replaced.headers['x-amz-meta-color']).toBeUndefined();

    await expect(
      objects.copyObject({
        bucket: BUCKET,
        key: 'copy/other',
        headers: { 'x-amz-copy-source': `${BUCKET}/docs/hello.txt`, 'x-amz-copy-source-if-match': '"nope"' },
        ownerId: OWNER,
      }),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await expect(
      objects.copyObject({
        bucket: BUCKET,
        key: 'copy/other',
        headers: { 'x-amz-copy-source': `${BUCKET}/missing` },
        ownerId: OWNER,
      }),
    ).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('deletes the row and the file; a missing key is fine', async () => {
    await objects.putObject(putInput('gone/soon', 'bye'));
    await objects.deleteObject({
      bucket: BUCKET,
      key: 'gone/soon',
      query: new URLSearchParams(),
      headers: {},
      ownerId: OWNER,
    });
    await expect(objects.headObject(readInput('gone/soon'))).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(existsSync(join(root, BUCKET, 'gone/soon'))).toBe(false);
    await expect(
      objects.deleteObject({
        bucket: BUCKET,
        key: 'never-was',
        query: new URLSearchParams(),
        headers: {},
        ownerId: OWNER,
      }),
    ).resolves.toEqual({ versionId: null, isDeleteMarker: false });
  });

  it('bulk-deletes keys, reporting a missing key as deleted', async () => {
    await objects.putObject(putInput('bulk/a', 'a'));
    await objects.putObject(putInput('bulk/b', 'b'));
    const { body, headers } = deleteBody(['bulk/a', 'bulk/missing', 'bulk/b']);
    const result = await objects.deleteObjects({
      bucket: BUCKET,
      body,
      headers,
      trailers: Promise.resolve({}),
    });
    expect(result).toEqual({
      deleted: [{ key: 'bulk/a' }, { key: 'bulk/missing' }, { key: 'bulk/b' }],
      errors: [],
    });
    expect(existsSync(join(root, BUCKET, 'bulk/a'))).toBe(false);
    await expect(objects.headObject(readInput('bulk/b'))).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('bulk-deletes shadowed keys across batches, keeping row and file together beside a concurrent PutObject', async () => {
    const keys = ['s', 's/t', 's/t/u', ...Array.from({ length: 300 }, (_, i) => `wide/${i}`)];
    for (const key of keys) {
      await objects.putObject(putInput(key, key));
    }
    expect(existsSync(join(root, BUCKET, 's/.myfsio.self'))).toBe(true);
    const { body, headers } = deleteBody(keys);
    const [result] = await Promise.all([
      objects.deleteObjects({ bucket: BUCKET, body, headers, trailers: Promise.resolve({}) }),
      objects.putObject(putInput('wide/7', 'again')),
    ]);
    expect(result.errors).toEqual([]);
    expect(result.deleted).toHaveLength(keys.length);
    // The PutObject landed before the delete (and was deleted) or after it (and survives), whole.
    const survived = await objects.headObject(readInput('wide/7')).then(
      () => true,
      () => false,
    );
    expect(existsSync(join(root, BUCKET, 'wide/7'))).toBe(survived);
    expect(existsSync(join(root, BUCKET, 'wide/8'))).toBe(false);
    expect(existsSync(join(root, BUCKET, 's'))).toBe(false);
    expect(await versions.findCurrent(bucketId, 's/t/u')).toBeNull();
  });

  it('requires Content-MD5 or a checksum on DeleteObjects and verifies it', async () => {
    const { body } = deleteBody(['x']);
    await expect(
      objects.deleteObjects({ bucket: BUCKET, body, headers: {}, trailers: Promise.resolve({}) }),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
    const wrong = deleteBody(['x']);
    await expect(
      objects.deleteObjects({
        bucket: BUCKET,
        body: wrong.body,
        headers: { 'content-md5': createHash('md5').update('other').digest('base64') },
        trailers: Promise.resolve({}),
      }),
    ).rejects.toMatchObject({ code: 'BadDigest' });
  });

  it('bulk-deletes 1000 keys quickly', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => objects.putObject(putInput(k, k))));
    }
    const { body, headers } = deleteBody(keys, true);
    const started = Date.now();
    const result = await objects.deleteObjects({
      bucket: BUCKET,
      body,
      headers,
      trailers: Promise.resolve({}),
    });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ deleted: [], errors: [] });
    expect(await versions.findCurrent(bucketId, 'many/0999')).toBeNull();
    expect(existsSync(join(root, BUCKET, 'many'))).toBe(false);
    // Generous bound for a shared CI machine; typically well under a second.
    expect(elapsed).toBeLessThan(15000);
  });
});
