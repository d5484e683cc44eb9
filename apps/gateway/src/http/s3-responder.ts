import { encodeXml, isS3Error, S3Error, type XmlObject } from '@myfsio/common';
import { STS_XMLNS, stsErrorBody } from '@myfsio/iam';
import { FileRangeStream } from '@myfsio/storage';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { S3Result } from './s3-result';

/** Writes handler results and errors to the wire: the gateway's one encoder. */
export function sendResult(
  reply: FastifyReply,
  method: string,
  requestId: string,
  result: S3Result,
): FastifyReply {
  reply.code(result.status ?? 200);
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined) {
      reply.header(name, value);
    }
  }
  reply.header('x-amz-request-id', requestId).header('x-amz-id-2', requestId);
  if (method === 'HEAD') {
    if (result.body instanceof Readable) {
      result.body.destroy();
    }
    return reply.send();
  }
  if (result.xml) {
    return reply.type('application/xml').send(
      encodeXml(result.xml.root, result.xml.body, {
        xmlns: result.xml.xmlns ?? (result.xml.root === 'Error' ? false : undefined),
      }),
    );
  }
  if (result.body instanceof FileRangeStream) {
    // Fastify pipes the body into the raw response: its chunk buffers come back for reuse.
    result.body.recycleAfterWrites(reply.raw);
  }
  return reply.send(result.body);
}

/** Encodes an error as S3's `<Error>` XML (no body for HEAD). Non-S3 errors become `InternalError`. */
export function sendError(
  reply: FastifyReply,
  method: string,
  requestId: string,
  err: unknown,
  resource: string,
): FastifyReply {
  const error = isS3Error(err) ? err : new S3Error('InternalError');
  if (reply.sent || reply.raw.headersSent) {
    // The status line is gone; the only honest signal left is a broken connection.
    reply.raw.destroy(err instanceof Error ? err : undefined);
    return reply;
  }
  return sendResult(reply, method, requestId, {
    status: error.status,
    headers: error.headers,
    xml: method === 'HEAD' || error.status === 304 ? undefined : errorDocument(error, resource, requestId),
  });
}

/** Encodes an error as STS's `<ErrorResponse>` (AssumeRole). Non-S3 errors become `InternalError`. */
export function sendStsError(reply: FastifyReply, requestId: string, err: unknown): FastifyReply {
  const error = isS3Error(err) ? err : new S3Error('InternalError');
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy(err instanceof Error ? err : undefined);
    return reply;
  }
  return sendResult(reply, 'POST', requestId, {
    status: error.status,
    xml: { root: 'ErrorResponse', body: stsErrorBody(error, requestId), xmlns: STS_XMLNS },
  });
}

/** S3's `<Error>` document for an error about `resource`. */
export function errorDocument(
  error: S3Error,
  resource: string,
  requestId: string,
): { root: string; body: XmlObject } {
  return {
    root: 'Error',
    body: {
      Code: error.code,
      Message: error.message,
      ...error.fields,
      Resource: error.resource ?? resource,
      RequestId: requestId,
      HostId: requestId,
    },
  };
}
