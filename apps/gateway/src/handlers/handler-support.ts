import { S3Error } from '@myfsio/common';
import type { AuthorizationRequest } from '@myfsio/iam';
import type { RequestContext } from '../http/request-context';

/** The bucket named by the request; the router guarantees one for bucket and object operations. */
export function requireBucketName(ctx: RequestContext): string {
  if (ctx.op.bucket === undefined) {
    throw new S3Error('InvalidRequest', { message: 'This operation needs a bucket.' });
  }
  return ctx.op.bucket;
}

/** The caller as an S3 `Owner` element. */
export function ownerOf(ctx: RequestContext): { ID: string; DisplayName: string } {
  const p = ctx.principal;
  return p.kind === 'user'
    ? { ID: p.userId, DisplayName: p.displayName }
    : { ID: 'anonymous', DisplayName: 'anonymous' };
}

/** The object key named by the request; the router guarantees one for object operations. */
export function requireKey(ctx: RequestContext): string {
  if (ctx.op.key === undefined) {
    throw new S3Error('InvalidRequest', { message: 'This operation needs an object key.' });
  }
  return ctx.op.key;
}

/** The canonical user id that owns what the caller writes. */
export function ownerIdOf(ctx: RequestContext): string {
  return ctx.principal.kind === 'user' ? ctx.principal.userId : 'anonymous';
}

/** The request as the authorization step saw it, for checks made inside a handler (DeleteObjects keys). */
export function authorizationOf(ctx: RequestContext): AuthorizationRequest {
  return {
    op: ctx.op,
    principal: ctx.principal,
    sourceIp: ctx.sourceIp,
    isSecureTransport: ctx.isSecureTransport,
    headers: ctx.headers,
    authScheme: ctx.auth.scheme,
  };
}
