import { asArray, decodeXmlEntities, S3Error, S3Errors, xmlText } from '@myfsio/common';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Readable } from 'node:stream';

/** One entry of a DeleteObjects request. */
export interface DeleteTarget {
  key: string;
  versionId?: string;
}

/** A parsed DeleteObjects body. */
export interface DeleteRequest {
  isQuiet: boolean;
  objects: DeleteTarget[];
}

/**
 * Keys are taken exactly as sent: S3 keys may begin or end with spaces, so values are not
 * trimmed (the shared codec trims), and digits stay strings. References (`&amp;`, `&#34;`) are
 * decoded by decodeXmlEntities on the few values read, not by the parser: for a document of
 * 1000 keys fast-xml-parser's entity pass and namespace-prefix removal cost three times the
 * parse itself. The prefix-removing parser is kept for documents that use prefixes.
 */
const options = { ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: false };
const parser = new XMLParser({ ...options, removeNSPrefix: false });
const prefixedParser = new XMLParser({ ...options, removeNSPrefix: true });
const PREFIXED_TAG = /<\/?[A-Za-z_][\w.-]*:/;

/** A text value with its references decoded; MalformedXML when they are not well-formed. */
function decodedText(value: unknown): string | undefined {
  const text = xmlText(value);
  if (text === undefined) {
    return undefined;
  }
  const decoded = decodeXmlEntities(text);
  if (decoded === null) {
    throw S3Errors.malformedXml();
  }
  return decoded;
}

/**
 * Parses `<Delete><Quiet/><Object><Key/><VersionId/></Object>…</Delete>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). Throws
 * `MalformedXML` for a body that is not such a document, an empty object list, an object
 * without a key, or more than `maxKeys` objects (S3's limit is 1000).
 */
export function parseDeleteRequest(xml: string, maxKeys: number): DeleteRequest {
  if (xml.trim() === '' || XMLValidator.validate(xml) !== true) {
    throw S3Errors.malformedXml();
  }
  const doc = (PREFIXED_TAG.test(xml) ? prefixedParser : parser).parse(xml) as Record<string, unknown>;
  const root = doc['Delete'];
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw S3Errors.malformedXml();
  }
  const body = root as Record<string, unknown>;
  const quiet = decodedText(body['Quiet'])?.trim().toLowerCase();
  if (quiet !== undefined && quiet !== 'true' && quiet !== 'false') {
    throw S3Errors.malformedXml();
  }
  const entries = asArray(body['Object']);
  if (entries.length === 0 || entries.length > maxKeys) {
    throw S3Errors.malformedXml();
  }
  const objects = entries.map((entry): DeleteTarget => {
    if (typeof entry !== 'object' || entry === null) {
      throw S3Errors.malformedXml();
    }
    const fields = entry as Record<string, unknown>;
    const key = decodedText(fields['Key']);
    if (key === undefined || key === '') {
      throw S3Errors.malformedXml();
    }
    const versionId = decodedText(fields['VersionId']);
    return versionId === undefined || versionId === '' ? { key } : { key, versionId };
  });
  return { isQuiet: quiet === 'true', objects };
}

/**
 * Reads a small request body completely, refusing more than `maxBytes`
 * (`MaxMessageLengthExceeded`) so a hostile client cannot make the gateway buffer much.
 */
export async function readBoundedBody(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > maxBytes) {
      body.destroy();
      throw new S3Error('MaxMessageLengthExceeded');
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}
