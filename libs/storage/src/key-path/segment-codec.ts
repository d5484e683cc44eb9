import { createHash } from 'node:crypto';
import { NAME_MAX, RESERVED, RESERVED_PREFIX } from './reserved-names';

/**
 * Encodes one key segment (text between '/') as a file name. Plain names pass
 * through unchanged; names a file system cannot hold, or that could collide with a
 * reserved name, get one reserved form each. Injective: distinct segments never
 * share a name (hashed names aside, which rely on sha256).
 */
export function encodeSegment(segment: string): string {
  const name = encodeShort(segment);
  return Buffer.byteLength(name) > NAME_MAX ? RESERVED.hashed + sha256Hex(segment) : name;
}

function encodeShort(segment: string): string {
  switch (segment) {
    case '':
      return RESERVED.empty;
    case '.':
      return RESERVED.dot;
    case '..':
      return RESERVED.dotdot;
  }
  if (segment.includes('\0')) {
    return RESERVED.nul + Buffer.from(segment, 'utf8').toString('base64url');
  }
  return segment.startsWith(RESERVED_PREFIX) ? RESERVED.escape + segment : segment;
}

/**
 * Decodes a file name back to the segment it encodes; null for names that encode no
 * segment (hashed names, structural names such as `.myfsio.self`, unknown reserved
 * names). Callers still check the result round-trips (see relativePathToKey).
 */
export function decodeSegment(name: string): string | null {
  if (!name.startsWith(RESERVED_PREFIX)) {
    return name;
  }
  switch (name) {
    case RESERVED.empty:
      return '';
    case RESERVED.dot:
      return '.';
    case RESERVED.dotdot:
      return '..';
  }
  if (name.startsWith(RESERVED.escape)) {
    return name.slice(RESERVED.escape.length);
  }
  if (name.startsWith(RESERVED.nul)) {
    return Buffer.from(name.slice(RESERVED.nul.length), 'base64url').toString('utf8');
  }
  return null;
}

/** Name of the directory that holds `<name>/.myfsio.self` while `<name>` changes form. */
export function conversionName(name: string): string {
  const plain = RESERVED.conversion + name;
  return Buffer.byteLength(plain) > NAME_MAX ? RESERVED.conversionHashed + sha256Hex(name) : plain;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
