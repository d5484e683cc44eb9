import { aclFromHeaders, AclService, hasAclHeaders, type AclGrant } from '@myfsio/access';
import { BucketsService } from '@myfsio/buckets';
import { S3Error } from '@myfsio/common';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { aclXml, parseAclBody } from './acl-xml';
import { ownerOf, requireBucketName, requireKey } from './handler-support';

/** Get/PutBucketAcl and Get/PutObjectAcl: S3's XML and headers in and out, rules in AclService. */
@Injectable()
export class AclHandlers {
  constructor(
    private readonly acls: AclService,
    private readonly buckets: BucketsService,
  ) {}

  async getBucketAcl(ctx: RequestContext): Promise<S3Result> {
    const acl = await this.acls.getBucketAcl(requireBucketName(ctx));
    return { xml: aclXml(acl, this.displayNames(ctx)) };
  }

  async putBucketAcl(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const owner = (await this.buckets.require(name)).ownerId;
    await this.acls.putBucketAcl(name, await this.requestedGrants(ctx, owner, owner));
    return {};
  }

  async getObjectAcl(ctx: RequestContext): Promise<S3Result> {
    const versionId = ctx.op.query.get('versionId') ?? undefined;
    const result = await this.acls.getObjectAcl(requireBucketName(ctx), requireKey(ctx), versionId);
    return {
      headers: { 'x-amz-version-id': versionId === undefined ? undefined : result.versionId },
      xml: aclXml(result.acl, this.displayNames(ctx)),
    };
  }

  async putObjectAcl(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const key = requireKey(ctx);
    const versionId = ctx.op.query.get('versionId') ?? undefined;
    const current = await this.acls.getObjectAcl(name, key, versionId);
    const bucketOwner = (await this.buckets.require(name)).ownerId;
    const grants = await this.requestedGrants(ctx, current.acl.owner.id, bucketOwner);
    const result = await this.acls.putObjectAcl(name, key, versionId, grants);
    return { headers: { 'x-amz-version-id': versionId === undefined ? undefined : result.versionId } };
  }

  /**
   * The grants a Put…Acl request sets: from `x-amz-acl`/`x-amz-grant-*`, or from an
   * AccessControlPolicy body; S3 refuses a request with both, or with neither.
   */
  private async requestedGrants(
    ctx: RequestContext,
    ownerId: string,
    bucketOwnerId: string,
  ): Promise<AclGrant[]> {
    const body = await readSmallBody(ctx.body);
    const fromHeaders = hasAclHeaders(ctx.headers);
    if (fromHeaders && body.length > 0) {
      throw new S3Error('UnexpectedContent', {
        message: 'This request does not support content when ACL headers are given.',
      });
    }
    if (fromHeaders) {
      return aclFromHeaders(ctx.headers, ownerId, bucketOwnerId) ?? [];
    }
    if (body.length === 0) {
      throw new S3Error('MissingSecurityHeader', {
        message:
          'Your request was missing a required header: x-amz-acl, an x-amz-grant-* header or an ACL body.',
      });
    }
    return parseAclBody(body.toString('utf8'));
  }

  /** Display names we know: the caller's own; other grantees are shown by ID alone. */
  private displayNames(ctx: RequestContext): (id: string) => string | undefined {
    const me = ownerOf(ctx);
    return (id) => (id === me.ID ? me.DisplayName : undefined);
  }
}
