import type { AuthenticatedRequest } from '@myfsio/auth';
import type { Principal } from '@myfsio/iam';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { S3Operation } from './s3-operation';

/** Everything a handler may use about the request; handlers never touch the raw request. */
export interface RequestContext {
  requestId: string;
  method: string;
  rawUrl: string;
  headers: IncomingHttpHeaders;
  /** Client address after `NUM_TRUSTED_PROXIES` hops of X-Forwarded-For. */
  sourceIp: string;
  isSecureTransport: boolean;
  op: S3Operation;
  auth: AuthenticatedRequest;
  principal: Principal;
  /** The request body, verified (signatures, payload hash) as it is consumed. */
  body: Readable;
  /** Decoded body length when known (Content-Length or x-amz-decoded-content-length). */
  bodyLength: number | undefined;
  /** Trailing headers of aws-chunked bodies; resolves at end of body. */
  trailers: Promise<Record<string, string>>;
}

/** A header's single value (first when repeated). */
export function header(ctx: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
