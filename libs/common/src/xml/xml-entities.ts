const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g;

/**
 * Decodes XML's references in a text value: the five predefined entities and numeric character
 * references (`&#34;`, `&#x22;`), which is how Go's encoder (rclone) escapes quotes, tabs and
 * newlines in keys. Returns null when the text is not well-formed: a reference XML does not
 * define (an undeclared entity, a code point outside Unicode) or a bare `&`.
 */
export function decodeXmlEntities(text: string): string | null {
  if (!text.includes('&')) {
    return text;
  }
  let references = 0;
  let isValid = true;
  const decoded = text.replace(REFERENCE, (whole, ref: string) => {
    references++;
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isSafeInteger(code) || code < 1 || code > 0x10ffff) {
        isValid = false;
        return whole;
      }
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) {
      isValid = false;
      return whole;
    }
    return named;
  });
  const ampersands = text.split('&').length - 1;
  return isValid && ampersands === references ? decoded : null;
}
