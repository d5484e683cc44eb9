import { type ChecksumAlgorithm, S3Error, S3Errors } from '@myfsio/common';
import type { MultipartPart } from '@myfsio/metadata';
import type { UploadChecksum } from './upload-checksum';

/** One `<Part>` of a CompleteMultipartUpload request. */
export interface CompletedPart {
  partNumber: number;
  /** As the client sent it, quoted or not. */
  etag: string;
  /** `Checksum<ALGORITHM>` elements the client sent for the part (base64). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** What the part list is checked against. */
export interface CompletionRules {
  /** MULTIPART_MIN_PART_SIZE: every part but the last must be at least this large. */
  minPartSize: number;
  /** The upload's checksum; COMPOSITE uploads need every part's checksum in the request. */
  checksum: UploadChecksum | null;
}

/** An ETag without the quotes clients may or may not send. */
export function unquoteEtag(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1');
}

function invalidPart(part: CompletedPart): S3Error {
  return new S3Error('InvalidPart', { fields: { PartNumber: part.partNumber, ETag: part.etag } });
}

/**
 * Checks a CompleteMultipartUpload part list against the stored parts and returns the stored
 * parts it names, in order
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_Errors):
 * - no part at all → `MalformedXML`;
 * - part numbers not strictly ascending → `InvalidPartOrder`;
 * - a part never uploaded, or whose ETag (quoted or not) or checksum differs → `InvalidPart`;
 * - a COMPOSITE upload's part without its checksum → `InvalidRequest`;
 * - a part other than the last below `minPartSize` → `EntityTooSmall`.
 * Pure: nothing is read or changed.
 */
export function selectParts(
  requested: readonly CompletedPart[],
  stored: readonly MultipartPart[],
  rules: CompletionRules,
): MultipartPart[] {
  if (requested.length === 0) {
    throw S3Errors.malformedXml('the request lists no parts');
  }
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const chosen: MultipartPart[] = [];
  let previous = 0;
  for (const part of requested) {
    if (part.partNumber <= previous) {
      throw new S3Error('InvalidPartOrder', { fields: { PartNumber: part.partNumber } });
    }
    previous = part.partNumber;
    const found = byNumber.get(part.partNumber);
    if (found === undefined || unquoteEtag(part.etag) !== found.etag) {
      throw invalidPart(part);
    }
    const algorithm = rules.checksum?.algorithm;
    if (
      algorithm !== undefined &&
      rules.checksum?.type === 'COMPOSITE' &&
      part.checksums[algorithm] === undefined
    ) {
      throw S3Errors.invalidRequest(
        `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
      );
    }
    for (const [name, value] of Object.entries(part.checksums)) {
      if (found.checksums?.[name] !== value) {
        throw invalidPart(part);
      }
    }
    chosen.push(found);
  }
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < rules.minPartSize) {
      throw new S3Error('EntityTooSmall', {
        fields: {
          ProposedSize: part.size,
          MinSizeAllowed: rules.minPartSize,
          PartNumber: part.partNumber,
          ETag: `"${part.etag}"`,
        },
      });
    }
  });
  return chosen;
}
