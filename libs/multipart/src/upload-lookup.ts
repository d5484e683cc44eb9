import { BucketsService } from '@myfsio/buckets';
import { S3Errors } from '@myfsio/common';
import { type Bucket, MultipartRepository, type MultipartUpload } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { isUploadId } from './upload-id';

/** The bucket and the upload a request names. */
export interface UploadRef {
  bucket: Bucket;
  upload: MultipartUpload;
}

/** Resolves `bucket` + `key` + `uploadId` to an upload in progress, with S3's errors. */
@Injectable()
export class UploadLookup {
  constructor(
    private readonly buckets: BucketsService,
    private readonly multipart: MultipartRepository,
  ) {}

  /**
   * The upload, or `NoSuchBucket` for a missing bucket and `NoSuchUpload` for an id that is
   * malformed, unknown, completed, aborted, or started for another bucket or key.
   */
  async require(bucketName: string, key: string, uploadId: string): Promise<UploadRef> {
    const bucket = await this.buckets.require(bucketName);
    const upload = isUploadId(uploadId) ? await this.multipart.find(uploadId) : null;
    if (upload === null || upload.bucketId !== bucket.id || upload.key !== key) {
      throw S3Errors.noSuchUpload(uploadId);
    }
    return { bucket, upload };
  }
}
