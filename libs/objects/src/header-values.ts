import type { HeaderBag } from './objects.types';

/** A header's value; repeated headers are joined with ',' as RFC 9110 5.3 allows. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node hands header values over as latin1 (one char per byte). Clients that send UTF-8 in
 * user metadata mean UTF-8, so the bytes are decoded as such when they form valid UTF-8 and
 * kept as they are otherwise.
 */
export function decodeHeaderText(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(value)) {
    return value;
  }
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

/** The inverse of {@link decodeHeaderText}: text as the latin1 string Node writes byte by byte. */
export function encodeHeaderText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1');
}
