/**
 * @myfsio/metadata: the metadata database (TypeORM on SQLite, PostgreSQL or MySQL/MariaDB).
 * Exports repositories that return plain domain types, the UnitOfWork that owns
 * transactions, and the DataSource factory. Entities stay internal.
 */

/** Builds the DataSource for `MetadataOptions`, and runs pending migrations under a cross-process lock. */
export { createDataSource, runMigrations } from './data-source';
/** Connection settings; abstract class used as the DI token the app binds. */
export { MetadataOptions } from './metadata-options';
/** Global Nest module providing the DataSource, UnitOfWork and every repository. */
export { MetadataModule } from './metadata.module';
/** `UnitOfWork.run(tx => …)` opens transactions; `Tx` is the opaque handle passed to repository writes. */
export { UnitOfWork, type Tx, type UnitOptions } from './unit-of-work';
/** Thrown by create methods when a unique name or id is taken; never an S3 error. */
export { DuplicateError } from './errors';
/** Byte-order helpers shared with listing code: compare as UTF-8, successor of a prefix. */
export { compareUtf8, prefixSuccessor } from './listing/utf8-order';
/** Parses `DATABASE_URL` into connection fields (for `--check-config`); throws naming the problem. */
export { parseDatabaseUrl, type ServerDatabase } from './database-url';
/** Which database family a DataSource talks to. */
export type { Dialect } from './dialect';
/** Buckets: create (DuplicateError), find, list in byte order, update, delete, content flags. */
export { BucketRepository } from './repositories/bucket.repository';
/** Object versions: latest pointer, putCurrent/deleteVersion, O(page) listings. */
export { ObjectVersionRepository } from './repositories/object-version.repository';
/** Multipart uploads and parts: part upsert, conditional delete, O(page) upload listing. */
export { MultipartRepository } from './repositories/multipart.repository';
/** IAM users, access keys, groups, policies, attachments and the IAM version counter. */
export { IamRepository, type AttachResult } from './repositories/iam.repository';
/** Per-bucket configuration documents. */
export { BucketConfigRepository } from './repositories/bucket-config.repository';
/** The transactional outbox: enqueue in a tx, claim with a lease, complete, fail. */
export { OutboxRepository } from './repositories/outbox.repository';
/** Installation-wide key/value settings. */
export { SystemStateRepository } from './repositories/system-state.repository';
export {
  type PendingPromotion,
  PendingPromotionRepository,
} from './repositories/pending-promotion.repository';
/** History of garbage-collector and integrity-scanner runs, paged newest first. */
export { MaintenanceHistoryRepository } from './repositories/maintenance-history.repository';
/** Domain types returned by the repositories (plain objects; dates as Date, sizes as number). */
export type * from './types';
/** Readiness probe (`MetadataHealth.ping`) and a one-shot connectivity check for `--check-config`. */
export { MetadataHealth, pingDatabase } from './metadata-health';
