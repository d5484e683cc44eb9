import { BucketsService } from '@myfsio/buckets';
import { MultipartRepository } from '@myfsio/metadata';
import { MultipartModule, MultipartService, type UploadPartInput } from '@myfsio/multipart';
import { ObjectsService } from '@myfsio/objects';
import type { TestingModule } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startObjectServices } from '../support/object-services';

export const OWNER = 'owner-1';

/** A MultipartService over real SQLite and a temp STORAGE_ROOT, with the services around it. */
export interface MultipartHarness {
  root: string;
  moduleRef: TestingModule;
  multipart: MultipartService;
  objects: ObjectsService;
  buckets: BucketsService;
  repo: MultipartRepository;
  close(): Promise<void>;
}

/** Builds the harness; `env` overrides configuration (MULTIPART_MIN_PART_SIZE, MAX_UPLOAD_SIZE, …). */
export async function createHarness(env: Record<string, string> = {}): Promise<MultipartHarness> {
  const root = await mkdtemp(join(tmpdir(), 'myfsio-multipart-'));
  const moduleRef = await startObjectServices({ root, env, imports: [MultipartModule] });
  return {
    root,
    moduleRef,
    multipart: moduleRef.get(MultipartService),
    objects: moduleRef.get(ObjectsService),
    buckets: moduleRef.get(BucketsService),
    repo: moduleRef.get(MultipartRepository),
    close: async () => {
      await moduleRef.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The input of one UploadPart with an in-memory body. */
export function partInput(
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  data: Buffer | string,
  headers: UploadPartInput['headers'] = {},
): UploadPartInput {
  const body = Buffer.from(data);
  return {
    bucket,
    key,
    query: new URLSearchParams({ uploadId, partNumber: String(partNumber) }),
    body: Readable.from([body]),
    bodyLength: body.length,
    isAwsChunked: false,
    trailers: Promise.resolve({}),
    headers,
  };
}

/** The `{ bucket, key, query }` of an operation on one upload. */
export function target(bucket: string, key: string, uploadId: string, extra: Record<string, string> = {}) {
  return { bucket, key, query: new URLSearchParams({ uploadId, ...extra }) };
}

export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** The S3 multipart ETag of parts with these bytes. */
export function multipartEtag(parts: (Buffer | string)[]): string {
  const h = createHash('md5');
  for (const p of parts) {
    h.update(createHash('md5').update(p).digest());
  }
  return `${h.digest('hex')}-${parts.length}`;
}

/** The S3 error code a promise rejects with (undefined when it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await fn(items[next++] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
