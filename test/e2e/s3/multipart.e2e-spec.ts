import type { AclService } from '@myfsio/access';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3Error } from '@myfsio/common';
import type { CompleteUploadResult, MultipartService } from '@myfsio/multipart';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { RequestContext } from '../../../apps/gateway/src/http/request-context';
import { MultipartHandlers } from '../../../apps/gateway/src/handlers/multipart.handlers';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';
import { eventually } from '../../support/eventually';

const MiB = 1024 * 1024;
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map((p) => md5(p))))
    .digest('hex')}-${parts.length}"`;

describe('multipart uploads', () => {
  let server: RunningServer;
  let s3: S3Client;
  let bucket: string;

  beforeAll(async () => {
    server = await startServer();
    s3 = s3Client(server);
    bucket = bucketName('mpu');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  const create = async (Key: string, extra: Record<string, unknown> = {}) =>
    (await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...extra }))).UploadId!;
  const uploadPart = async (Key: string, UploadId: string, PartNumber: number, Body: Buffer) => {
    const res = await s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body }));
    return { PartNumber, ETag: res.ETag! };
  };
  const completeWith = (
    Key: string,
    UploadId: string,
    Parts: CompletedPart[],
    extra: Record<string, unknown> = {},
  ) =>
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts },
        ...extra,
      }),
    );
  const getBytes = async (Key: string, extra: Record<string, unknown> = {}) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, ...extra }));
    return { res, body: Buffer.from(await res.Body!.transformToByteArray()) };
  };

  it('creates, uploads, lists and completes; the plain file is the object', async () => {
    const Key = 'media/big file.bin';
    const create1 = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key,
        ContentType: 'application/x-test',
        Metadata: { origin: 'e2e' },
        Tagging: 'a=1&b=2',
        StorageClass: 'STANDARD_IA',
      }),
    );
    expect(create1).toMatchObject({ Bucket: bucket, Key });
    const UploadId = create1.UploadId!;
    expect(UploadId).toMatch(/^[0-9A-Za-z_-]+$/);
    const data = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
    const parts = [];
    for (const [i, body] of data.entries()) {
      const part = await uploadPart(Key, UploadId, i + 1, body);
      expect(part.ETag).toBe(`"${md5(body).toString('hex')}"`);
      parts.push(part);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId, MaxParts: 2 }));
    expect(listed.Parts!.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, parts[0]!.ETag],
      [2, 5 * MiB, parts[1]!.ETag],
    ]);
    expect(listed).toMatchObject({
      IsTruncated: true,
      NextPartNumberMarker: '2',
      MaxParts: 2,
      StorageClass: 'STANDARD_IA',
    });
    expect(listed.Initiator?.ID).toBeTruthy();
    expect(listed.Owner?.ID).toBe(listed.Initiator?.ID);
    const rest = await s3.send(
      new ListPartsCommand({ Bucket: bucket, Key, UploadId, PartNumberMarker: '2' }),
    );
    expect(rest.Parts!.map((p) => p.PartNumber)).toEqual([3]);
    expect(rest.IsTruncated).toBe(false);

    const done = await completeWith(Key, UploadId, parts);
    expect(done).toMatchObject({ Bucket: bucket, Key, ETag: multipartEtag(data) });
    expect(done.Location).toBe(`${server.apiUrl}/${bucket}/media/big%20file.bin`);
    const whole = Buffer.concat(data);
    const file = readFileSync(join(server.storageRoot, bucket, Key));
    expect(sha256(file)).toBe(sha256(whole));
    // The part files are removed right after the answer.
    await eventually(() => !existsSync(join(server.storageRoot, '.myfsio.sys', 'multipart', UploadId)));

    const { res, body } = await getBytes(Key);
    expect(sha256(body)).toBe(sha256(whole));
    expect(res).toMatchObject({
      ETag: multipartEtag(data),
      ContentType: 'application/x-test',
      Metadata: { origin: 'e2e' },
      TagCount: 2,
      StorageClass: 'STANDARD_IA',
    });
    await expect(s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId }))).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('reads one part of a multipart object by part number', async () => {
    const Key = 'parts/readable';
    const UploadId = await create(Key);
    const data = [randomBytes(5 * MiB), Buffer.from('the last part')];
    const parts = [
      await uploadPart(Key, UploadId, 1, data[0]!),
      await uploadPart(Key, UploadId, 2, data[1]!),
    ];
    await completeWith(Key, UploadId, parts);
    const { res, body } = await getBytes(Key, { PartNumber: 2 });
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(body.toString()).toBe('the last part');
    expect(res).toMatchObject({
      PartsCount: 2,
      ContentLength: 13,
      ContentRange: `bytes ${5 * MiB}-${5 * MiB + 12}/${5 * MiB + 13}`,
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key, PartNumber: 1 }));
    expect(head).toMatchObject({ PartsCount: 2, ContentLength: 5 * MiB });
    await expect(getBytes(Key, { PartNumber: 3 })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 416 },
    });
  });

  it('copies parts from an object, whole and by range', async () => {
    const source = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy/source', Body: source }));
    const Key = 'copy/target';
    const UploadId = await create(Key);
    const copy = (PartNumber: number, CopySourceRange?: string, extra: Record<string, unknown> = {}) =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber,
          CopySource: `${bucket}/copy/source`,
          CopySourceRange,
          ...extra,
        }),
      );
    const first = await copy(1);
    expect(first.CopyPartResult?.ETag).toBe(`"${md5(source).toString('hex')}"`);
    expect(first.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const second = await copy(2, 'bytes=100-199');
    await expect(copy(3, `bytes=0-${6 * MiB}`)).rejects.toMatchObject({ name: 'InvalidRange' });
    await expect(copy(3, 'bytes=5-')).rejects.toMatchObject({
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(copy(3, undefined, { CopySourceIfMatch: '"nope"' })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 412 },
    });
    await completeWith(Key, UploadId, [
      { PartNumber: 1, ETag: first.CopyPartResult!.ETag },
      { PartNumber: 2, ETag: second.CopyPartResult!.ETag },
    ]);
    const { body } = await getBytes(Key);
    expect(sha256(body)).toBe(sha256(Buffer.concat([source, source.subarray(100, 200)])));
  });

  it('aborts: 204, parts removed, then NoSuchUpload', async () => {
    const Key = 'aborted';
    const UploadId = await create(Key);
    await uploadPart(Key, UploadId, 1, Buffer.from('bytes'));
    const res = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    expect(existsSync(join(server.storageRoot, '.myfsio.sys', 'multipart', UploadId))).toBe(false);
    await expect(
      s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })),
    ).rejects.toMatchObject({
      name: 'NoSuchUpload',
    });
    await expect(uploadPart(Key, UploadId, 2, Buffer.from('late'))).rejects.toMatchObject({
      name: 'NoSuchUpload',
    });
  });

  it('answers S3 errors for bad uploads and completions, publishing nothing and keeping the upload', async () => {
    const Key = 'errors/target';
    const UploadId = await create(Key);
    const p1 = await uploadPart(Key, UploadId, 1, Buffer.from('small one'));
    const p2 = await uploadPart(Key, UploadId, 2, Buffer.from('small two'));
    const expectError = (promise: Promise<unknown>, name: string, status = 400) =>
      expect(promise).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
    await expectError(uploadPart(Key, UploadId, 10001, Buffer.from('x')), 'InvalidArgument');
    await expectError(uploadPart(Key, 'not-an-upload', 1, Buffer.from('x')), 'NoSuchUpload', 404);
    await expectError(completeWith(Key, UploadId, [p1, p2]), 'EntityTooSmall');
    await expectError(completeWith(Key, UploadId, [p2, p1]), 'InvalidPartOrder');
    await expectError(
      completeWith(Key, UploadId, [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]),
      'InvalidPart',
    );
    await expectError(completeWith(Key, UploadId, [p1, { PartNumber: 3, ETag: p2.ETag }]), 'InvalidPart');
    await expectError(completeWith(Key, UploadId, []), 'MalformedXML');
    await expectError(completeWith('errors/other-key', UploadId, [p1]), 'NoSuchUpload', 404);
    expect(existsSync(join(server.storageRoot, bucket, Key))).toBe(false);
    // The upload is intact: a correct list still completes, once.
    await completeWith(Key, UploadId, [p2]);
    expect(readFileSync(join(server.storageRoot, bucket, Key), 'utf8')).toBe('small two');
    await expectError(completeWith(Key, UploadId, [p2]), 'NoSuchUpload', 404);
  });

  it('honours If-None-Match: * on completion', async () => {
    const Key = 'conditional';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'existing' }));
    const UploadId = await create(Key);
    const part = await uploadPart(Key, UploadId, 1, Buffer.from('replacement'));
    await expect(completeWith(Key, UploadId, [part], { IfNoneMatch: '*' })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 412 },
    });
    expect(readFileSync(join(server.storageRoot, bucket, Key), 'utf8')).toBe('existing');
    await completeWith(Key, UploadId, [part]);
    expect(readFileSync(join(server.storageRoot, bucket, Key), 'utf8')).toBe('replacement');
  });

  it('keeps checksums: CRC32 per part and a composite object checksum', async () => {
    const Key = 'checksums/crc32';
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key, ChecksumAlgorithm: 'CRC32' }),
    );
    expect(created.ChecksumAlgorithm).toBe('CRC32');
    const UploadId = created.UploadId!;
    const parts: CompletedPart[] = [];
    for (const [i, body] of [randomBytes(5 * MiB), randomBytes(100)].entries()) {
      const res = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      expect(res.ChecksumCRC32).toBeTruthy();
      parts.push({ PartNumber: i + 1, ETag: res.ETag, ChecksumCRC32: res.ChecksumCRC32 });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId }));
    expect(listed.ChecksumAlgorithm).toBe('CRC32');
    expect(listed.Parts![0]!.ChecksumCRC32).toBe(parts[0]!.ChecksumCRC32);
    const done = await completeWith(Key, UploadId, parts);
    expect(done.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==-2$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32).toBe(done.ChecksumCRC32);
  });

  it('lists uploads in progress with prefix, delimiter, pagination and url encoding', async () => {
    const b = bucketName('mpl');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    const ids: string[] = [];
    for (const Key of ['logs/a', 'logs/b', 'x y', 'x y', 'z/1/2']) {
      ids.push((await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key }))).UploadId!);
    }
    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: b }));
    expect(all.Uploads!.map((u) => u.Key)).toEqual(['logs/a', 'logs/b', 'x y', 'x y', 'z/1/2']);
    expect(all.Uploads![0]).toMatchObject({ UploadId: ids[0], StorageClass: 'STANDARD' });
    expect(all.Uploads![0]!.Initiated).toBeInstanceOf(Date);
    const rolled = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Delimiter: '/' }));
    expect(rolled.Uploads!.map((u) => u.Key)).toEqual(['x y', 'x y']);
    expect(rolled.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['logs/', 'z/']);
    const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Prefix: 'logs/' }));
    expect(prefixed.Uploads!.map((u) => u.Key)).toEqual(['logs/a', 'logs/b']);
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await s3.send(
        new ListMultipartUploadsCommand({ Bucket: b, MaxUploads: 2, KeyMarker, UploadIdMarker }),
      );
      seen.push(...res.Uploads!.map((u) => u.UploadId!));
      if (!res.IsTruncated) {
        break;
      }
      KeyMarker = res.NextKeyMarker;
      UploadIdMarker = res.NextUploadIdMarker;
    }
    expect(seen).toEqual(ids);
    const encoded = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: b, EncodingType: 'url', Prefix: 'x' }),
    );
    expect(encoded.Uploads!.map((u) => u.Key)).toEqual(['x%20y', 'x%20y']);
    // A bucket with uploads in progress cannot be deleted.
    await expect(s3.send(new DeleteBucketCommand({ Bucket: b }))).rejects.toMatchObject({
      name: 'BucketNotEmpty',
    });
    for (const [i, UploadId] of ids.entries()) {
      const Key = ['logs/a', 'logs/b', 'x y', 'x y', 'z/1/2'][i]!;
      await s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key, UploadId }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
  });

  it('stores a lib-storage Upload of several parts byte for byte', async () => {
    const Key = 'lib-storage/upload.bin';
    const body = randomBytes(12 * MiB + 17);
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key, Body: body },
      partSize: 5 * MiB,
      queueSize: 3,
    });
    const result = await upload.done();
    expect(result.ETag).toMatch(/-3"$/);
    expect(sha256(readFileSync(join(server.storageRoot, bucket, Key)))).toBe(sha256(body));
    const { body: read } = await getBytes(Key);
    expect(sha256(read)).toBe(sha256(body));
    expect(readdirSync(join(server.storageRoot, '.myfsio.sys', 'tmp'))).toEqual([]);
  });
});

