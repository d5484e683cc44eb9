import { ObjectLockConfigService } from '@myfsio/buckets';
import { ObjectLockService, type ObjectTaggingTarget } from '@myfsio/objects';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { GovernanceBypassCheck } from './governance-bypass';
import { requireBucketName, requireKey } from './handler-support';
import {
  legalHoldXml,
  objectLockConfigurationXml,
  parseLegalHold,
  parseObjectLockConfiguration,
  parseRetention,
  retentionXml,
} from './object-lock-xml';

/** Object lock: the bucket configuration, object retention and legal holds (S3 XML or JSON in, XML out). */
@Injectable()
export class ObjectLockHandlers {
  constructor(
    private readonly configs: ObjectLockConfigService,
    private readonly locks: ObjectLockService,
    private readonly bypass: GovernanceBypassCheck,
  ) {}

  async getObjectLockConfiguration(ctx: RequestContext): Promise<S3Result> {
    return { xml: objectLockConfigurationXml(await this.configs.get(requireBucketName(ctx))) };
  }

  async putObjectLockConfiguration(ctx: RequestContext): Promise<S3Result> {
    const config = parseObjectLockConfiguration(await this.body(ctx));
    await this.configs.put(requireBucketName(ctx), config);
    return {};
  }

  async getObjectRetention(ctx: RequestContext): Promise<S3Result> {
    const result = await this.locks.getRetention(this.target(ctx));
    return {
      headers: { 'x-amz-version-id': result.versionId ?? undefined },
      xml: retentionXml(result.retention),
    };
  }

  async putObjectRetention(ctx: RequestContext): Promise<S3Result> {
    const retention = parseRetention(await this.body(ctx));
    const versionId = await this.locks.putRetention(this.target(ctx), retention, this.bypass.of(ctx));
    return { headers: { 'x-amz-version-id': versionId ?? undefined } };
  }

  async getObjectLegalHold(ctx: RequestContext): Promise<S3Result> {
    return { xml: legalHoldXml(await this.locks.getLegalHold(this.target(ctx))) };
  }

  async putObjectLegalHold(ctx: RequestContext): Promise<S3Result> {
    const isOn = parseLegalHold(await this.body(ctx));
    const versionId = await this.locks.putLegalHold(this.target(ctx), isOn);
    return { headers: { 'x-amz-version-id': versionId ?? undefined } };
  }

  private async body(ctx: RequestContext): Promise<string> {
    return (await readSmallBody(ctx.body)).toString('utf8');
  }

  private target(ctx: RequestContext): ObjectTaggingTarget {
    return { bucket: requireBucketName(ctx), key: requireKey(ctx), query: ctx.op.query };
  }
}
