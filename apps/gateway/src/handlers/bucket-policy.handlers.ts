import { BucketPolicyService } from '@myfsio/access';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { requireBucketName } from './handler-support';

/** The bucket policy subresource: JSON in and out, rules in BucketPolicyService. */
@Injectable()
export class BucketPolicyHandlers {
  constructor(private readonly policies: BucketPolicyService) {}

  async getBucketPolicy(ctx: RequestContext): Promise<S3Result> {
    const json = await this.policies.getPolicy(requireBucketName(ctx));
    return { headers: { 'content-type': 'application/json' }, body: json };
  }

  async putBucketPolicy(ctx: RequestContext): Promise<S3Result> {
    const json = (await readSmallBody(ctx.body)).toString('utf8');
    await this.policies.putPolicy(requireBucketName(ctx), json);
    return { status: 204 };
  }

  async deleteBucketPolicy(ctx: RequestContext): Promise<S3Result> {
    await this.policies.deletePolicy(requireBucketName(ctx));
    return { status: 204 };
  }

  async getBucketPolicyStatus(ctx: RequestContext): Promise<S3Result> {
    const isPublic = await this.policies.isPublic(requireBucketName(ctx));
    return { xml: { root: 'PolicyStatus', body: { IsPublic: isPublic ? 'true' : 'false' } } };
  }
}
