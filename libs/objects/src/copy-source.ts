import { S3Errors } from '@myfsio/common';

/** A parsed `x-amz-copy-source`: the source bucket, key and optional version. */
export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

const HEADER = 'x-amz-copy-source';

function invalid(value: string, message: string) {
  return S3Errors.invalidArgument(HEADER, value, message);
}

/**
 * Parses `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, with an optional
 * `?versionId=…` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
 * The query is split off before decoding, so an encoded `%3F` stays part of the key.
 * Throws `InvalidArgument` when bucket or key is missing, the encoding is malformed or the
 * version id is empty.
 */
export function parseCopySource(value: string): CopySource {
  const q = value.indexOf('?');
  const rawPath = (q === -1 ? value : value.slice(0, q)).replace(/^\//, '');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw invalid(value, 'Invalid copy source encoding');
  }
  const slash = path.indexOf('/');
  const bucket = slash === -1 ? path : path.slice(0, slash);
  const key = slash === -1 ? '' : path.slice(slash + 1);
  if (bucket === '' || key === '') {
    throw invalid(value, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  }
  if (q === -1) {
    return { bucket, key };
  }
  const query = new URLSearchParams(value.slice(q + 1));
  const versionId = query.get('versionId');
  if (versionId === null) {
    return { bucket, key };
  }
  if (versionId === '') {
    throw invalid(value, 'Version id cannot be the empty string');
  }
  return { bucket, key, versionId };
}
