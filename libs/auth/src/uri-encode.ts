/**
 * Percent-encoding as AWS signatures define it: every byte is encoded as `%XX`
 * (upper-case hex) except the unreserved characters `A-Z a-z 0-9 - _ . ~`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */

const ENCODED: readonly string[] = buildTable();

function buildTable(): string[] {
  const table: string[] = [];
  for (let byte = 0; byte < 256; byte++) {
    const char = String.fromCharCode(byte);
    table.push(/[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  return table;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/** URI-encodes raw bytes; '/' is kept when `keepSlash` (canonical URI), encoded otherwise (query). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const byte of bytes) {
    out += keepSlash && byte === 0x2f ? '/' : (ENCODED[byte] as string);
  }
  return out;
}

/**
 * Bytes of a request-target fragment. Node hands the request line over as latin1 (one char per
 * byte), while callers building requests by hand may pass real Unicode; a char above U+00FF can
 * only come from the latter, so it selects UTF-8.
 */
export function targetBytes(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(text) ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
}

/** Decodes `%XX` escapes into bytes; a '%' not followed by two hex digits stays literal, as S3 does. */
export function percentDecodeBytes(text: string): Buffer {
  const raw = targetBytes(text);
  if (!raw.includes(0x25)) {
    return raw;
  }
  const out = Buffer.allocUnsafe(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      out[length++] = parseInt(String.fromCharCode(raw[i + 1] as number, raw[i + 2] as number), 16);
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return out.subarray(0, length);
}

/** Percent-decodes to a UTF-8 string (invalid sequences become U+FFFD). */
export function percentDecode(text: string): string {
  return percentDecodeBytes(text).toString('utf8');
}

/** Re-encodes a raw (possibly already encoded) fragment the AWS way; fast path when nothing changes. */
export function canonicalEncode(rawFragment: string, keepSlash: boolean): string {
  if (UNRESERVED_ONLY.test(rawFragment)) {
    return rawFragment;
  }
  return uriEncodeBytes(percentDecodeBytes(rawFragment), keepSlash);
}

function isHex(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
  );
}
