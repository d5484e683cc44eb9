import { lifecycleConfigurationXml, LifecycleService } from '@myfsio/lifecycle';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { requireBucketName } from './handler-support';

/** The bucket lifecycle subresource: S3's XML in and out, rules in LifecycleService. */
@Injectable()
export class LifecycleHandlers {
  constructor(private readonly lifecycle: LifecycleService) {}

  async getBucketLifecycleConfiguration(ctx: RequestContext): Promise<S3Result> {
    const config = await this.lifecycle.getConfiguration(requireBucketName(ctx));
    return { xml: lifecycleConfigurationXml(config) };
  }

  async putBucketLifecycleConfiguration(ctx: RequestContext): Promise<S3Result> {
    await this.lifecycle.putConfiguration({
      bucket: requireBucketName(ctx),
      body: await readSmallBody(ctx.body),
      headers: ctx.headers,
      trailers: ctx.trailers,
    });
    return {};
  }

  async deleteBucketLifecycle(ctx: RequestContext): Promise<S3Result> {
    await this.lifecycle.deleteConfiguration(requireBucketName(ctx));
    return { status: 204 };
  }
}
