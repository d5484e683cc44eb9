import { createHasher, S3Errors } from '@myfsio/common';
import {
  claimedChecksum,
  type HeaderBag,
  readChecksumRequest,
  readContentMd5,
  verifyChecksum,
  verifyContentMd5,
} from '@myfsio/objects';
import { createHash } from 'node:crypto';

/**
 * Checks the integrity header S3 requires on PutBucketLifecycleConfiguration: `Content-MD5` or
 * an `x-amz-checksum-*` (header or trailer) that matches `body`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html).
 * Throws InvalidRequest when neither is sent, InvalidDigest / BadDigest / InvalidRequest for a
 * malformed or mismatching one.
 */
export async function verifyConfigurationBody(
  body: Buffer,
  headers: HeaderBag,
  trailers: Promise<Record<string, string>>,
): Promise<void> {
  const contentMd5 = readContentMd5(headers);
  const checksum = readChecksumRequest(headers);
  if (contentMd5 === null && checksum === null) {
    throw S3Errors.invalidRequest('Missing required header for this request: Content-MD5');
  }
  if (contentMd5 !== null) {
    verifyContentMd5(contentMd5, createHash('md5').update(body).digest('hex'));
  }
  if (checksum !== null) {
    const hasher = createHasher(checksum.algorithm);
    hasher.update(body);
    const computed = (await hasher.digest()).toString('base64');
    const received = checksum.trailer === null ? {} : await trailers;
    verifyChecksum(checksum.algorithm, claimedChecksum(checksum, received), computed);
  }
}
