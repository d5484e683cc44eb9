import { S3_ERRORS, type S3ErrorCode } from './table';

export interface S3ErrorOptions {
  /** Overrides the table's message. */
  message?: string;
  /** The bucket or object the error is about; rendered as `<Resource>`. */
  resource?: string;
  /** Extra elements rendered inside `<Error>` after the standard ones (e.g. `BucketName`, `UploadId`). */
  fields?: Record<string, string | number>;
  /** Extra response headers (e.g. `x-amz-delete-marker`). */
  headers?: Record<string, string>;
}

/** The one error type the gateway encodes as S3 XML. Anything else becomes `InternalError`. */
export class S3Error extends Error {
  readonly status: number;
  readonly resource?: string;
  readonly fields: Record<string, string | number>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: S3ErrorCode,
    options: S3ErrorOptions = {},
  ) {
    super(options.message ?? S3_ERRORS[code].message);
    this.name = 'S3Error';
    this.status = S3_ERRORS[code].status;
    this.resource = options.resource;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}

/** Factories for errors that carry extra XML elements, as S3 sends them. */
export const S3Errors = {
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', { resource: bucket, fields: { BucketName: bucket } }),
  noSuchKey: (key: string) => new S3Error('NoSuchKey', { resource: key, fields: { Key: key } }),
  noSuchUpload: (uploadId: string) => new S3Error('NoSuchUpload', { fields: { UploadId: uploadId } }),
  invalidArgument: (name: string, value: string, message?: string) =>
    new S3Error('InvalidArgument', {
      message: message ?? `Invalid argument ${name}`,
      fields: { ArgumentName: name, ArgumentValue: value },
    }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', { message }),
  malformedXml: (detail?: string) =>
    new S3Error('MalformedXML', detail ? { message: `${S3_ERRORS.MalformedXML.message} (${detail})` } : {}),
  notImplemented: (what: string) => new S3Error('NotImplemented', { message: `${what} is not implemented.` }),
  accessDenied: (message?: string) => new S3Error('AccessDenied', message ? { message } : {}),
};
