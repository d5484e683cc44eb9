import { checksumResponseHeaders } from './checksum-headers';
import { encodeHeaderText } from './header-values';
import { DEFAULT_CONTENT_TYPE } from './object-headers';
import type { StoredObject } from './objects.types';

/** Query parameters of GetObject that override response headers, and the header each sets. */
export const RESPONSE_OVERRIDES = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
} as const;

/** Reads the `response-*` overrides of a GetObject query. */
export function readResponseOverrides(query: URLSearchParams): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query.get(param);
    if (value !== null) {
      overrides[header] = value;
    }
  }
  return overrides;
}

/**
 * The headers GetObject and HeadObject answer with (without Content-Length/Content-Range,
 * which depend on the range): validators, content headers, user metadata,
 * `x-amz-storage-class` only when not STANDARD, `x-amz-tagging-count` when tagged, the object
 * lock headers when the version has retention or a legal hold, and the
 * stored checksums only when asked for and the whole object is served.
 */
export function objectResponseHeaders(
  object: StoredObject,
  options: { isVersioned: boolean; withChecksums: boolean; overrides?: Record<string, string> },
): Record<string, string> {
  const v = object;
  const headers: Record<string, string> = {
    ETag: `"${v.etag}"`,
    'Last-Modified': v.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Content-Type': v.contentType ?? DEFAULT_CONTENT_TYPE,
  };
  const optional: [string, string | null][] = [
    ['Content-Encoding', v.contentEncoding],
    ['Content-Disposition', v.contentDisposition],
    ['Content-Language', v.contentLanguage],
    ['Cache-Control', v.cacheControl],
    ['Expires', v.expires],
  ];
  for (const [name, value] of optional) {
    if (value !== null) {
      headers[name] = encodeHeaderText(value);
    }
  }
  for (const [name, value] of Object.entries(v.userMetadata)) {
    headers[`x-amz-meta-${name}`] = encodeHeaderText(value);
  }
  if (v.storageClass !== 'STANDARD') {
    headers['x-amz-storage-class'] = v.storageClass;
  }
  const tagCount = Object.keys(v.tags ?? {}).length;
  if (tagCount > 0) {
    headers['x-amz-tagging-count'] = String(tagCount);
  }
  if (options.isVersioned) {
    headers['x-amz-version-id'] = v.versionId;
  }
  if (v.lockMode && v.lockRetainUntil) {
    headers['x-amz-object-lock-mode'] = v.lockMode;
    headers['x-amz-object-lock-retain-until-date'] = v.lockRetainUntil.toISOString();
  }
  if (v.legalHold !== null && v.legalHold !== undefined) {
    headers['x-amz-object-lock-legal-hold'] = v.legalHold ? 'ON' : 'OFF';
  }
  if (options.withChecksums) {
    Object.assign(headers, checksumResponseHeaders(v.checksums, v.checksumType));
  }
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    headers[name] = encodeHeaderText(value);
  }
  return headers;
}
