import { AclService } from '@myfsio/access';
import { isS3Error, S3Error } from '@myfsio/common';
import { type CompleteUploadResult, MultipartService } from '@myfsio/multipart';
import { Injectable, Logger } from '@nestjs/common';
import { PassThrough, type Readable } from 'node:stream';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { errorDocument } from '../http/s3-responder';
import { readSmallBody } from '../http/small-body';
import { ownerOf, ownerIdOf, requireBucketName, requireKey } from './handler-support';
import {
  completeXml,
  copyPartXml,
  initiateXml,
  listPartsXml,
  listUploadsXml,
  parseCompleteBody,
  XML_DECLARATION,
  xmlWithoutDeclaration,
} from './multipart-xml';

/** A CompleteMultipartUpload body lists up to 10,000 parts with an ETag and a checksum each. */
const COMPLETE_BODY_LIMIT = 8 * 1024 * 1024;
/** A completion still running after this long answers 200 at once and keeps the connection busy. */
const KEEP_ALIVE_AFTER_MS = 2000;
/** How often a space is sent while the completion runs (S3 and MinIO use about 10 s). */
const KEEP_ALIVE_INTERVAL_MS = 10_000;

/** `Location` of a completed object: the URL it is reachable at, in the style of the request. */
function locationOf(ctx: RequestContext, bucket: string, key: string): string {
  const scheme = ctx.isSecureTransport ? 'https' : 'http';
  const host = ctx.headers.host ?? 'localhost';
  const path = encodeURIComponent(key).replace(/%2F/g, '/');
  return ctx.op.bucketFromHost ? `${scheme}://${host}/${path}` : `${scheme}://${host}/${bucket}/${path}`;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown } | null;

/** How `pending` settled within `ms`, or null while it still runs. Never leaves a rejection unhandled. */
function settleWithin<T>(pending: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const settled = pending.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** Multipart upload operations: thin translations between S3's wire format and MultipartService. */
@Injectable()
export class MultipartHandlers {
  private readonly logger = new Logger('CompleteMultipartUpload');

  constructor(
    private readonly multipart: MultipartService,
    private readonly acls: AclService,
  ) {}

  async createMultipartUpload(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const key = requireKey(ctx);
    const result = await this.multipart.createMultipartUpload({
      bucket,
      key,
      headers: ctx.headers,
      ownerId: ownerIdOf(ctx),
      acl: await this.acls.aclForWrite(ctx.headers, bucket, ownerIdOf(ctx)),
    });
    return {
      headers: {
        'x-amz-checksum-algorithm': result.checksum?.algorithm,
        'x-amz-checksum-type': result.checksum?.type,
      },
      xml: initiateXml(bucket, key, result.uploadId),
    };
  }

  async uploadPart(ctx: RequestContext): Promise<S3Result> {
    const result = await this.multipart.uploadPart({
      bucket: requireBucketName(ctx),
      key: requireKey(ctx),
      query: ctx.op.query,
      body: ctx.body,
      bodyLength: ctx.bodyLength,
      isAwsChunked: ctx.auth.payload.mode === 'aws-chunked',
      trailers: ctx.trailers,
      headers: ctx.headers,
    });
    return { headers: { ETag: `"${result.etag}"`, ...result.checksumHeaders } };
  }

  async uploadPartCopy(ctx: RequestContext): Promise<S3Result> {
    const result = await this.multipart.uploadPartCopy({
      bucket: requireBucketName(ctx),
      key: requireKey(ctx),
      query: ctx.op.query,
      headers: ctx.headers,
    });
    return {
      headers: { 'x-amz-copy-source-version-id': result.sourceVersionId ?? undefined },
      xml: copyPartXml(result),
    };
  }

  /**
   * Completes within a couple of seconds answer normally (errors with their own status). A
   * longer one answers 200 at once and sends a space every few seconds so no proxy or client
   * times the connection out; the result, or a late failure as `<Error>`, ends the body, as S3
   * does (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
   */
  async completeMultipartUpload(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const key = requireKey(ctx);
    const parts = parseCompleteBody((await readSmallBody(ctx.body, COMPLETE_BODY_LIMIT)).toString('utf8'));
    const pending = this.multipart.completeMultipartUpload({
      bucket,
      key,
      query: ctx.op.query,
      parts,
      headers: ctx.headers,
    });
    const render = (result: CompleteUploadResult) =>
      completeXml(locationOf(ctx, bucket, key), bucket, key, result);
    const early = await settleWithin(pending, KEEP_ALIVE_AFTER_MS);
    if (early !== null) {
      if (!early.ok) {
        throw early.error;
      }
      return {
        headers: { 'x-amz-version-id': early.value.versionId ?? undefined },
        xml: render(early.value),
      };
    }
    return {
      headers: { 'Content-Type': 'application/xml' },
      body: this.keepAliveBody(ctx, pending, (result) => xmlWithoutDeclaration(render(result))),
    };
  }

  async abortMultipartUpload(ctx: RequestContext): Promise<S3Result> {
    await this.multipart.abortMultipartUpload({
      bucket: requireBucketName(ctx),
      key: requireKey(ctx),
      query: ctx.op.query,
    });
    return { status: 204 };
  }

  async listParts(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const result = await this.multipart.listParts({ bucket, key: requireKey(ctx), query: ctx.op.query });
    return { xml: listPartsXml(bucket, result, ownerOf(ctx), ctx.op.query) };
  }

  async listMultipartUploads(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const result = await this.multipart.listMultipartUploads({ bucket, query: ctx.op.query });
    return { xml: listUploadsXml(bucket, result, ownerOf(ctx), ctx.op.query) };
  }

  /**
   * The body of a long completion: the XML declaration and a space right away (so the 200 goes
   * out), a space every KEEP_ALIVE_INTERVAL_MS, then the result document or an `<Error>`
   * document ending the body (SDKs look for a trailing `</Error>` in a 200 answer).
   */
  private keepAliveBody<T>(ctx: RequestContext, pending: Promise<T>, render: (value: T) => string): Readable {
    const body = new PassThrough();
    body.write(`${XML_DECLARATION} `);
    const timer = setInterval(() => {
      if (!body.destroyed) {
        body.write(' ');
      }
    }, KEEP_ALIVE_INTERVAL_MS);
    body.once('close', () => clearInterval(timer));
    pending
      .then(render, (error: unknown) => this.lateError(ctx, error))
      .then(
        (text) => {
          clearInterval(timer);
          if (!body.destroyed) {
            body.end(text);
          }
        },
        (error: unknown) => {
          clearInterval(timer);
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
    return body;
  }

  /** An `<Error>` document (without declaration) for a failure after the 200 was sent. */
  private lateError(ctx: RequestContext, err: unknown): string {
    if (!isS3Error(err)) {
      this.logger.error({ err, requestId: ctx.requestId }, 'request failed');
    }
    const error = isS3Error(err) ? err : new S3Error('InternalError');
    const resource = ctx.rawUrl.split('?')[0] ?? '/';
    return xmlWithoutDeclaration(errorDocument(error, resource, ctx.requestId), { xmlns: false });
  }
}
