import { BucketsModule } from '@myfsio/buckets';
import { ObjectsModule } from '@myfsio/objects';
import { Module } from '@nestjs/common';
import { MultipartService } from './multipart.service';
import { PartUploader } from './part-uploader';
import { UploadCompleter } from './upload-completer';
import { UploadLookup } from './upload-lookup';

/**
 * The S3 multipart upload operations. Needs AppConfig, the metadata repositories and
 * UnitOfWork, and an ObjectStore binding from global modules; imports ObjectsModule for the
 * per-object mutex and consistent reads it shares with PutObject and CopyObject.
 */
@Module({
  imports: [BucketsModule, ObjectsModule],
  providers: [MultipartService, UploadLookup, PartUploader, UploadCompleter],
  exports: [MultipartService],
})
export class MultipartModule {}
