import {
  asArray,
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  encodeXml,
  parseXml,
  S3Errors,
  type XmlObject,
  xmlText,
} from '@myfsio/common';
import type { MultipartPart, MultipartUpload } from '@myfsio/metadata';
import {
  type CompletedPart,
  type CompleteUploadResult,
  type ListPartsResult,
  type ListUploadsResult,
  MAX_PART_NUMBER,
  type UploadPartCopyResult,
} from '@myfsio/multipart';

type Owner = { ID: string; DisplayName: string };
type Xml = { root: string; body: XmlObject };

/** What an XML declaration looks like at the start of every document the encoder writes. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `encoding-type=url`: S3 percent-encodes keys so that XML 1.0 can carry any byte. */
export function readEncoder(query: URLSearchParams): { encode: (v: string) => string; isUrl: boolean } {
  const encoding = query.get('encoding-type');
  if (encoding === null) {
    return { encode: (v) => v, isUrl: false };
  }
  if (encoding.toLowerCase() !== 'url') {
    throw S3Errors.invalidArgument('encoding-type', encoding, 'Invalid Encoding Method specified in Request');
  }
  return { encode: (v) => encodeURIComponent(v).replace(/%2F/g, '/'), isUrl: true };
}

/**
 * Decodes numeric character references (`&#34;`, `&#x22;`), which the shared parser leaves as
 * they are. Go's encoding/xml (rclone, the Go SDKs) writes the quotes of an ETag that way.
 */
