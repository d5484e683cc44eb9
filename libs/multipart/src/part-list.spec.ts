import type { MultipartPart } from '@myfsio/metadata';
import { selectParts, unquoteEtag, type CompletedPart } from './part-list';

const MIN = 5;

function stored(
  partNumber: number,
  size: number,
  checksums: Record<string, string> | null = null,
): MultipartPart {
  return {
    uploadId: 'u',
    partNumber,
    size,
    etag: `etag${partNumber}`.padEnd(32, '0'),
    checksums,
    lastModified: new Date(0),
  };
}

function asked(partNumber: number, quoted = true, checksums: CompletedPart['checksums'] = {}): CompletedPart {
  const etag = `etag${partNumber}`.padEnd(32, '0');
  return { partNumber, etag: quoted ? `"${etag}"` : etag, checksums };
}

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('selectParts', () => {
  const parts = [stored(1, 10), stored(2, 5), stored(3, 1), stored(5, 7)];
  const rules = { minPartSize: MIN, checksum: null };

  it('returns the named stored parts in order, ETags quoted or not', () => {
    expect(selectParts([asked(1), asked(2, false), asked(3)], parts, rules).map((p) => p.partNumber)).toEqual(
      [1, 2, 3],
    );
    // Gaps and a subset are fine; the last part may be small.
    expect(selectParts([asked(2), asked(5)], parts, rules)).toHaveLength(2);
    expect(selectParts([asked(3)], parts, rules)).toHaveLength(1);
  });

  it.each([
    ['an empty list', [], 'MalformedXML'],
    ['descending numbers', [asked(2), asked(1)], 'InvalidPartOrder'],
    ['a repeated number', [asked(1), asked(1)], 'InvalidPartOrder'],
    ['a part never uploaded', [asked(1), asked(4)], 'InvalidPart'],
    ['an ETag that does not match', [{ partNumber: 1, etag: '"0000"', checksums: {} }], 'InvalidPart'],
    ['a small part that is not the last', [asked(3), asked(5)], 'EntityTooSmall'],
  ])('refuses %s', (_name, list, expected) => {
    expect(code(() => selectParts(list, parts, rules))).toBe(expected);
  });

  it('needs every part checksum of a COMPOSITE upload and checks any checksum sent', () => {
    const withCrc = [stored(1, 10, { CRC32: 'AAAAAQ==' }), stored(2, 1, { CRC32: 'AAAAAg==' })];
    const composite = {
      minPartSize: MIN,
      checksum: { algorithm: 'CRC32' as const, type: 'COMPOSITE' as const },
    };
    expect(
      selectParts(
        [asked(1, true, { CRC32: 'AAAAAQ==' }), asked(2, true, { CRC32: 'AAAAAg==' })],
        withCrc,
        composite,
      ),
    ).toHaveLength(2);
    expect(
      code(() => selectParts([asked(1, true, { CRC32: 'AAAAAQ==' }), asked(2)], withCrc, composite)),
    ).toBe('InvalidRequest');
    expect(code(() => selectParts([asked(1, true, { CRC32: 'AAAAAg==' })], withCrc, composite))).toBe(
      'InvalidPart',
    );
    const fullObject = {
      minPartSize: MIN,
      checksum: { algorithm: 'CRC32' as const, type: 'FULL_OBJECT' as const },
    };
    expect(selectParts([asked(1), asked(2)], withCrc, fullObject)).toHaveLength(2);
    expect(code(() => selectParts([asked(1, true, { SHA1: 'x' })], withCrc, fullObject))).toBe('InvalidPart');
  });

  it('unquotes ETags', () => {
    expect(unquoteEtag(' "abc" ')).toBe('abc');
    expect(unquoteEtag('abc')).toBe('abc');
  });
});
