import { S3Errors } from '@myfsio/common';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3OperationName } from '../http/s3-operation';
import type { S3Result } from '../http/s3-result';
import { AclHandlers } from './acl.handlers';
import { BucketPolicyHandlers } from './bucket-policy.handlers';
import { BucketHandlers } from './bucket.handlers';
import { LifecycleHandlers } from './lifecycle.handlers';
import { ListHandlers } from './list.handlers';
import { MultipartHandlers } from './multipart.handlers';
import { ObjectLockHandlers } from './object-lock.handlers';
import { ObjectHandlers } from './object.handlers';
import type { S3Handler } from './s3-handler';
import { StsHandlers } from './sts.handlers';
import { TaggingHandlers } from './tagging.handlers';

/** Operations whose feature has not landed yet answer a clear `NotImplemented`. */
const notYet: S3Handler = (ctx) => Promise.reject(S3Errors.notImplemented(ctx.op.name));

/** The exhaustive operation → handler table. */
@Injectable()
export class S3Handlers {
  private readonly table: Record<S3OperationName, S3Handler>;

  constructor(
    buckets: BucketHandlers,
    lists: ListHandlers,
    objects: ObjectHandlers,
    multipart: MultipartHandlers,
    tagging: TaggingHandlers,
    sts: StsHandlers,
    lifecycle: LifecycleHandlers,
    policies: BucketPolicyHandlers,
    acls: AclHandlers,
    objectLock: ObjectLockHandlers,
  ) {
    this.table = {
      ListBuckets: (c) => buckets.listBuckets(c),
      AssumeRole: (c) => sts.assumeRole(c),
      CreateBucket: (c) => buckets.createBucket(c),
      HeadBucket: (c) => buckets.headBucket(c),
      DeleteBucket: (c) => buckets.deleteBucket(c),
      GetBucketLocation: (c) => buckets.getBucketLocation(c),
      ListObjects: (c) => lists.listObjects(c),
      ListObjectsV2: (c) => lists.listObjectsV2(c),
      ListObjectVersions: (c) => lists.listObjectVersions(c),
      ListMultipartUploads: (c) => multipart.listMultipartUploads(c),
      DeleteObjects: (c) => objects.deleteObjects(c),
      GetBucketVersioning: (c) => buckets.getBucketVersioning(c),
      PutBucketVersioning: (c) => buckets.putBucketVersioning(c),
      GetBucketPolicy: (c) => policies.getBucketPolicy(c),
      PutBucketPolicy: (c) => policies.putBucketPolicy(c),
      DeleteBucketPolicy: (c) => policies.deleteBucketPolicy(c),
      GetBucketPolicyStatus: (c) => policies.getBucketPolicyStatus(c),
      GetBucketAcl: (c) => acls.getBucketAcl(c),
      PutBucketAcl: (c) => acls.putBucketAcl(c),
      GetBucketTagging: (c) => tagging.getBucketTagging(c),
      PutBucketTagging: (c) => tagging.putBucketTagging(c),
      DeleteBucketTagging: (c) => tagging.deleteBucketTagging(c),
      GetBucketLifecycleConfiguration: (c) => lifecycle.getBucketLifecycleConfiguration(c),
      PutBucketLifecycleConfiguration: (c) => lifecycle.putBucketLifecycleConfiguration(c),
      DeleteBucketLifecycle: (c) => lifecycle.deleteBucketLifecycle(c),
      GetBucketCors: notYet,
      PutBucketCors: notYet,
      DeleteBucketCors: notYet,
      GetBucketEncryption: notYet,
      PutBucketEncryption: notYet,
      DeleteBucketEncryption: notYet,
      GetObjectLockConfiguration: (c) => objectLock.getObjectLockConfiguration(c),
      PutObjectLockConfiguration: (c) => objectLock.putObjectLockConfiguration(c),
      GetBucketWebsite: notYet,
      PutBucketWebsite: notYet,
      DeleteBucketWebsite: notYet,
      GetBucketNotificationConfiguration: notYet,
      PutBucketNotificationConfiguration: notYet,
      GetBucketLogging: notYet,
      PutBucketLogging: notYet,
      GetBucketReplication: notYet,
      PutBucketReplication: notYet,
      DeleteBucketReplication: notYet,
      PutObject: (c) => objects.putObject(c),
      CopyObject: (c) => objects.copyObject(c),
      GetObject: (c) => objects.getObject(c),
      HeadObject: (c) => objects.headObject(c),
      DeleteObject: (c) => objects.deleteObject(c),
      GetObjectAcl: (c) => acls.getObjectAcl(c),
      PutObjectAcl: (c) => acls.putObjectAcl(c),
      GetObjectTagging: (c) => tagging.getObjectTagging(c),
      PutObjectTagging: (c) => tagging.putObjectTagging(c),
      DeleteObjectTagging: (c) => tagging.deleteObjectTagging(c),
      GetObjectRetention: (c) => objectLock.getObjectRetention(c),
      PutObjectRetention: (c) => objectLock.putObjectRetention(c),
      GetObjectLegalHold: (c) => objectLock.getObjectLegalHold(c),
      PutObjectLegalHold: (c) => objectLock.putObjectLegalHold(c),
      GetObjectAttributes: notYet,
      CreateMultipartUpload: (c) => multipart.createMultipartUpload(c),
      UploadPart: (c) => multipart.uploadPart(c),
      UploadPartCopy: (c) => multipart.uploadPartCopy(c),
      CompleteMultipartUpload: (c) => multipart.completeMultipartUpload(c),
      AbortMultipartUpload: (c) => multipart.abortMultipartUpload(c),
      ListParts: (c) => multipart.listParts(c),
      SelectObjectContent: notYet,
      RestoreObject: notYet,
    };
  }

  run(ctx: RequestContext): Promise<S3Result> {
    return this.table[ctx.op.name](ctx);
  }
}
