/**
 * Listings are in UTF-8 byte order, which for valid strings equals Unicode code point
 * order. JavaScript compares UTF-16 code units, which disagrees for characters above
 * U+FFFF versus U+E000–U+FFFF, so key comparisons in code go through these helpers.
 */

/** Maps a UTF-16 code unit so that unit order equals code point order (ICU's fix-up). */
function codePointOrderUnit(unit: number): number {
  if (unit < 0xd800) {
    return unit;
  }
  // Surrogates (supplementary characters) move above U+E000–U+FFFF.
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointOrderUnit(x) - codePointOrderUnit(y);
    }
  }
  return a.length - b.length;
}

/**
 * The smallest string that sorts after every string starting with `prefix`: the prefix
 * with its last code point incremented (the code point form of "increment the last
 * byte", which keeps the bound valid UTF-8). Returns null when no such string exists
 * (empty prefix, or a prefix made only of U+10FFFF).
 */
export function prefixSuccessor(prefix: string): string | null {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()?.codePointAt(0) ?? 0;
    // Surrogate code points cannot be encoded in UTF-8; the next character after U+D7FF is U+E000.
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    if (next <= 0x10ffff) {
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

/** The common prefix `key` rolls up into under `prefix`/`delimiter`, or null when it is listed itself. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | null {
  if (!delimiter) {
    return null;
  }
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? null : key.slice(0, at + delimiter.length);
}
