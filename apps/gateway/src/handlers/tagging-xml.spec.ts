import { encodeXml, S3Error } from '@myfsio/common';
import { parseTaggingBody, taggingXml } from './tagging-xml';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof S3Error ? err.code : 'not an S3Error';
  }
}

const tag = (k: string, v: string) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`;
const body = (inner: string) =>
  `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>${inner}</TagSet></Tagging>`;

describe('parseTaggingBody', () => {
  it('reads the tags in the order sent', () => {
    expect(parseTaggingBody(body(tag('b', '2') + tag('a', '1')))).toEqual({ b: '2', a: '1' });
    expect(Object.keys(parseTaggingBody(body(tag('b', '2') + tag('a', '1'))))).toEqual(['b', 'a']);
  });

  it('reads a single tag, an empty value and an empty TagSet', () => {
    expect(parseTaggingBody(body(tag('k', 'v')))).toEqual({ k: 'v' });
    expect(parseTaggingBody(body('<Tag><Key>k</Key><Value/></Tag>'))).toEqual({ k: '' });
    expect(parseTaggingBody(body(''))).toEqual({});
    expect(parseTaggingBody('<Tagging><TagSet/></Tagging>')).toEqual({});
  });

  it('decodes entities in keys and values', () => {
    expect(parseTaggingBody(body(tag('a&amp;b', '&lt;x&gt;')))).toEqual({ 'a&b': '<x>' });
  });

  it.each([
    ['an empty body', ''],
    ['broken XML', '<Tagging><TagSet>'],
    ['another root element', '<Other><TagSet/></Other>'],
    ['a Tagging without TagSet', '<Tagging></Tagging>'],
    ['a text TagSet', '<Tagging><TagSet>x</TagSet></Tagging>'],
    ['a Tag without Value', body('<Tag><Key>k</Key></Tag>')],
    ['a Tag without Key', body('<Tag><Value>v</Value></Tag>')],
  ])('returns MalformedXML for %s', (_name, text) => {
    expect(codeOf(() => parseTaggingBody(text))).toBe('MalformedXML');
  });

  it('returns InvalidTag for a repeated key', () => {
    expect(codeOf(() => parseTaggingBody(body(tag('k', '1') + tag('k', '2'))))).toBe('InvalidTag');
  });
});

describe('taggingXml', () => {
  it('writes each tag as a Tag element', () => {
    const { root, body: doc } = taggingXml({ a: '1', b: '' });
    const xml = encodeXml(root, doc);
    expect(xml).toContain(
      '<TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet>',
    );
    expect(parseTaggingBody(xml)).toEqual({ a: '1', b: '' });
  });

  it('writes an empty TagSet when there are no tags', () => {
    const { root, body: doc } = taggingXml({});
    expect(encodeXml(root, doc)).toMatch(/<Tagging xmlns="[^"]+"><TagSet( ?\/>|><\/TagSet>)<\/Tagging>/);
  });
});
