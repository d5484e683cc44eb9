/**
 * @myfsio/multipart: the S3 multipart upload operations (CreateMultipartUpload, UploadPart,
 * UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
 * ListMultipartUploads) and the pure S3 rules they are built from.
 */

/** Nest module providing MultipartService; needs AppConfig, MetadataModule and an ObjectStore binding. */
export { MultipartModule } from './multipart.module';
/**
 * The multipart operations. Every method throws only S3Errors for client mistakes (NoSuchUpload,
 * InvalidPart, EntityTooSmall, …) and lets infrastructure failures through (they become
 * InternalError). Bodies passed in are consumed, or left to the caller on a size error.
 */
export { MultipartService } from './multipart.service';
/** Inputs and results of MultipartService. */
export type * from './multipart.types';
/** One `<Part>` of a CompleteMultipartUpload body; `unquoteEtag` strips the quotes clients may send. */
export { type CompletedPart, unquoteEtag } from './part-list';
/** S3's part-number limit (10000) and the page cap of ListParts / ListMultipartUploads (1000). Constants. */
export { MAX_PART_NUMBER, MAX_LIST_ITEMS } from './request-params';
/** The upload checksum as stored: algorithm and COMPOSITE / FULL_OBJECT. */
export type { UploadChecksum } from './upload-checksum';
