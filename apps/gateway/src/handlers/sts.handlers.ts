import { S3Errors } from '@myfsio/common';
import { assumeRoleResponseBody, parseAssumeRoleParams, STS_XMLNS, StsService } from '@myfsio/iam';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';

/** STS on the gateway: `POST /` with `Action=AssumeRole` in the query or a form body. */
@Injectable()
export class StsHandlers {
  constructor(private readonly sts: StsService) {}

  async assumeRole(ctx: RequestContext): Promise<S3Result> {
    if (ctx.principal.kind !== 'user') {
      throw S3Errors.accessDenied('AssumeRole needs the signature of a user.');
    }
    // Query parameters first, then the form body (what the SDKs and the CLI send).
    const params = new URLSearchParams(ctx.op.query);
    const form = new URLSearchParams((await readSmallBody(ctx.body)).toString('utf8'));
    for (const [name, value] of form) {
      params.set(name, value);
    }
    const credentials = await this.sts.assumeRole(ctx.principal, parseAssumeRoleParams(params));
    return {
      xml: {
        root: 'AssumeRoleResponse',
        body: assumeRoleResponseBody(credentials, ctx.requestId),
        xmlns: STS_XMLNS,
      },
    };
  }
}
