import { aclFromHeaders, encodeStoredAcl } from '@myfsio/access';
import { BucketsService } from '@myfsio/buckets';
import { asArray, parseXml, S3Error, xmlText } from '@myfsio/common';
import { Injectable } from '@nestjs/common';
import { header, type RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { readSmallBody } from '../http/small-body';
import { ownerOf, requireBucketName } from './handler-support';
import { parseVersioningBody } from './versioning-xml';

/** Bucket-level operations: thin translations between S3's wire format and BucketsService. */
@Injectable()
export class BucketHandlers {
  constructor(private readonly buckets: BucketsService) {}

  async listBuckets(ctx: RequestContext): Promise<S3Result> {
    const q = ctx.op.query;
    const maxRaw = q.get('max-buckets');
    const max = maxRaw === null ? 10000 : Number(maxRaw);
    if (!Number.isInteger(max) || max < 1 || max > 10000) {
      throw new S3Error('InvalidArgument', {
        message: 'max-buckets must be an integer between 1 and 10000.',
      });
    }
    const prefix = q.get('prefix') ?? undefined;
    const page = await this.buckets.list({
      prefix,
      max,
      continuationToken: q.get('continuation-token') ?? undefined,
    });
    const owner = ownerOf(ctx);
    return {
      xml: {
        root: 'ListAllMyBucketsResult',
        body: {
          Owner: owner,
          Buckets: {
            Bucket: page.buckets.map((b) => ({
              Name: b.name,
              CreationDate: b.createdAt,
              BucketRegion: b.region,
            })),
          },
          ContinuationToken: page.continuationToken,
          Prefix: prefix,
        },
      },
    };
  }

  async createBucket(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const body = await readSmallBody(ctx.body);
    if (body.length > 0) {
      // The LocationConstraint is accepted whatever it names: one store serves one region.
      const doc = parseXml(body.toString('utf8'));
      const config = doc.CreateBucketConfiguration;
      if (
        config === undefined ||
        (typeof config === 'object' && config !== null && asArray(config).length !== 1)
      ) {
        throw new S3Error('MalformedXML');
      }
      if (typeof config === 'object' && config !== null) {
        const location = (config as Record<string, unknown>).LocationConstraint;
        if (location !== undefined && xmlText(location) === undefined) {
          throw new S3Error('InvalidLocationConstraint');
        }
      }
    }
    const lock = header(ctx, 'x-amz-bucket-object-lock-enabled');
    const ownerId = ownerOf(ctx).ID;
    const grants = aclFromHeaders(ctx.headers, ownerId, ownerId);
    const bucket = await this.buckets.create({
      name,
      ownerId,
      objectLockEnabled: lock?.toLowerCase() === 'true',
      acl: grants === null ? null : encodeStoredAcl(grants),
    });
    return { headers: { location: `/${bucket.name}` } };
  }

  async headBucket(ctx: RequestContext): Promise<S3Result> {
    const bucket = await this.buckets.require(requireBucketName(ctx));
    return { headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
  }

  async deleteBucket(ctx: RequestContext): Promise<S3Result> {
    await this.buckets.delete(requireBucketName(ctx));
    return { status: 204 };
  }

  async getBucketLocation(ctx: RequestContext): Promise<S3Result> {
    const bucket = await this.buckets.require(requireBucketName(ctx));
    // S3 answers an empty constraint for us-east-1, and clients rely on that quirk.
    const region = bucket.region === 'us-east-1' ? '' : bucket.region;
    return { xml: { root: 'LocationConstraint', body: { '#text': region } } };
  }

  async putBucketVersioning(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const request = parseVersioningBody(
      (await readSmallBody(ctx.body)).toString('utf8'),
      header(ctx, 'x-amz-mfa'),
    );
    if (request.status === undefined) {
      await this.buckets.require(name);
    } else {
      await this.buckets.setVersioning(name, request.status);
    }
    return {};
  }

  async getBucketVersioning(ctx: RequestContext): Promise<S3Result> {
    const bucket = await this.buckets.require(requireBucketName(ctx));
    const status = bucket.versioning === 'Unversioned' ? undefined : bucket.versioning;
    return { xml: { root: 'VersioningConfiguration', body: { Status: status } } };
  }
}
