import { BucketsModule } from '@myfsio/buckets';
import { AppConfig } from '@myfsio/config';
import { LockFiles } from '@myfsio/storage';
import { Module } from '@nestjs/common';
import { BulkDeleter } from './bulk-delete';
import { ObjectCopier } from './copy-object';
import { ObjectDeleter } from './object-deleter';
import { ObjectLockService } from './object-lock.service';
import { ObjectReaderService } from './object-reader';
import { ObjectTaggingService } from './object-tagging.service';
import { ObjectLocks, ObjectWriter } from './object-writer';
import { ObjectsService } from './objects.service';
import { VersionPromotions } from './version-promotions';

/**
 * Object locks across the fleet when the metadata database is a server one (gateways may then
 * run on several machines over one file system); within this process otherwise (SQLite
 * serves one gateway process).
 */
export function objectLocksFor(config: AppConfig): ObjectLocks {
  // A DATABASE_URL is what makes the metadata a server database (see createDataSource).
  const isShared = Boolean(config.database.url);
  return new ObjectLocks(isShared ? new LockFiles(`${config.storage.systemDir}/locks`) : null);
}

/**
 * The S3 object operations. Needs AppConfig, the metadata repositories and UnitOfWork, and an
 * ObjectStore binding from global modules; imports BucketsModule for bucket lookups.
 */
@Module({
  imports: [BucketsModule],
  providers: [
    ObjectsService,
    { provide: ObjectLocks, inject: [AppConfig], useFactory: objectLocksFor },
    ObjectWriter,
    ObjectReaderService,
    ObjectCopier,
    BulkDeleter,
    ObjectDeleter,
    ObjectLockService,
    ObjectTaggingService,
    VersionPromotions,
  ],
  // ObjectLocks and ObjectReaderService are shared with multipart completion and UploadPartCopy,
  // so every writer of a key takes the same per-key mutex and reads see one consistent row.
  exports: [
    ObjectsService,
    ObjectLocks,
    ObjectWriter,
    ObjectReaderService,
    ObjectTaggingService,
    ObjectLockService,
  ],
})
export class ObjectsModule {}