/**
 * A completion that outlasts the keep-alive threshold answers 200 at once and ends the body with
 * the result or an <Error>. This checks that the SDK reads both, against the real handler behind
 * a plain HTTP server (a gateway cannot be made slow on purpose).
 */
describe('long completions (SDK interop)', () => {
  let http: Server;
  let outcome: () => Promise<CompleteUploadResult>;
  let client: S3Client;

  beforeAll(async () => {
    const service = { completeMultipartUpload: () => outcome() } as unknown as MultipartService;
    const handlers = new MultipartHandlers(service, {} as AclService);
    http = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, bucket, ...key] = url.pathname.split('/');
      const ctx = {
        requestId: 'req-slow',
        method: req.method,
        rawUrl: req.url,
        headers: req.headers,
        isSecureTransport: false,
        op: {
          name: 'CompleteMultipartUpload',
          bucket,
          key: key.join('/'),
          bucketFromHost: false,
          query: url.searchParams,
        },
        body: req,
        trailers: Promise.resolve({}),
      } as unknown as RequestContext;
      handlers.completeMultipartUpload(ctx).then(
        (result) => {
          res.writeHead(result.status ?? 200, { 'content-type': 'application/xml' });
          (result.body as Readable).pipe(res);
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    client = new S3Client({
      endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const slow =
    <T>(settle: () => T) =>
    () =>
      new Promise<T>((resolve) => setTimeout(() => resolve(settle()), 2500));
  const complete = () =>
    client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'bkt',
        Key: 'slow/key',
        UploadId: 'u',
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e"' }] },
      }),
    );

  it('reads the result sent after the keep-alive spaces', async () => {
    outcome = slow(() => ({ etag: 'abc-1', size: 1, checksum: null, versionId: null }));
    await expect(complete()).resolves.toMatchObject({ Bucket: 'bkt', Key: 'slow/key', ETag: '"abc-1"' });
  });

  it('reads a late failure inside the 200 body as an error', async () => {
    outcome = () =>
      new Promise((_, reject) =>
        setTimeout(() => reject(new S3Error('NoSuchUpload', { fields: { UploadId: 'u' } })), 2500),
      );
    await expect(complete()).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });
});
