import { encodeXml, parseXml } from './xml-codec';

describe('encodeXml', () => {
  it('writes the declaration, the S3 namespace, nested and repeated elements, and omits null members', () => {
    const xml = encodeXml('ListBucketResult', {
      Name: 'b',
      Marker: undefined,
      IsTruncated: false,
      MaxKeys: 1000,
      Contents: [{ Key: 'a' }, { Key: 'b' }],
      CommonPrefixes: [],
      Owner: null,
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>' +
        '<IsTruncated>false</IsTruncated><MaxKeys>1000</MaxKeys>' +
        '<Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents></ListBucketResult>',
    );
  });

  it('escapes text and attribute values and writes dates in ISO 8601', () => {
    const xml = encodeXml(
      'R',
      {
        ETag: '"x"&<y>',
        When: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
        G: { '@_a': 'q"t', '#text': 'v' },
      },
      { xmlns: false },
    );
    expect(xml).toContain('<R><ETag>&quot;x&quot;&amp;&lt;y&gt;</ETag><When>2026-01-02T03:04:05.006Z</When>');
    expect(xml).toContain('<G a="q&quot;t">v</G></R>');
  });

  it('interleaves differently named siblings in the order of a #sequence', () => {
    const xml = encodeXml(
      'ListVersionsResult',
      {
        Name: 'b',
        '#sequence': [{ Version: { Key: 'a' } }, { DeleteMarker: { Key: 'a' } }, { Version: { Key: 'b' } }],
        CommonPrefixes: [{ Prefix: 'p/' }],
      },
      { xmlns: false },
    );
    expect(xml).toContain(
      '<ListVersionsResult><Name>b</Name><Version><Key>a</Key></Version>' +
        '<DeleteMarker><Key>a</Key></DeleteMarker><Version><Key>b</Key></Version>' +
        '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListVersionsResult>',
    );
  });

  it('round-trips through parseXml', () => {
    const xml = encodeXml('Tagging', { TagSet: { Tag: [{ Key: 'k&1', Value: 'v<2' }] } });
    expect(parseXml(xml)).toMatchObject({ Tagging: { TagSet: { Tag: { Key: 'k&1', Value: 'v<2' } } } });
  });
});
