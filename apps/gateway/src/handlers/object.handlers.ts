import { LifecycleService } from '@myfsio/lifecycle';
import { AclService } from '@myfsio/access';
import { Authorizer } from '@myfsio/iam';
import { ObjectsService } from '@myfsio/objects';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { GovernanceBypassCheck } from './governance-bypass';
import { authorizationOf, ownerIdOf, requireBucketName, requireKey } from './handler-support';
import { copyObjectXml, deleteResultXml } from './object-xml';

/** Object operations: thin translations between S3's wire format and ObjectsService. */
@Injectable()
export class ObjectHandlers {
  constructor(
    private readonly objects: ObjectsService,
    private readonly lifecycle: LifecycleService,
    private readonly authorizer: Authorizer,
    private readonly acls: AclService,
    private readonly bypass: GovernanceBypassCheck,
  ) {}

  async putObject(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const result = await this.objects.putObject({
      bucket,
      key: requireKey(ctx),
      body: ctx.body,
      bodyLength: ctx.bodyLength,
      isAwsChunked: ctx.auth.payload.mode === 'aws-chunked',
      trailers: ctx.trailers,
      headers: ctx.headers,
      ownerId: ownerIdOf(ctx),
      acl: await this.acls.aclForWrite(ctx.headers, bucket, ownerIdOf(ctx)),
    });
    return {
      headers: {
        ETag: `"${result.etag}"`,
        'x-amz-version-id': result.versionId ?? undefined,
        ...result.checksumHeaders,
        ...(await this.lifecycle.expirationHeadersAfterPut(requireBucketName(ctx), requireKey(ctx))),
      },
    };
  }

  async getObject(ctx: RequestContext): Promise<S3Result> {
    const result = await this.objects.getObject(this.readInput(ctx));
    const expiration = await this.lifecycle.expirationHeaders(requireBucketName(ctx), result.object);
    return { status: result.status, headers: { ...result.headers, ...expiration }, body: result.body };
  }

  async headObject(ctx: RequestContext): Promise<S3Result> {
    const result = await this.objects.headObject(this.readInput(ctx));
    const expiration = await this.lifecycle.expirationHeaders(requireBucketName(ctx), result.object);
    return { status: result.status, headers: { ...result.headers, ...expiration } };
  }

  async deleteObject(ctx: RequestContext): Promise<S3Result> {
    const result = await this.objects.deleteObject({
      bucket: requireBucketName(ctx),
      key: requireKey(ctx),
      query: ctx.op.query,
      headers: ctx.headers,
      ownerId: ownerIdOf(ctx),
      bypassGovernance: this.bypass.of(ctx),
    });
    return {
      status: 204,
      headers: {
        'x-amz-version-id': result.versionId ?? undefined,
        'x-amz-delete-marker': result.isDeleteMarker ? 'true' : undefined,
      },
    };
  }

  async deleteObjects(ctx: RequestContext): Promise<S3Result> {
    const authorization = authorizationOf(ctx);
    const result = await this.objects.deleteObjects({
      bucket: requireBucketName(ctx),
      body: ctx.body,
      headers: ctx.headers,
      trailers: ctx.trailers,
      // S3 authorizes DeleteObjects key by key and reports refusals as per-key AccessDenied.
      isKeyAllowed: (key, versionId) => this.authorizer.isKeyAllowed(authorization, key, versionId),
      ownerId: ownerIdOf(ctx),
      bypassGovernance: this.bypass.of(ctx),
    });
    return { xml: deleteResultXml(result) };
  }

  async copyObject(ctx: RequestContext): Promise<S3Result> {
    const bucket = requireBucketName(ctx);
    const result = await this.objects.copyObject({
      bucket,
      key: requireKey(ctx),
      headers: ctx.headers,
      ownerId: ownerIdOf(ctx),
      acl: await this.acls.aclForWrite(ctx.headers, bucket, ownerIdOf(ctx)),
    });
    return {
      headers: {
        'x-amz-version-id': result.versionId ?? undefined,
        'x-amz-copy-source-version-id': result.sourceVersionId ?? undefined,
      },
      xml: copyObjectXml(result),
    };
  }

  private readInput(ctx: RequestContext) {
    return {
      bucket: requireBucketName(ctx),
      key: requireKey(ctx),
      query: ctx.op.query,
      headers: ctx.headers,
    };
  }
}
