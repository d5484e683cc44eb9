import { BucketTaggingService } from '@myfsio/buckets';
import { ObjectTaggingService, type ObjectTaggingTarget } from '@myfsio/objects';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { requireBucketName, requireKey } from './handler-support';
import { parseTaggingBody, taggingXml } from './tagging-xml';

/** Object and bucket tagging subresources: S3's XML in and out, rules in the services. */
@Injectable()
export class TaggingHandlers {
  constructor(
    private readonly objectTags: ObjectTaggingService,
    private readonly bucketTags: BucketTaggingService,
  ) {}

  async getObjectTagging(ctx: RequestContext): Promise<S3Result> {
    const result = await this.objectTags.getTags(this.target(ctx));
    return { headers: { 'x-amz-version-id': result.versionId ?? undefined }, xml: taggingXml(result.tags) };
  }

  async putObjectTagging(ctx: RequestContext): Promise<S3Result> {
    const tags = parseTaggingBody((await readSmallBody(ctx.body)).toString('utf8'));
    const result = await this.objectTags.putTags(this.target(ctx), tags);
    return { headers: { 'x-amz-version-id': result.versionId ?? undefined } };
  }

  async deleteObjectTagging(ctx: RequestContext): Promise<S3Result> {
    const result = await this.objectTags.deleteTags(this.target(ctx));
    return { status: 204, headers: { 'x-amz-version-id': result.versionId ?? undefined } };
  }

  async getBucketTagging(ctx: RequestContext): Promise<S3Result> {
    return { xml: taggingXml(await this.bucketTags.getTags(requireBucketName(ctx))) };
  }

  async putBucketTagging(ctx: RequestContext): Promise<S3Result> {
    const tags = parseTaggingBody((await readSmallBody(ctx.body)).toString('utf8'));
    await this.bucketTags.putTags(requireBucketName(ctx), tags);
    return { status: 204 };
  }

  async deleteBucketTagging(ctx: RequestContext): Promise<S3Result> {
    await this.bucketTags.deleteTags(requireBucketName(ctx));
    return { status: 204 };
  }

  private target(ctx: RequestContext): ObjectTaggingTarget {
    return { bucket: requireBucketName(ctx), key: requireKey(ctx), query: ctx.op.query };
  }
}
