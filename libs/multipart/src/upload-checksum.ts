import { type ChecksumAlgorithm, parseChecksumAlgorithm, S3Errors } from '@myfsio/common';
import type { ChecksumType, MultipartUpload } from '@myfsio/metadata';
import type { ChecksumRequest, HeaderBag } from '@myfsio/objects';
import { isCrcAlgorithm } from './crc-combine';

/** The checksum a multipart upload was created with: the algorithm and how parts combine. */
export interface UploadChecksum {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * `x-amz-checksum-algorithm` and `x-amz-checksum-type` of CreateMultipartUpload
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity-upload.html#Full-object-checksums):
 * SHA1/SHA256 combine only as COMPOSITE, CRC64NVME only as FULL_OBJECT, CRC32/CRC32C either
 * way; without a type, CRC64NVME is FULL_OBJECT and the others COMPOSITE. Null when no
 * algorithm was chosen. Throws `InvalidRequest` for an unknown value, a type without an
 * algorithm, or a combination S3 refuses.
 */
export function readUploadChecksum(headers: HeaderBag): UploadChecksum | null {
  const rawAlgorithm = headerValue(headers, 'x-amz-checksum-algorithm');
  const rawType = headerValue(headers, 'x-amz-checksum-type');
  if (rawAlgorithm === undefined) {
    if (rawType !== undefined) {
      throw S3Errors.invalidRequest(
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      );
    }
    return null;
  }
  const algorithm = parseChecksumAlgorithm(rawAlgorithm);
  if (algorithm === null) {
    throw S3Errors.invalidRequest('Value for x-amz-checksum-algorithm header is invalid.');
  }
  let type: ChecksumType;
  if (rawType === undefined) {
    type = algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  } else if (rawType.toUpperCase() === 'FULL_OBJECT' || rawType.toUpperCase() === 'COMPOSITE') {
    type = rawType.toUpperCase() as ChecksumType;
  } else {
    throw S3Errors.invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  if (type === 'FULL_OBJECT' && !isCrcAlgorithm(algorithm)) {
    throw S3Errors.invalidRequest(
      `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  }
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw S3Errors.invalidRequest(
      'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
    );
  }
  return { algorithm, type };
}

/** The checksum stored on an upload row, or null. */
export function uploadChecksumOf(upload: MultipartUpload): UploadChecksum | null {
  const algorithm =
    upload.checksumAlgorithm === null ? null : parseChecksumAlgorithm(upload.checksumAlgorithm);
  if (algorithm === null) {
    return null;
  }
  return {
    algorithm,
    type: upload.checksumType ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE'),
  };
}

/**
 * The algorithms to compute over a part body: the upload's, so every part carries the checksum
 * the completion combines, or else the one the client sent. A part that claims another
 * algorithm than its upload's is refused with `InvalidRequest`, as S3 words it.
 */
export function partAlgorithms(
  upload: UploadChecksum | null,
  request: ChecksumRequest | null,
): ChecksumAlgorithm[] {
  if (upload === null) {
    return request === null ? [] : [request.algorithm];
  }
  if (request !== null && request.algorithm !== upload.algorithm) {
    throw S3Errors.invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${upload.algorithm.toLowerCase()}, actual checksum Type: ${request.algorithm.toLowerCase()}`,
    );
  }
  return [upload.algorithm];
}
