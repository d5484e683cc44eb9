import { keyToRelativePath, relativePathToKey } from './key-path';
import { MAX_RELATIVE_PATH_BYTES, NAME_MAX } from './reserved-names';
import { sha256Hex } from './segment-codec';

describe('keyToRelativePath', () => {
  const table: Array<[string, string, string, string | null]> = [
    // key, description, plain path, shadow path
    ['a', 'a single segment', 'a', 'a/.myfsio.self'],
    [
      'photos/2024/a.jpg',
      'nested keys as nested directories',
      'photos/2024/a.jpg',
      'photos/2024/a.jpg/.myfsio.self',
    ],
    ['a/', 'a folder marker inside the folder', 'a/.myfsio.dir', null],
    ['a/b/', 'a nested folder marker', 'a/b/.myfsio.dir', null],
    ['/', 'the key "/" as an empty folder', '.myfsio.empty/.myfsio.dir', null],
    ['a//b', 'an empty segment', 'a/.myfsio.empty/b', 'a/.myfsio.empty/b/.myfsio.self'],
    ['a//', 'a marker after an empty segment', 'a/.myfsio.empty/.myfsio.dir', null],
    ['/a', 'a leading slash', '.myfsio.empty/a', '.myfsio.empty/a/.myfsio.self'],
    ['../x', 'a ".." segment', '.myfsio.dotdot/x', '.myfsio.dotdot/x/.myfsio.self'],
    ['./x', 'a "." segment', '.myfsio.dot/x', '.myfsio.dot/x/.myfsio.self'],
    ['x/..', 'a ".." leaf', 'x/.myfsio.dotdot', 'x/.myfsio.dotdot/.myfsio.self'],
    ['...', 'three dots, which are a plain name', '...', '.../.myfsio.self'],
    ['.hidden', 'a dot file', '.hidden', '.hidden/.myfsio.self'],
    [
      '.myfsio.self',
      'a user segment that is a reserved name',
      '.myfsio.esc.myfsio.self',
      '.myfsio.esc.myfsio.self/.myfsio.self',
    ],
    ['d/.myfsio', 'the bare reserved prefix', 'd/.myfsio.esc.myfsio', 'd/.myfsio.esc.myfsio/.myfsio.self'],
    [
      '.myfsioX',
      'a segment starting with the prefix',
      '.myfsio.esc.myfsioX',
      '.myfsio.esc.myfsioX/.myfsio.self',
    ],
    ['.myfsi', 'a segment shorter than the prefix', '.myfsi', '.myfsi/.myfsio.self'],
    ['日本/ü ñ.txt', 'unicode', '日本/ü ñ.txt', '日本/ü ñ.txt/.myfsio.self'],
    ['tab\there\r\n', 'control characters', 'tab\there\r\n', 'tab\there\r\n/.myfsio.self'],
    ['a\0b/c', 'NUL in a segment', '.myfsio.nul.YQBi/c', '.myfsio.nul.YQBi/c/.myfsio.self'],
  ];

  it.each(table)('maps %j (%s)', (key, _what, plainPath, shadowPath) => {
    const kp = keyToRelativePath(key);
    expect(kp.plainPath).toBe(plainPath);
    expect(kp.shadowPath).toBe(shadowPath);
    expect(relativePathToKey(plainPath)).toBe(key);
    if (shadowPath !== null) {
      expect(relativePathToKey(shadowPath)).toBe(key);
    }
  });

  it('gives the conversion path beside the leaf', () => {
    expect(keyToRelativePath('a/b').conversionPath).toBe('a/.myfsio.cv-b/.myfsio.self');
    expect(relativePathToKey('a/.myfsio.cv-b/.myfsio.self')).toBe('a/b');
  });

  it('hashes a segment longer than NAME_MAX, and walk cannot map it back', () => {
    const long = 'x'.repeat(1024);
    const kp = keyToRelativePath(long);
    expect(kp.plainPath).toBe(`.myfsio.h.${sha256Hex(long)}`);
    expect(relativePathToKey(kp.plainPath)).toBeNull();
    expect(keyToRelativePath(`${long}/y`).dirSegments).toEqual([kp.plainPath]);
  });

  it('keeps a 255-byte segment plain and hashes 256 bytes', () => {
    expect(keyToRelativePath('é'.repeat(127) + 'x').plainPath).toBe('é'.repeat(127) + 'x');
    expect(keyToRelativePath('é'.repeat(128)).plainPath).toMatch(/^\.myfsio\.h\./);
  });

  it('hashes the conversion name when it would exceed NAME_MAX', () => {
    const leaf = 'y'.repeat(NAME_MAX);
    expect(keyToRelativePath(leaf).conversionPath).toBe(`.myfsio.cvh-${sha256Hex(leaf)}/.myfsio.self`);
  });

  it('uses the long form when the encoded path exceeds the budget', () => {
    const key = '/'.repeat(300) + 'z';
    expect(Buffer.byteLength('.myfsio.empty/'.repeat(300))).toBeGreaterThan(MAX_RELATIVE_PATH_BYTES);
    const kp = keyToRelativePath(key);
    expect(kp.form).toBe('long');
    expect(kp.plainPath).toBe(`.myfsio.long/${sha256Hex(key)}`);
    expect(kp.shadowPath).toBeNull();
    expect(relativePathToKey(kp.plainPath)).toBeNull();
  });

  it('escapes a NUL segment longer than NAME_MAX by hashing it', () => {
    const segment = '\0'.repeat(200);
    expect(keyToRelativePath(segment).plainPath).toBe(`.myfsio.h.${sha256Hex(segment)}`);
  });

  it('refuses the empty key and lone surrogates', () => {
    expect(() => keyToRelativePath('')).toThrow(RangeError);
    expect(() => keyToRelativePath('a\uD800b')).toThrow(RangeError);
    expect(() => keyToRelativePath('\uDC00')).toThrow(RangeError);
    expect(keyToRelativePath('😀').plainPath).toBe('😀');
  });

  it('never maps two keys of a tricky set to one path', () => {
    const keys = [
      'a',
      'a/',
      'a//',
      'a/b',
      'a//b',
      '/a',
      '//a',
      '/',
      '//',
      '.',
      './',
      '..',
      '../',
      '.myfsio.empty',
      '.myfsio.dir',
      'a/.myfsio.dir',
      'a/.myfsio.self',
      '.myfsio.esc.myfsio',
      '.myfsio',
      '.myfsio.dot',
      'x/.myfsio.cv-b',
      'x/b',
      '\0',
      '.myfsio.nul.AA',
      '.myfsio.h.00',
      '.myfsio.long',
    ];
    const paths = new Map<string, string>();
    for (const key of keys) {
      const kp = keyToRelativePath(key);
      for (const path of [kp.plainPath, kp.shadowPath, kp.conversionPath]) {
        if (path !== null) {
          expect(paths.get(path) ?? key).toBe(key);
          paths.set(path, key);
        }
      }
    }
  });
});

describe('relativePathToKey', () => {
  it.each([
    ['.myfsio.dir', 'a marker at the bucket root'],
    ['.myfsio.self', 'a shadow file at the bucket root'],
    ['a/.myfsio.empty', 'an empty leaf'],
    ['a/.myfsio.empty/.myfsio.self', 'a shadowed empty segment'],
    ['.myfsio.esc.plain', 'a needless escape'],
    ['.myfsio.nul.YWI', 'a NUL encoding without NUL'],
    ['.myfsio.tmp-123', 'an unknown reserved name'],
    ['.myfsio.long/abc', 'the long form'],
    ['a/.myfsio.cvh-00/.myfsio.self', 'a hashed conversion directory'],
    ['a/.myfsio.cv-b/c', 'a file inside a conversion directory'],
    ['a/.myfsio.dir/b', 'a file below a marker name'],
    ['a//b', 'an empty path component'],
    ['', 'the empty path'],
  ])('returns null for %j (%s)', (path) => {
    expect(relativePathToKey(path)).toBeNull();
  });

  it('maps the shadow file of an escaped name', () => {
    expect(relativePathToKey('.myfsio.esc.myfsio.dir/.myfsio.self')).toBe('.myfsio.dir');
  });
});
