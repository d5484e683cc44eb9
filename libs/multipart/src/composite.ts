import { createHasher } from '@myfsio/common';
import type { MultipartPart, PartSizes } from '@myfsio/metadata';
import { createHash } from 'node:crypto';
import { combineCrc, isCrcAlgorithm } from './crc-combine';
import type { UploadChecksum } from './upload-checksum';

/**
 * The ETag S3 gives a multipart object: the MD5 of the concatenated binary MD5s of its parts,
 * in hex, then `-` and the part count
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums).
 * Computed from the stored part ETags alone, never from the object's bytes.
 */
export function compositeEtag(parts: readonly Pick<MultipartPart, 'etag'>[]): string {
  const hash = createHash('md5');
  for (const part of parts) {
    hash.update(Buffer.from(part.etag, 'hex'));
  }
  return `${hash.digest('hex')}-${parts.length}`;
}

function partDigest(part: Pick<MultipartPart, 'checksums' | 'partNumber'>, algorithm: string): Buffer {
  const value = part.checksums?.[algorithm];
  if (value === undefined) {
    // Every part of an upload with an algorithm is stored with it; a gap is corrupt metadata.
    throw new Error(`part ${part.partNumber} has no stored ${algorithm} checksum`);
  }
  return Buffer.from(value, 'base64');
}

/**
 * The object checksum of a completed upload (base64), from the stored part checksums:
 * COMPOSITE is the checksum of the concatenated raw part checksums plus `-N`; FULL_OBJECT (CRC
 * algorithms only) is the CRC of the whole object, combined from the part CRCs and sizes.
 * @throws Error when a part lacks the upload's checksum (corrupt metadata → InternalError).
 */
export async function objectChecksum(
  checksum: UploadChecksum,
  parts: readonly Pick<MultipartPart, 'checksums' | 'partNumber' | 'size'>[],
): Promise<string> {
  const { algorithm } = checksum;
  if (checksum.type === 'FULL_OBJECT' && isCrcAlgorithm(algorithm)) {
    const combined = combineCrc(
      algorithm,
      parts.map((part) => ({ crc: partDigest(part, algorithm), size: part.size })),
    );
    return combined.toString('base64');
  }
  const hasher = createHasher(algorithm);
  for (const part of parts) {
    hasher.update(partDigest(part, algorithm));
  }
  return `${(await hasher.digest()).toString('base64')}-${parts.length}`;
}

/** Part sizes as `[size, count]` runs (uniform part sizes, the common case, take one or two runs). */
export function partSizeRuns(parts: readonly Pick<MultipartPart, 'size'>[]): PartSizes {
  const runs: PartSizes = [];
  for (const { size } of parts) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === size) {
      last[1]++;
    } else {
      runs.push([size, 1]);
    }
  }
  return runs;
}
