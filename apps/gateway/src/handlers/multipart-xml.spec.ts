import type { ListUploadsResult } from '@myfsio/multipart';
import {
  completeXml,
  listUploadsXml,
  parseCompleteBody,
  readEncoder,
  xmlWithoutDeclaration,
} from './multipart-xml';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('parseCompleteBody', () => {
  it('reads parts in order with ETags and checksums (namespaced, entity-encoded quotes)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag><ChecksumCRC32>AAAAAQ==</ChecksumCRC32></Part>
        <Part><ETag>b2</ETag><PartNumber> 3 </PartNumber></Part>
      </CompleteMultipartUpload>`;
    expect(parseCompleteBody(xml)).toEqual([
      { partNumber: 1, etag: '"a1"', checksums: { CRC32: 'AAAAAQ==' } },
      { partNumber: 3, etag: 'b2', checksums: {} },
    ]);
  });

  it('decodes numeric character references, as Go clients (rclone) write quotes', () => {
    const xml =
      '<CompleteMultipartUpload><Part><ETag>&#34;a1&#34;</ETag><PartNumber>1</PartNumber></Part>' +
      '<Part><ETag>&#x22;b2&#x22;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>';
    expect(parseCompleteBody(xml).map((p) => p.etag)).toEqual(['"a1"', '"b2"']);
  });

  it('returns an empty list for an element without parts (the service answers MalformedXML)', () => {
    expect(parseCompleteBody('<CompleteMultipartUpload></CompleteMultipartUpload>')).toEqual([]);
    expect(parseCompleteBody('<CompleteMultipartUpload/>')).toEqual([]);
  });

  it.each([
    ['not XML', 'garbage<'],
    ['an empty body', ''],
    ['another root', '<Delete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Delete>'],
    [
      'a part without ETag',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
    ],
    [
      'a part number that is not a number',
      '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
    ],
    [
      'part number 0',
      '<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
    ],
    [
      'part number 10001',
      '<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
    ],
  ])('refuses %s with MalformedXML', (_name, xml) => {
    expect(code(() => parseCompleteBody(xml))).toBe('MalformedXML');
  });
});

describe('result documents', () => {
  it('CompleteMultipartUploadResult quotes the ETag and carries the checksum', () => {
    const xml = completeXml('http://h/b/k', 'b', 'k', {
      etag: 'abc-2',
      size: 3,
      checksum: { algorithm: 'CRC32', value: 'AAAAAA==-2', type: 'COMPOSITE' },
      versionId: null,
    });
    expect(xml.body).toEqual({
      Location: 'http://h/b/k',
      Bucket: 'b',
      Key: 'k',
      ETag: '"abc-2"',
      ChecksumCRC32: 'AAAAAA==-2',
      ChecksumType: 'COMPOSITE',
    });
  });

  it('writes a document without its declaration for a body already started', () => {
    const text = xmlWithoutDeclaration({ root: 'Error', body: { Code: 'InternalError' } }, { xmlns: false });
    expect(text).toBe('<Error><Code>InternalError</Code></Error>');
  });

  it('percent-encodes keys and prefixes with encoding-type=url', () => {
    const result: ListUploadsResult = {
      page: {
        uploads: [
          {
            uploadId: 'u1',
            bucketId: 'b',
            key: 'a b/ü',
            initiatedAt: new Date(0),
            ownerId: 'o',
            storageClass: 'STANDARD',
            checksumAlgorithm: null,
            checksumType: null,
            metadata: { userMetadata: {} },
          },
        ],
        commonPrefixes: ['c d/'],
        isTruncated: true,
        nextKeyMarker: 'a b/ü',
        nextUploadIdMarker: 'u1',
      },
      prefix: '',
      delimiter: undefined,
      keyMarker: undefined,
      uploadIdMarker: undefined,
      maxUploads: 1,
    };
    const xml = listUploadsXml(
      'b',
      result,
      { ID: 'o', DisplayName: 'Owner' },
      new URLSearchParams('encoding-type=url'),
    );
    expect(xml.body).toMatchObject({
      KeyMarker: '',
      NextKeyMarker: 'a%20b/%C3%BC',
      NextUploadIdMarker: 'u1',
      Upload: [{ Key: 'a%20b/%C3%BC', Initiator: { ID: 'o', DisplayName: 'Owner' } }],
      CommonPrefixes: [{ Prefix: 'c%20d/' }],
      EncodingType: 'url',
    });
    expect(code(() => readEncoder(new URLSearchParams('encoding-type=base64')))).toBe('InvalidArgument');
  });
});
