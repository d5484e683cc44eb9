import type { AclService } from '@myfsio/access';
import { S3Error } from '@myfsio/common';
import type { CompleteUploadResult, MultipartService } from '@myfsio/multipart';
import { Readable } from 'node:stream';
import type { RequestContext } from '../http/request-context';
import { MultipartHandlers } from './multipart.handlers';

const RESULT: CompleteUploadResult = { etag: 'abc-2', size: 10, checksum: null, versionId: null };
const BODY =
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>';

function context(): RequestContext {
  return {
    requestId: 'req-1',
    method: 'POST',
    rawUrl: '/bkt/key?uploadId=u',
    headers: { host: 'example.test' },
    sourceIp: '127.0.0.1',
    isSecureTransport: false,
    op: {
      name: 'CompleteMultipartUpload',
      bucket: 'bkt',
      key: 'key',
      bucketFromHost: false,
      query: new URLSearchParams('uploadId=u'),
    },
    body: Readable.from([Buffer.from(BODY)]),
    bodyLength: BODY.length,
    trailers: Promise.resolve({}),
  } as unknown as RequestContext;
}

/** A handler over a service whose completion settles when the test says so. */
function handlerWith(completion: Promise<CompleteUploadResult>): MultipartHandlers {
  const service = { completeMultipartUpload: () => completion } as unknown as MultipartService;
  return new MultipartHandlers(service, {} as AclService);
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Collects what a stream has emitted so far. */
function collect(stream: Readable): { text: () => string; ended: Promise<void> } {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text, ended: new Promise((resolve) => stream.on('end', () => resolve())) };
}

describe('MultipartHandlers.completeMultipartUpload', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('answers a quick completion with a normal XML result', async () => {
    const result = await handlerWith(Promise.resolve(RESULT)).completeMultipartUpload(context());
    expect(result.body).toBeUndefined();
    expect(result.xml).toMatchObject({
      root: 'CompleteMultipartUploadResult',
      body: { Location: 'http://example.test/bkt/key', Bucket: 'bkt', Key: 'key', ETag: '"abc-2"' },
    });
  });

  it('lets a quick failure carry its own status', async () => {
    await expect(
      handlerWith(Promise.reject(new S3Error('InvalidPart'))).completeMultipartUpload(context()),
    ).rejects.toMatchObject({ code: 'InvalidPart' });
  });

  it('answers a long completion with 200 at once, spaces while it runs, then the result', async () => {
    const pending = deferred<CompleteUploadResult>();
    const answer = handlerWith(pending.promise).completeMultipartUpload(context());
    await jest.advanceTimersByTimeAsync(2000);
    const result = await answer;
    expect(result.status ?? 200).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/xml' });
    const body = collect(result.body as Readable);
    await jest.advanceTimersByTimeAsync(0);
    expect(body.text()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n ');
    await jest.advanceTimersByTimeAsync(20_000);
    expect(body.text()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n   ');
    pending.resolve(RESULT);
    await body.ended;
    expect(body.text()).toMatch(
      /^<\?xml[^>]*\?>\n {3}<CompleteMultipartUploadResult xmlns=".*">.*<ETag>&quot;abc-2&quot;<\/ETag>/s,
    );
  });

  it('reports a late failure as an <Error> document ending the 200 body', async () => {
    const pending = deferred<CompleteUploadResult>();
    const answer = handlerWith(pending.promise).completeMultipartUpload(context());
    await jest.advanceTimersByTimeAsync(2000);
    const body = collect((await answer).body as Readable);
    pending.reject(new S3Error('NoSuchUpload', { fields: { UploadId: 'u' } }));
    await body.ended;
    expect(body.text()).toMatch(
      /<Error><Code>NoSuchUpload<\/Code>.*<UploadId>u<\/UploadId>.*<RequestId>req-1<\/RequestId>.*<\/Error>$/s,
    );
  });
});
