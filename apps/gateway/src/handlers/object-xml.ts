import { type ChecksumAlgorithm, type XmlObject } from '@myfsio/common';
import type { CopyObjectResult, DeleteObjectsResult } from '@myfsio/objects';

/** `ChecksumCRC32`, `ChecksumSHA256`, … as the XML results name them. */
function checksumElements(checksums: Partial<Record<ChecksumAlgorithm, string>>): XmlObject {
  const out: XmlObject = {};
  for (const [algorithm, value] of Object.entries(checksums)) {
    out[`Checksum${algorithm}`] = value;
  }
  if (Object.keys(out).length > 0) {
    out['ChecksumType'] = 'FULL_OBJECT';
  }
  return out;
}

/** `<CopyObjectResult>`: ETag (quoted), LastModified (ISO 8601 with milliseconds), checksums. */
export function copyObjectXml(result: CopyObjectResult): { root: string; body: XmlObject } {
  return {
    root: 'CopyObjectResult',
    body: {
      ETag: `"${result.etag}"`,
      LastModified: result.lastModified,
      ...checksumElements(result.checksums),
    },
  };
}

/** `<DeleteResult>`: `<Deleted>` entries (none in quiet mode), then `<Error>` entries. */
export function deleteResultXml(result: DeleteObjectsResult): { root: string; body: XmlObject } {
  return {
    root: 'DeleteResult',
    body: {
      Deleted:
        result.deleted.length === 0
          ? undefined
          : result.deleted.map((d) => ({
              Key: d.key,
              VersionId: d.versionId,
              DeleteMarker: d.deleteMarker,
              DeleteMarkerVersionId: d.deleteMarkerVersionId,
            })),
      Error:
        result.errors.length === 0
          ? undefined
          : result.errors.map((e) => ({
              Key: e.key,
              VersionId: e.versionId,
              Code: e.code,
              Message: e.message,
            })),
    },
  };
}
