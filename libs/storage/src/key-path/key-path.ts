import { MAX_RELATIVE_PATH_BYTES, RESERVED } from './reserved-names';
import { conversionName, decodeSegment, encodeSegment, sha256Hex } from './segment-codec';

/**
 * How a key is laid out: `plain` (a file, or `<leaf>/.myfsio.self` when the leaf must
 * be a directory), `marker` (key ends in '/': bytes in `<dir>/.myfsio.dir`) or `long`
 * (encoded path too long: `.myfsio.long/<sha256 of key>`).
 */
export type KeyForm = 'plain' | 'marker' | 'long';

/** Where one key lives below its bucket directory. Paths are relative and '/'-separated. */
export interface KeyPath {
  readonly form: KeyForm;
  /** Encoded directory names from the bucket directory down to the leaf's parent. */
  readonly dirSegments: readonly string[];
  /** Encoded file name of the leaf inside those directories. */
  readonly leaf: string;
  /** The plain file: dirSegments + leaf. */
  readonly plainPath: string;
  /** The shadow file `<plainPath>/.myfsio.self`, used while plainPath is a directory; null unless form is 'plain'. */
  readonly shadowPath: string | null;
  /** `<dir>/.myfsio.cv-<leaf>/.myfsio.self`, where the bytes sit while the leaf changes form; null unless 'plain'. */
  readonly conversionPath: string | null;
}

// Lone UTF-16 surrogates have no UTF-8 form: two such keys could share bytes on disk.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Maps an object key to its place below the bucket directory. Pure and total for
 * every non-empty well-formed string (S3 keys included, at any length); distinct keys
 * never share a path.
 * @throws RangeError for the empty key or a string with lone surrogates (not UTF-8).
 */
export function keyToRelativePath(key: string): KeyPath {
  if (key.length === 0 || LONE_SURROGATE.test(key)) {
    throw new RangeError('An object key must be 1 or more characters of well-formed UTF-8');
  }
  const segments = key.split('/');
  const last = segments.pop() ?? '';
  const dirSegments = segments.map(encodeSegment);
  const isMarker = last === '';
  const leaf = isMarker ? RESERVED.dir : encodeSegment(last);
  const plainPath = joinPath(dirSegments, leaf);
  if (Buffer.byteLength(plainPath) > MAX_RELATIVE_PATH_BYTES) {
    const hashed = sha256Hex(key);
    return {
      form: 'long',
      dirSegments: [RESERVED.long],
      leaf: hashed,
      plainPath: `${RESERVED.long}/${hashed}`,
      shadowPath: null,
      conversionPath: null,
    };
  }
  if (isMarker) {
    return { form: 'marker', dirSegments, leaf, plainPath, shadowPath: null, conversionPath: null };
  }
  return {
    form: 'plain',
    dirSegments,
    leaf,
    plainPath,
    shadowPath: `${plainPath}/${RESERVED.self}`,
    conversionPath: `${joinPath(dirSegments, conversionName(leaf))}/${RESERVED.self}`,
  };
}

/**
 * Maps a file's path below the bucket directory back to its key (for walk); null
 * for anything that is not the canonical place of some key: system and temporary
 * names, hashed names, the long form, non-canonical encodings.
 */
export function relativePathToKey(relativePath: string): string | null {
  const parts = relativePath.split('/');
  const last = parts.pop();
  if (last === undefined || parts.includes('') || last === '') {
    return null;
  }
  let key: string | null;
  let expect: (kp: KeyPath) => string | null;
  if (last === RESERVED.self) {
    const holder = parts.pop();
    if (holder?.startsWith(RESERVED.conversion)) {
      key = joinDecoded([...parts, holder.slice(RESERVED.conversion.length)]);
      expect = (kp) => kp.conversionPath;
    } else {
      key = holder === undefined ? null : joinDecoded([...parts, holder]);
      expect = (kp) => kp.shadowPath;
    }
  } else if (last === RESERVED.dir) {
    key = parts.length > 0 ? joinDecoded(parts) : null;
    key = key === null ? null : `${key}/`;
    expect = (kp) => (kp.form === 'marker' ? kp.plainPath : null);
  } else {
    key = joinDecoded([...parts, last]);
    expect = (kp) => (kp.form === 'plain' ? kp.plainPath : null);
  }
  if (key === null || key.length === 0 || LONE_SURROGATE.test(key)) {
    return null;
  }
  // The round trip rejects every non-canonical spelling (stray escapes, `.myfsio.empty`
  // as a leaf, over-long paths) without a rule per case.
  return expect(keyToRelativePath(key)) === relativePath ? key : null;
}

function joinDecoded(names: readonly string[]): string | null {
  const segments: string[] = [];
  for (const name of names) {
    const segment = decodeSegment(name);
    if (segment === null) {
      return null;
    }
    segments.push(segment);
  }
  return segments.join('/');
}

function joinPath(dirSegments: readonly string[], leaf: string): string {
  return dirSegments.length === 0 ? leaf : `${dirSegments.join('/')}/${leaf}`;
}
