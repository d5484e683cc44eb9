import { decodeXmlEntities } from './xml-entities';

describe('decodeXmlEntities', () => {
  it('returns text without references unchanged', () => {
    expect(decodeXmlEntities('photos/2024 a b ')).toBe('photos/2024 a b ');
  });

  it('decodes the predefined entities', () => {
    expect(decodeXmlEntities('a&lt;b&gt;c&amp;d&quot;e&apos;f')).toBe(`a<b>c&d"e'f`);
    expect(decodeXmlEntities('&amp;lt;')).toBe('&lt;');
  });

  it('decodes decimal and hexadecimal character references, as Go clients send them', () => {
    expect(decodeXmlEntities('say &#34;hi&#34;&#x9;&#xA;&#39;')).toBe(`say "hi"\t\n'`);
    expect(decodeXmlEntities('&#x1F600;')).toBe('\u{1F600}');
  });

  it('refuses undeclared entities, bad code points and bare ampersands', () => {
    expect(decodeXmlEntities('&nbsp;')).toBeNull();
    expect(decodeXmlEntities('&#0;')).toBeNull();
    expect(decodeXmlEntities('&#x110000;')).toBeNull();
    expect(decodeXmlEntities('a & b')).toBeNull();
    expect(decodeXmlEntities('a &amp b')).toBeNull();
  });
});
