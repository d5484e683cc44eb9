import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';

/** A handler turns a resolved, authenticated, authorized request into a result. */
export type S3Handler = (ctx: RequestContext) => Promise<S3Result>;