function decodeCharRefs(text: string): string {
  return text.replace(/&#(?:x([0-9a-fA-F]+)|(\d+));/g, (ref: string, hex?: string, dec?: string) => {
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

function element(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The parts of a `CompleteMultipartUpload` body, in the order sent. Throws `MalformedXML` when
 * the document is not that element, a part lacks its number or ETag, or a number is not an
 * integer in 1..10000. An empty list is returned as such; the service refuses it.
 */
export function parseCompleteBody(text: string): CompletedPart[] {
  const doc = parseXml(text);
  const root = doc.CompleteMultipartUpload;
  if (root === undefined || (root !== '' && element(root) === undefined)) {
    throw S3Errors.malformedXml('expected a CompleteMultipartUpload element');
  }
  return asArray(element(root)?.Part).map((raw) => {
    const part = element(raw);
    const number = xmlText(part?.PartNumber);
    const etag = xmlText(part?.ETag);
    if (part === undefined || number === undefined || !/^\d+$/.test(number) || etag === undefined) {
      throw S3Errors.malformedXml('each Part needs a PartNumber and an ETag');
    }
    const partNumber = Number(number);
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw S3Errors.malformedXml(`PartNumber ${number} is not between 1 and ${MAX_PART_NUMBER}`);
    }
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = xmlText(part[`Checksum${algorithm}`]);
      if (value !== undefined) {
        checksums[algorithm] = decodeCharRefs(value);
      }
    }
    return { partNumber, etag: decodeCharRefs(etag), checksums };
  });
}

/** `Checksum<ALGORITHM>` elements of a part or an object. */
function checksumElements(checksums: Record<string, string> | null): XmlObject {
  const out: XmlObject = {};
  for (const [algorithm, value] of Object.entries(checksums ?? {})) {
    out[`Checksum${algorithm}`] = value;
  }
  return out;
}

/** `<InitiateMultipartUploadResult>`. */
export function initiateXml(bucket: string, key: string, uploadId: string): Xml {
  return { root: 'InitiateMultipartUploadResult', body: { Bucket: bucket, Key: key, UploadId: uploadId } };
}

/** `<CompleteMultipartUploadResult>`: Location, Bucket, Key, ETag (quoted), checksum. */
export function completeXml(
  location: string,
  bucket: string,
  key: string,
  result: CompleteUploadResult,
): Xml {
  return {
    root: 'CompleteMultipartUploadResult',
    body: {
      Location: location,
      Bucket: bucket,
      Key: key,
      ETag: `"${result.etag}"`,
      ...(result.checksum === null
        ? {}
        : {
            [`Checksum${result.checksum.algorithm}`]: result.checksum.value,
            ChecksumType: result.checksum.type,
          }),
    },
  };
}

/** `<CopyPartResult>`: ETag (quoted), LastModified, checksums. */
export function copyPartXml(result: UploadPartCopyResult): Xml {
  return {
    root: 'CopyPartResult',
    body: {
      ETag: `"${result.etag}"`,
      LastModified: result.lastModified,
      ...checksumElements(result.checksums),
    },
  };
}

function ownerElement(ownerId: string, caller: Owner): Owner {
  return { ID: ownerId, DisplayName: ownerId === caller.ID ? caller.DisplayName : ownerId };
}

function partElement(p: MultipartPart): XmlObject {
  return {
    PartNumber: p.partNumber,
    LastModified: p.lastModified,
    ETag: `"${p.etag}"`,
    Size: p.size,
    ...checksumElements(p.checksums),
  };
}

/** `<ListPartsResult>`, keys percent-encoded with `encoding-type=url`. */
export function listPartsXml(
  bucket: string,
  result: ListPartsResult,
  caller: Owner,
  query: URLSearchParams,
): Xml {
  const { upload, page } = result;
  const { encode, isUrl } = readEncoder(query);
  const last = page.parts[page.parts.length - 1]?.partNumber;
  return {
    root: 'ListPartsResult',
    body: {
      Bucket: bucket,
      Key: encode(upload.key),
      UploadId: upload.uploadId,
      PartNumberMarker: result.partNumberMarker,
      NextPartNumberMarker: page.nextPartNumberMarker ?? last ?? result.partNumberMarker,
      MaxParts: result.maxParts,
      IsTruncated: page.isTruncated,
      Part: page.parts.map(partElement),
      Initiator: ownerElement(upload.ownerId, caller),
      Owner: ownerElement(upload.ownerId, caller),
      StorageClass: upload.storageClass,
      ChecksumAlgorithm: upload.checksumAlgorithm ?? undefined,
      ChecksumType: upload.checksumType ?? undefined,
      EncodingType: isUrl ? 'url' : undefined,
    },
  };
}

function uploadElement(u: MultipartUpload, caller: Owner, encode: (v: string) => string): XmlObject {
  return {
    Key: encode(u.key),
    UploadId: u.uploadId,
    Initiator: ownerElement(u.ownerId, caller),
    Owner: ownerElement(u.ownerId, caller),
    StorageClass: u.storageClass,
    Initiated: u.initiatedAt,
    ChecksumAlgorithm: u.checksumAlgorithm ?? undefined,
    ChecksumType: u.checksumType ?? undefined,
  };
}

/** `<ListMultipartUploadsResult>`, keys and prefixes percent-encoded with `encoding-type=url`. */
export function listUploadsXml(
  bucket: string,
  result: ListUploadsResult,
  caller: Owner,
  query: URLSearchParams,
): Xml {
  const { page } = result;
  const { encode, isUrl } = readEncoder(query);
  return {
    root: 'ListMultipartUploadsResult',
    body: {
      Bucket: bucket,
      KeyMarker: encode(result.keyMarker ?? ''),
      UploadIdMarker: result.uploadIdMarker ?? '',
      NextKeyMarker: page.nextKeyMarker === null ? undefined : encode(page.nextKeyMarker),
      NextUploadIdMarker: page.nextUploadIdMarker ?? undefined,
      Delimiter: result.delimiter === undefined ? undefined : encode(result.delimiter),
      Prefix: encode(result.prefix),
      MaxUploads: result.maxUploads,
      IsTruncated: page.isTruncated,
      Upload: page.uploads.map((u) => uploadElement(u, caller, encode)),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
      EncodingType: isUrl ? 'url' : undefined,
    },
  };
}

/** A document without its XML declaration, for a body whose declaration was sent already. */
export function xmlWithoutDeclaration(xml: Xml, options: { xmlns?: false } = {}): string {
  const text = encodeXml(xml.root, xml.body, options);
  return text.startsWith(XML_DECLARATION) ? text.slice(XML_DECLARATION.length) : text;
}
