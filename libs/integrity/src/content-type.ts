/** What S3 stores for an object written without a Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

// Common extensions only: a file indexed by the scanner gets a useful type for what people
// usually drop into a bucket; anything else gets S3's default.
const TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  htm: 'text/html',
  html: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  md: 'text/markdown',
  xml: 'application/xml',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  wasm: 'application/wasm',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/vnd.microsoft.icon',
  avif: 'image/avif',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
};

/** The content type for a key from its extension (case-insensitive), else {@link DEFAULT_CONTENT_TYPE}. */
export function contentTypeForKey(key: string): string {
  const leaf = key.slice(key.lastIndexOf('/') + 1);
  const dot = leaf.lastIndexOf('.');
  if (dot <= 0) {
    return DEFAULT_CONTENT_TYPE;
  }
  return TYPES[leaf.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
